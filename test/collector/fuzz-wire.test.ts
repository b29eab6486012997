/**
 * Over-the-wire fuzz (issue 6): 1,500 mutated real messages of every encoding and
 * a few built to cost the most per byte, into a running collector. It stays up,
 * counts every refusal by reason exactly as the decoder classifies it, keeps its
 * memory, and stores every valid record sent after them. FUZZ_SEED replays a run;
 * `npm run bench -- fuzz` runs longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import type { LogEntry } from '../../src/protocol/index.js';
import { runWireFuzz } from './fuzz-wire-run.js';
import { entry, pushSocket, waitFor } from './helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 7);

test(`wire fuzz: the collector counts every bad message, keeps its memory and stores what follows (seed ${SEED})`, async () => {
  const r = await runWireFuzz({ seed: SEED, iterations: 1500, amplifierBytes: 256 << 10, validRecords: 500 });
  const { badInput } = r.stats;
  // every refusal counted, by the reason the decoder gives; nothing as 'internal'
  assert.deepEqual(Object.fromEntries(Object.entries(badInput).sort(([a], [b]) => (a < b ? -1 : 1))), r.expected.badInput);
  assert.equal(badInput.internal, undefined);
  for (const reason of ['json', 'schema', 'topic', 'entry', 'entry_count']) assert.ok((badInput[reason] ?? 0) > 0, `no "${reason}" refusal: ${JSON.stringify(badInput)}`);
  assert.equal(r.stats.receiver.messages, 1500 + 6 + 10);
  // every record that decoded was written, the valid ones sent last included
  assert.equal(r.stats.plugins.file!.written, r.expected.stored);
  assert.equal(r.stats.plugins.file!.dropped, 0);
  assert.equal(r.stats.plugins.file!.errors, 0);
  assert.equal(r.lines, r.expected.stored);
  assert.equal(r.validStored, 500);
  // memory: nothing retained after the run, and no blow-up while it ran
  assert.ok(r.heapAfterMb - r.heapBeforeMb < 40, `heap grew from ${r.heapBeforeMb.toFixed(1)} to ${r.heapAfterMb.toFixed(1)} MB`);
  assert.ok(r.rssGrowthMb < 400, `RSS grew by ${r.rssGrowthMb.toFixed(0)} MB`);
});

test('poison records in a burst cost only themselves: 10,000-deep attribute, service.name {"toString":"x"}, a forged system', async () => {
  const out = mkdtempSync(join(tmpdir(), 'distlog-poison-'));
  const config = await loadConfig({
    text: `receiver:\n  endpoints: [tcp://127.0.0.1:*]\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: file\n    options: { directory: ${JSON.stringify(out)}, pattern: "{system}{kind}.jsonl" }\n`,
  }, { plugins: BUILTIN_PLUGINS });
  const collector = await startCollector(config, { log: () => {} });
  try {
    const push = await pushSocket(collector.endpoints[0]!);
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (let m = 0; m < 20; m++) {
      const batch = Array.from({ length: 100 }, (_, i) => entry({ message: `good ${m}.${i}`, attributes: { x: 0 } }));
      batch[50] = entry({ message: 'poison', attributes: { x: 0 } });
      if (m % 3 === 1) batch[50]!.resource = { 'service.name': { toString: 'x' } as unknown as string };
      if (m % 3 === 2) batch[50]!.system = 'P';
      let text = JSON.stringify({ v: 1, entries: batch });
      if (m % 3 === 0) text = text.replace('"message":"poison","attributes":{"x":0}', `"message":"poison","attributes":{"x":${deep}}`);
      await push.send([Buffer.from('TLJ'), Buffer.from(text)]);
    }
    await waitFor('all good records written', () => collector.stats().plugins.file!.written === 20 * 99);
    push.close();
  } finally {
    await collector.stop();
  }
  const s = collector.stats();
  assert.equal(s.badInput.entry, 20);
  assert.equal(s.receiver.badEntries, 20);
  assert.deepEqual(readdirSync(out), ['TL.jsonl'], 'nothing written under the forged system');
  const lines = readFileSync(join(out, 'TL.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry);
  assert.equal(lines.length, 1980);
  assert.equal(lines.filter((e) => e.message === 'poison').length, 0);
  rmSync(out, { recursive: true, force: true });
});

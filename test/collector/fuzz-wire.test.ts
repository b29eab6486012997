/**
 * Over-the-wire fuzz (issue 6): 1,500 mutated real messages of every encoding and
 * a few built to cost the most per byte, into a running collector. It stays up,
 * counts every refusal by reason exactly as the decoder classifies it, keeps its
 * memory, and stores every valid record sent after them. FUZZ_SEED replays a run;
 * `npm run bench -- fuzz` runs longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWireFuzz } from './fuzz-wire-run.js';

const SEED = Number(process.env.FUZZ_SEED ?? 7);

test(`wire fuzz: the collector counts every bad message, keeps its memory and stores what follows (seed ${SEED})`, async () => {
  const r = await runWireFuzz({ seed: SEED, iterations: 1500, amplifierBytes: 256 << 10, validRecords: 500 });
  const { badInput } = r.stats;
  // every refusal counted, by the reason the decoder gives; nothing as 'internal'
  assert.deepEqual(Object.fromEntries(Object.entries(badInput).sort(([a], [b]) => (a < b ? -1 : 1))), r.expected.badInput);
  assert.equal(badInput.internal, undefined);
  for (const reason of ['json', 'schema', 'topic', 'entry', 'size']) assert.ok((badInput[reason] ?? 0) > 0, `no "${reason}" refusal: ${JSON.stringify(badInput)}`);
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

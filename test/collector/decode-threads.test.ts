/**
 * receiver.decodeThreads: messages decoded into JSON lines on worker threads.
 * What a user checks: the files are byte for byte those of a collector that
 * decodes on its own thread, in the same order; bad input is refused and
 * counted by the same reasons; a config that needs LogEntry objects does not
 * use the threads; stopping delivers or counts what the threads held.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { filePlugin } from '../../src/plugins/file/index.js';
import { encodeOtlp, formatTopic, type LogEntry } from '../../src/protocol/index.js';
import { collectingPlugin, entry, goodMessage, pushSocket, waitFor } from './helpers.js';

function otlpMessage(entries: readonly LogEntry[]): Buffer[] {
  return [formatTopic({ system: 'T', kind: 'L', encoding: 'O' }), Buffer.from(encodeOtlp(entries))];
}

/** 120 OTLP batches of 25 records numbered in order, with a JSON batch, a record to refuse and three bad messages among them. */
function traffic(): { messages: Buffer[][]; good: number } {
  const messages: Buffer[][] = [];
  let good = 0;
  for (let b = 0; b < 120; b++) {
    const entries = Array.from({ length: 25 }, (_, i) =>
      entry({ message: `m${String(b * 25 + i).padStart(5, '0')}`, attributes: { batch: b, text: 'é "q" \\ 😀', list: [1, { x: null }] } }),
    );
    messages.push(otlpMessage(entries));
    good += entries.length;
    if (b === 10) messages.push([Buffer.from('TLP'), Buffer.from('pickled')]);
    if (b === 20) messages.push([Buffer.from('TLO'), Buffer.from([0x0a, 0x7f, 0x01])]);
    // A record of system S on a T topic: refused (a sender writes only to its own system).
    if (b === 30) messages.push(otlpMessage([entry({ message: 'other system', system: 'S' })]));
    if (b === 40) {
      messages.push(goodMessage([entry({ message: 'json one' }), entry({ message: 'json two' })]));
      good += 2;
    }
  }
  // A record whose distlog.event is not enter/exit/fail: refused alone, its neighbours kept.
  const bad = otlpMessage([entry({ message: 'kept' }), { ...entry({ message: 'bad event' }), event: 'later' as LogEntry['event'] }]);
  messages.push(bad);
  good += 1;
  return { messages, good };
}

async function run(threads: number, extraPlugins: string[] = []): Promise<{ files: Record<string, string>; bad: Record<string, number>; written: number; threadDecoded: number; messages: number }> {
  const out = mkdtempSync(join(tmpdir(), 'distlog-decode-threads-'));
  const text = [
    `receiver: { endpoints: ["tcp://127.0.0.1:*"], decodeThreads: ${threads} }`,
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: file',
    `    options: { directory: ${JSON.stringify(out)}, pattern: "{system}{kind}.jsonl" }`,
    ...extraPlugins,
  ].join('\n');
  const got: LogEntry[] = [];
  const handle: CollectorHandle = await startCollector(await loadConfig({ text }, { plugins: [filePlugin, collectingPlugin(got)], env: {} }), { log: () => {} });
  const { messages, good } = traffic();
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (const m of messages) await push.send(m);
    await waitFor('every good record written', () => handle.stats().plugins.file!.written === good, 30_000);
    await waitFor('every bad message counted', () => Object.values(handle.stats().badInput).reduce((a, b) => a + b, 0) >= 4, 10_000);
  } finally {
    push.close();
  }
  const final = await handle.stop();
  const files: Record<string, string> = {};
  for (const f of readdirSync(out).sort()) files[f] = readFileSync(join(out, f), 'utf8');
  return { files, bad: final.badInput, written: final.plugins.file!.written, threadDecoded: final.receiver.threadDecoded, messages: final.receiver.messages };
}

test('with decode threads the files are byte for byte those of the receiving thread, in arrival order, and bad input is counted alike', async () => {
  const threaded = await run(2);
  const inline = await run(0);
  // Every message went through the threads (none is refused for its size here), none in the inline run.
  assert.equal(threaded.threadDecoded, threaded.messages);
  assert.equal(inline.threadDecoded, 0);
  assert.deepEqual(Object.keys(threaded.files), ['TL.jsonl']);
  assert.equal(threaded.files['TL.jsonl'], inline.files['TL.jsonl']);
  assert.deepEqual(threaded.bad, inline.bad);
  assert.ok(threaded.bad.pickle === 1 && threaded.bad.schema === 1 && threaded.bad.entry! >= 2, JSON.stringify(threaded.bad));
  // Arrival order: the numbered messages come out in the order they were sent.
  const numbered = threaded.files['TL.jsonl']!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as LogEntry).message).filter((m) => /^m\d{5}$/.test(m));
  assert.equal(numbered.length, 3000);
  assert.deepEqual(numbered, [...numbered].sort());
});

test('a config with a plugin that needs LogEntry objects decodes on the receiving thread and writes the same files', async () => {
  const threaded = await run(2, ['  - type: collect']);
  const inline = await run(0);
  assert.equal(threaded.threadDecoded, 0);
  assert.equal(threaded.files['TL.jsonl'], inline.files['TL.jsonl']);
  assert.equal(threaded.written, inline.written);
});

/**
 * Hostile OTLP input at the collector: a message with more records than the
 * receiver takes (16 MB of empty records would be 8 million entries) is refused
 * whole and counted as `entry_count`; a record nested too deep is dropped alone
 * and counted as `entry`; good messages after them still arrive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { DEFAULT_MAX_ENTRIES, encodeBatch } from '../../src/protocol/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { collectingPlugin, entry, pushSocket, sleep, waitFor } from './helpers.js';

/** ExportLogsServiceRequest{ResourceLogs{ScopeLogs{n empty LogRecords}}}, written by hand. */
function emptyRecords(n: number): Buffer {
  const varint = (v: number): number[] => {
    const out: number[] = [];
    while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
    out.push(v);
    return out;
  };
  const records = Buffer.alloc(2 * n);
  for (let i = 0; i < records.length; i += 2) records[i] = 0x12;
  const scopeLogs = Buffer.concat([Buffer.from([0x12, ...varint(records.length)]), records]);
  return Buffer.concat([Buffer.from([0x0a, ...varint(scopeLogs.length)]), scopeLogs]);
}

test('OTLP: too many records in one message are refused and counted as entry_count; too deep a record alone as entry', async () => {
  const got: LogEntry[] = [];
  const lines: string[] = [];
  const config = await loadConfig(
    { text: ['receiver:', '  endpoints: ["tcp://127.0.0.1:*"]', 'stats: { intervalSeconds: 0 }', 'plugins: [{ type: collect }]'].join('\n') },
    { plugins: [collectingPlugin(got)], env: {} },
  );
  const handle = await startCollector(config, { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const topic = Buffer.from('TLO');
    await push.send([topic, emptyRecords(DEFAULT_MAX_ENTRIES + 1)]);
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    await push.send([topic, encodeBatch([entry({ message: 'poison', attributes: { deep } }), entry({ message: 'neighbour' })], 'O')]);
    await push.send([topic, encodeBatch([entry({ message: 'after' })], 'O')]);

    await waitFor('the good records', () => got.length >= 2);
    await sleep(50);
    assert.deepEqual(got.map((e) => e.message), ['neighbour', 'after']);
    const stats = handle.stats();
    assert.deepEqual(stats.badInput, { entry_count: 1, entry: 1 });
    assert.equal(stats.receiver.badMessages, 1);
    const reports = lines.filter((l) => l.startsWith('bad input'));
    assert.ok(reports.includes(`bad input [entry_count] from topic "TLO": topic "TLO": ${DEFAULT_MAX_ENTRIES + 1} records in one message exceed the limit of ${DEFAULT_MAX_ENTRIES} (maxEntries)`), reports.join('\n'));
    assert.ok(reports.some((l) => l.startsWith('bad input [entry] from topic "TLO": entry 0 dropped: entries[0].attributes["deep"]["a"]')), reports.join('\n'));
  } finally {
    push.close();
    await handle.stop();
  }
});

test('receiver.maxEntriesPerMessage is the bound the receiver applies', async () => {
  const got: LogEntry[] = [];
  const config = await loadConfig(
    { text: ['receiver:', '  endpoints: ["tcp://127.0.0.1:*"]', '  maxEntriesPerMessage: 5', 'stats: { intervalSeconds: 0 }', 'plugins: [{ type: collect }]'].join('\n') },
    { plugins: [collectingPlugin(got)], env: {} },
  );
  const handle = await startCollector(config, { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const six = Array.from({ length: 6 }, (_, i) => entry({ message: `six ${i}` }));
    const five = Array.from({ length: 5 }, (_, i) => entry({ message: `five ${i}` }));
    await push.send([Buffer.from('TLO'), encodeBatch(six, 'O')]);
    await push.send([Buffer.from('TLJ'), encodeBatch(six, 'J')]);
    await push.send([Buffer.from('TLO'), encodeBatch(five, 'O')]);
    await waitFor('the message within the bound', () => got.length >= 5);
    await sleep(50);
    assert.deepEqual(got.map((e) => e.message), five.map((e) => e.message));
    assert.deepEqual(handle.stats().badInput, { entry_count: 2 });
  } finally {
    push.close();
    await handle.stop();
  }
});

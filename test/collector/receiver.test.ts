import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { collectingPlugin, entry, goodMessage, pushSocket, sleep, waitFor } from './helpers.js';

/** Keeps what it is given, in memory. */
const pythonDir = fileURLToPath(new URL('../../../shared/fixtures/python-distlog', import.meta.url));

test('bad input of every kind is counted and reported; good messages sent after it still arrive', async () => {
  const got: LogEntry[] = [];
  const lines: string[] = [];
  const config = await loadConfig(
    {
      text: [
        'receiver:',
        '  endpoints: ["tcp://127.0.0.1:*"]',
        '  maxMessageBytes: 4096',
        '  reportIntervalSeconds: 60',
        'stats: { intervalSeconds: 0 }',
        'plugins: [{ type: collect }]',
      ].join('\n'),
    },
    { plugins: [collectingPlugin(got)], env: {} },
  );
  const handle = await startCollector(config, { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const topic = Buffer.from('TLJ');
    const badEntry = { ...entry({ message: 'bad' }), severity: 'high' };
    const bad: [string, Buffer[]][] = [
      ['frames', [topic]],
      ['frames', [topic, Buffer.from('{}'), Buffer.from('extra')]],
      ['topic', [Buffer.from('XYZ'), Buffer.from('{}')]],
      ['topic', [Buffer.from('TOOLONG'), Buffer.from('{}')]],
      ['encoding', [Buffer.from('TLQ'), Buffer.from('{}')]],
      ['json', [topic, Buffer.from('{"v":1,"entries":[')]],
      ['json', [topic, Buffer.from('not json at all')]],
      ['schema', [topic, Buffer.from('{"v":1,"entries":"nope"}')]],
      ['size', [topic, Buffer.alloc(6000, 0x20)]],
      ['pickle', [Buffer.from('PLP'), readFileSync(`${pythonDir}/pk1.pickle`)]],
    ];
    for (const [, frames] of bad) await push.send(frames);
    // A batch with one wrongly typed entry between two good ones: only that entry goes.
    const mixed = Buffer.from(JSON.stringify({ v: 1, entries: [entry({ message: 'm1' }), badEntry, entry({ message: 'm2' })] }));
    await push.send([topic, mixed]);
    const good = [entry({ message: 'after-1' }), entry({ message: 'after-2' })];
    await push.send(goodMessage(good));
    await push.send([Buffer.from('PLJ'), readFileSync(`${pythonDir}/msg1.json`)]);

    await waitFor('good messages after the bad ones', () => got.length >= 5);
    await sleep(50);
    assert.deepEqual(got.map((e) => e.message), ['m1', 'm2', 'after-1', 'after-2', 'toplevel']);

    const stats = handle.stats();
    assert.deepEqual(stats.badInput, { frames: 2, topic: 2, encoding: 1, json: 2, schema: 1, size: 1, pickle: 1, entry: 1 });
    assert.equal(stats.receiver.messages, bad.length + 3);
    assert.equal(stats.receiver.badMessages, bad.length);
    assert.equal(stats.receiver.badEntries, 1);
    assert.equal(stats.receiver.entries, 5);
    assert.equal(stats.plugins.collect!.written, 5);

    // Rate limit: one line per reason within the interval, the second of a kind is only counted.
    const reports = lines.filter((l) => l.startsWith('bad input'));
    assert.equal(reports.filter((l) => l.startsWith('bad input [frames]')).length, 1);
    assert.equal(reports.length, 8);
    assert.ok(reports.some((l) => l.startsWith('bad input [pickle] from topic "PLP": ')), reports.join('\n'));
    assert.ok(reports.some((l) => /^bad input \[entry\] from topic "TLJ": entry 1 dropped: .*severity/.test(l)), reports.join('\n'));
    assert.ok(reports.some((l) => l.startsWith('bad input [size] from topic "TLJ": message of 6003 bytes exceeds')), reports.join('\n'));
  } finally {
    push.close();
    await handle.stop();
  }
});

test('a second report of the same reason after the interval carries the suppressed count', async () => {
  const { BadInputReporter } = await import('../../src/collector/bad-input.js');
  let now = 0;
  const lines: string[] = [];
  const r = new BadInputReporter((l) => lines.push(l), 10_000, () => now);
  r.record('json', 'first', 'TLJ');
  now = 1000;
  r.record('json', 'second', 'TLJ');
  r.record('json', 'third', 'TLJ');
  now = 11_000;
  r.record('json', 'fourth');
  assert.deepEqual(lines, ['bad input [json] from topic "TLJ": first', 'bad input [json]: fourth (+2 more since last report)']);
  assert.deepEqual(r.counts(), { json: 4 });
});

/**
 * Gap counting per producer (batch producer id + seq), shown in the stats
 * line, emitted as records of their own, and served by the control channel
 * that `distlog stats` reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Request } from 'zeromq';
import { DeliveryAccounting } from '../../src/collector/accounting.js';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { encodeBatch, formatTopic } from '../../src/protocol/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { collectingPlugin, entry, freePort, pushSocket, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function batch(producer: string | undefined, seq: number | undefined, n: number, system: 'T' | 'P' = 'T'): Buffer[] {
  const entries = Array.from({ length: n }, (_, i) => entry({ message: `${producer}#${seq}.${i}`, system }));
  const meta = producer === undefined ? undefined : { producer, seq };
  return [formatTopic({ system, kind: 'L', encoding: 'J' }), Buffer.from(encodeBatch(entries, 'J', meta))];
}

test('accounting: gaps, late batches, duplicates, restarts, batches before first seen, unidentified senders', () => {
  const a = new DeliveryAccounting(3, () => 1000);
  for (const seq of [1, 2, 5, 6]) a.observe({ producer: 'a', seq }, 'T', 10); // 3, 4 missing
  a.observe({ producer: 'a', seq: 4 }, 'T', 10); // late: fills one
  a.observe({ producer: 'a', seq: 4 }, 'T', 10); // now a duplicate
  a.observe({ producer: 'b', seq: 7 }, 'P', 5); // first seen at 7
  a.observe({ producer: 'b', seq: 8 }, 'P', 5);
  a.observe({ producer: 'b', seq: 1 }, 'P', 5); // same id, new instance
  a.observe({}, 'T', 3); // Python original: no meta
  const s = a.stats();
  const pa = s.producers.find((p) => p.producer === 'a')!;
  assert.deepEqual(
    [pa.batches, pa.records, pa.firstSeq, pa.lastSeq, pa.missingBatches, pa.missingRecordsEstimate, pa.lateBatches, pa.duplicateBatches, pa.missingBeforeFirstSeen],
    [6, 60, 1, 6, 1, 10, 1, 1, 0],
  );
  const pb = s.producers.find((p) => p.producer === 'b')!;
  assert.deepEqual([pb.system, pb.missingBeforeFirstSeen, pb.restarts, pb.lastSeq, pb.missingBatches], ['P', 6, 1, 1, 0]);
  assert.equal(s.producers[0]!.producer, 'b', 'most recently seen first');
  assert.deepEqual(
    s.totals,
    {
      producers: 2, batches: 10, records: 78, missingBatches: 1, missingRecordsEstimate: 10, missingBeforeFirstSeen: 6,
      duplicateBatches: 1, restarts: 1, unidentifiedBatches: 1, unidentifiedRecords: 3, evictedProducers: 0,
    },
  );
  // The table is bounded: a sender inventing producer ids cannot grow it.
  for (const id of ['c', 'd', 'e']) a.observe({ producer: id, seq: 1 }, 'T', 1);
  assert.equal(a.stats().totals.producers, 3);
  assert.equal(a.stats().totals.evictedProducers, 2);
  assert.deepEqual(a.stats().producers.map((p) => p.producer), ['e', 'd', 'c']);
});

test('accounting: with recordsBefore in the envelope, missing records are exact, before first seen included', () => {
  const a = new DeliveryAccounting();
  // batches of uneven size: 10, 7 (lost), 3 (lost), 12, then a late arrival of the 7
  a.observe({ producer: 'x', seq: 4, recordsBefore: 100 }, 'T', 10);
  a.observe({ producer: 'x', seq: 7, recordsBefore: 120 }, 'T', 12);
  let px = a.stats().producers[0]!;
  assert.deepEqual([px.missingBatches, px.missingRecordsEstimate, px.missingBeforeFirstSeen, px.missingRecordsBeforeFirstSeen], [2, 10, 3, 100]);
  a.observe({ producer: 'x', seq: 5, recordsBefore: 110 }, 'T', 7);
  px = a.stats().producers[0]!;
  assert.deepEqual([px.missingBatches, px.missingRecordsEstimate, px.lateBatches], [1, 3, 1]);
  // the stream's empty closing batch carries the total: nothing more is missing
  a.observe({ producer: 'x', seq: 8, recordsBefore: 132 }, 'T', 0);
  assert.equal(a.stats().producers[0]!.missingRecordsEstimate, 3);
});

test('gaps reach the stats line, a distlogd record per system, the control channel and `distlog stats`', async () => {
  const got: LogEntry[] = [];
  const collect = collectingPlugin(got);
  const controlPort = await freePort();
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    `control: { endpoint: "tcp://127.0.0.1:${controlPort}" }`,
    'stats: { intervalSeconds: 1 }',
    'plugins: [{ type: collect }]',
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: [collect], env: {} }), { log: (l) => lines.push(l) });
  assert.equal(handle.controlEndpoint, `tcp://127.0.0.1:${controlPort}`);
  assert.ok(lines.includes(`control on tcp://127.0.0.1:${controlPort} (distlog stats --from tcp://127.0.0.1:${controlPort})`), lines.join('\n'));
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (const seq of [1, 2, 5]) await push.send(batch('app-1', seq, 4)); // 3 and 4 never sent
    await push.send(batch('app-2', 3, 2, 'P')); // a producer first seen at seq 3
    await push.send(batch(undefined, undefined, 1));
    await waitFor('all received', () => handle.stats().receiver.messages === 5);
    const d = handle.stats().delivery;
    assert.deepEqual(
      [d.totals.producers, d.totals.missingBatches, d.totals.missingRecordsEstimate, d.totals.missingBeforeFirstSeen, d.totals.unidentifiedBatches],
      [2, 2, 8, 2, 1],
    );

    await waitFor('a stats line with the gaps', () => lines.some((l) => l.includes('producers=2 missing=2 batches (~8 recs) before-first-seen=2')), 5000);
    await waitFor('delivery records for T and P', () => got.filter((e) => e.logger === 'distlogd').length >= 2, 5000);
    const recT = got.find((e) => e.logger === 'distlogd' && e.system === 'T')!;
    assert.equal(recT.level, 'WARN');
    assert.equal(recT.kind, 'L');
    assert.equal(recT.message, 'delivery: 1 producer, 12 records in 3 batches; 2 batches missing (~8 records), 0 before first seen');
    assert.equal(recT.attributes.missingBatches, 2);
    assert.equal((recT.body as { producer: string }[])[0]!.producer, 'app-1');
    const recP = got.find((e) => e.logger === 'distlogd' && e.system === 'P')!;
    assert.equal(recP.level, 'INFO');
    assert.equal(recP.attributes.missingBeforeFirstSeen, 2);

    // The control channel answers JSON, and refuses what it does not know with a hint.
    const req = new Request({ linger: 0, receiveTimeout: 5000 });
    req.connect(handle.controlEndpoint!);
    await req.send('{"request":"shutdown"}');
    const [refusal] = await req.receive();
    assert.deepEqual(JSON.parse(refusal!.toString()), { ok: false, error: 'unknown request "shutdown"; send {"request":"stats"}' });
    req.close();

    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/distlog.ts', 'stats', '--from', handle.controlEndpoint!], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    cli.stdout.on('data', (c: Buffer) => (out += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = (await once(cli, 'exit')) as [number];
    assert.equal(code, 0, err);
    assert.match(out, /^distlogd at tcp:\/\/127\.0\.0\.1:\d+: up [\d.]+ s\n/);
    assert.match(out, /\n {2}collect: received=\d+ written=\d+ dropped=0 \(full=0 rejected=0\) errors=0 /);
    assert.match(out, /\ndelivery: 2 producers, 15 records in 5 batches; missing 2 batches \(~8 records\), 2 before first seen, 0 duplicates, 0 restarts; 1 batches \(1 records\) without producer id\n/);
    assert.match(out, /\n {2}app-1 \[T\]: batches=3 records=12 seq=1\.\.5 missing=2 \(~8 records\) before-first-seen=0\n/);
    assert.match(out, /\n {2}app-2 \[P\]: batches=1 records=2 seq=3\.\.3 missing=0 \(~0 records\) before-first-seen=2/);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('`distlog stats` with nothing listening says so and exits 1; a bad address exits 2', async () => {
  const port = await freePort();
  const run = async (args: string[]) => {
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/distlog.ts', 'stats', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    cli.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = (await once(cli, 'exit')) as [number];
    return { code, err };
  };
  const none = await run(['--from', `tcp://127.0.0.1:${port}`]);
  assert.equal(none.code, 1);
  assert.equal(none.err, `distlog stats: no answer from tcp://127.0.0.1:${port} within 3000 ms (is distlogd running with control.endpoint: tcp://127.0.0.1:${port}?)\n`);
  const bad = await run(['--from', 'localhost:5011']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^distlog stats: --from: "localhost:5011" is not a ZeroMQ address like tcp:\/\/127\.0\.0\.1:5011 \(use tcp:\/\/HOST:PORT[^\n]*\)\nusage: distlog stats/);
});

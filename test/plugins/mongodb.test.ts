/**
 * The mongodb plugin against a real FerretDB: exact records back, hostile
 * names and values accepted, indexes made, TTL refused with a warning and the
 * capped alternative working, retries never duplicating, a server that is down
 * at start not failing the start.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { MONGO_DEFAULTS, MongoSink, mongodbPlugin, redactUri, uriProblem, type MongoOptions } from '../../src/plugins/mongodb/index.js';
import { validateConfig } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, waitFor } from '../collector/helpers.js';
import { FerretDB } from '../helpers/ferretdb.js';

let server: FerretDB;
let client: MongoClient;
let dbCount = 0;

before(async () => {
  // FerretDB enforces capped collections lazily, by a cleanup every minute that
  // removes 10 % of the documents over the cap; faster here so the test is short.
  server = await FerretDB.start({ extraArgs: ['--test-capped-cleanup-interval=300ms', '--test-capped-cleanup-percentage=30'] });
  client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
});
after(async () => {
  await client?.close();
  await server?.destroy();
});

function recorder() {
  const lines: string[] = [];
  const logger = { info: (m: string) => lines.push(`info: ${m}`), warn: (m: string) => lines.push(`warn: ${m}`), error: (m: string) => lines.push(`error: ${m}`) };
  return { lines, logger };
}

function sink(over: Partial<MongoOptions> = {}) {
  const database = `t${++dbCount}`;
  const rec = recorder();
  const opts: MongoOptions = { ...MONGO_DEFAULTS, uri: server.uri, database, ...over };
  return { s: new MongoSink(opts, rec), lines: rec.lines, db: client.db(over.database ?? database), opts };
}

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Records with everything a server might choke on. */
function hostile(): LogEntry[] {
  return [
    entry({
      message: 'dots and dollars',
      task: T,
      span: '00f067aa0ba902b7',
      path: '',
      seq: 0,
      key: `0@${T}`,
      event: 'enter',
      attributes: {
        'http.status_code': 500,
        $where: 'x',
        'a.b.c': { 'nested.key': [1, [2, [3]]], $gt: 1, '%2E': 'literal percent', '': 'empty key', 'nul\u0000key': true },
        ratio: Number.NaN,
        up: Number.POSITIVE_INFINITY,
        down: Number.NEGATIVE_INFINITY,
        '%num': 'user key that looks like our tag',
        list: [[]],
        text: 'ünï©ødé \u0000 inside',
      },
      resource: { 'service.name': 'shop', 'host.name': 'h1', 'process.pid': 4242 },
    }),
    entry({
      message: 'body and exception',
      task: T,
      span: '00f067aa0ba902b7',
      parentSpan: '1111111111111111',
      path: '2/1',
      seq: 3,
      key: `3@${T}/2/1`,
      event: 'fail',
      durationMs: 12.25,
      level: 'ERROR',
      severity: 17,
      body: { 'k.v': [{ $x: 1 }], n: Number.NaN },
      exception: { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x (y.js:1:1)' },
      observedTimeUnixNano: '1795568645885009999',
      kind: 'P',
    }),
  ];
}

test('records come back exactly, dotted and $-prefixed names, NaN, nested arrays and all; logs and perf apart', async () => {
  const { s, db } = sink();
  await s.start();
  const batch = hostile();
  await s.consume(batch);
  const logs = await db.collection('logs').find().toArray();
  const perf = await db.collection('perf').find().toArray();
  assert.equal(logs.length, 1);
  assert.equal(perf.length, 1);
  // The stored shape: real dates, top-level tree fields, attributes as k/v pairs.
  const d = logs[0]!;
  assert.ok(d.time instanceof Date);
  assert.equal(d.time.getTime(), 1795568645885);
  assert.equal(d.task, T);
  assert.equal(d.seq, 0);
  assert.equal(d.path, '');
  assert.equal(d.service, 'shop');
  assert.deepEqual(d.attributes[0], { k: 'http.status_code', v: 500 });
  // Found by an attribute's dotted name (the query FerretDB can answer).
  assert.equal(await db.collection('logs').countDocuments({ 'attributes.k': 'http.status_code' }), 1);
  const back = await s.reader().taskRecords(T);
  assert.deepEqual(back, [batch[0], batch[1]]);
  await s.shutdown();
});

test('indexes are made at start; ttlDays on FerretDB: a clear warning naming the capped alternative', async () => {
  const { s, db, lines } = sink({ ttlDays: 7 });
  await s.start();
  for (const coll of ['logs', 'perf']) {
    const names = (await db.collection(coll).listIndexes().toArray()).map((i) => i.name as string).sort();
    assert.deepEqual(names, ['_id_', 'attributes', 'level', 'service', 'task_seq', 'time'], coll);
  }
  const ttl = lines.filter((l) => l.startsWith('warn:') && l.includes('no TTL indexes'));
  assert.equal(ttl.length, 2, lines.join('\n'));
  assert.match(ttl[0]!, /ttlDays=7/);
  assert.match(ttl[0]!, /capped/);
  await s.shutdown();
  await s.shutdown(); // safe twice
});

test('capped: collections are created size-bounded and the oldest records give way', async () => {
  const { s, db, lines } = sink({ capped: { sizeBytes: 1_000_000, maxDocuments: 50 } });
  await s.start();
  const [info] = await db.listCollections({ name: 'logs' }).toArray();
  assert.equal((info as { options?: { capped?: boolean } }).options?.capped, true);
  const all = Array.from({ length: 120 }, (_, i) => entry({ message: `m${i}` }));
  for (let i = 0; i < all.length; i += 40) await s.consume(all.slice(i, i + 40));
  // The cap is enforced by the server (FerretDB: by its periodic cleanup, oldest first).
  await waitFor('the cap enforced', async () => (await db.collection('logs').countDocuments()) <= 50, 60_000);
  const left = new Set((await db.collection('logs').find().toArray()).map((d) => d.message as string));
  assert.ok(left.has('m119'), 'the newest record stays');
  assert.ok(!left.has('m0'), 'the oldest record went first');
  assert.deepEqual(lines.filter((l) => !l.startsWith('info')), []);
  await s.shutdown();
});

test('a batch sent again (a retry after a lost reply) is stored once', async () => {
  const { s, db } = sink();
  await s.start();
  const batch = Array.from({ length: 500 }, (_, i) => entry({ message: `r${i}`, task: T, seq: i }));
  await s.consume(batch.slice(0, 200));
  await s.consume(batch); // the first 200 again, as a retry would send them
  await s.consume(batch);
  assert.equal(await db.collection('logs').countDocuments(), 500);
  assert.deepEqual(s.counters(), { inserted: 500, duplicates: 700, rejected: 0 });
  await s.shutdown();
});

test('a record that cannot be stored (over 16 MB) is isolated: its neighbours are stored, it is counted and reported', async () => {
  const { s, db, lines } = sink();
  await s.start();
  const batch = [entry({ message: 'left' }), entry({ message: 'x'.repeat(17 * 1024 * 1024) }), entry({ message: 'right' })];
  await s.consume(batch);
  const stored = (await db.collection('logs').find({}, { projection: { message: 1 } }).toArray()).map((d) => d.message as string);
  assert.deepEqual(stored.sort(), ['left', 'right']);
  assert.equal(s.counters().rejected, 1);
  assert.equal(lines.filter((l) => l.startsWith('error:')).length, 1, lines.join('\n'));
  assert.match(lines.find((l) => l.startsWith('error:'))!, /logs: 1 record cannot be stored \(.*16777216.*\); not retried/);
  await s.shutdown();
});

test('a server that refuses the connection at start: start() resolves and says so, consume() fails fast, then works when the server is there', async () => {
  const port = await freePort();
  const rec = recorder();
  const s = new MongoSink({ ...MONGO_DEFAULTS, uri: `mongodb://127.0.0.1:${port}`, database: 'late', serverSelectionTimeoutMs: 300 }, rec);
  const t0 = Date.now();
  await s.start();
  assert.ok(rec.lines.some((l) => /^warn: cannot reach mongodb:\/\/127\.0\.0\.1:\d+ .*retried/.test(l)), rec.lines.join('\n'));
  const late = entry({ message: 'written once the server is up' });
  await assert.rejects(s.consume([late]), /ECONNREFUSED|Server selection timed out/);
  assert.ok(Date.now() - t0 < 20_000, 'fails fast, not after a long driver timeout');
  const other = await FerretDB.start({ port });
  try {
    // What the lane does: the same batch again, until it goes through.
    await waitFor('the server reachable', () => s.consume([late]).then(() => true, () => false), 30_000);
    const c = new MongoClient(other.uri);
    const docs = await c.db('late').collection('logs').find().toArray();
    const indexes = (await c.db('late').collection('logs').listIndexes().toArray()).map((i) => i.name as string);
    await c.close();
    assert.deepEqual(docs.map((d) => d.message), ['written once the server is up']);
    assert.ok(indexes.includes('task_seq') && indexes.includes('time'), 'indexes made on first contact');
  } finally {
    await s.shutdown();
    await other.destroy();
  }
});

test('the schema refuses a malformed URI with the driver\'s reason, and bad names', () => {
  const errs = (o: Record<string, unknown>) => validateConfig(mongodbPlugin.configSchema, { ...MONGO_DEFAULTS, ...o }, 'plugins[0].options');
  assert.deepEqual(errs({}), []);
  const [scheme] = errs({ uri: 'mongo://db:27017' });
  assert.equal(scheme!.path, 'plugins[0].options.uri');
  assert.match(scheme!.message, /invalid MongoDB URI/);
  const [port] = errs({ uri: 'mongodb://db:99999' });
  assert.match(port!.message, /invalid MongoDB URI: .*db:99999/);
  const [opt] = errs({ uri: 'mongodb://db/?wtimeout=x&bogusOption=1' });
  assert.match(opt!.message, /not supported|bogusoption/i);
  assert.equal(uriProblem('mongodb://user:pw@h1,h2/?replicaSet=rs'), undefined);
  assert.equal(redactUri('mongodb://user:s3cret@h1:27017/db'), 'mongodb://user:***@h1:27017/db');
  assert.doesNotMatch(new MongoSink({ ...MONGO_DEFAULTS, uri: 'mongodb+srv://u:s3cret@c.example.net' }, recorder()).describe(), /s3cret/);
  assert.equal(errs({ database: 'a.b' })[0]!.path, 'plugins[0].options.database');
  assert.equal(errs({ collections: { log: 'system.x', perf: 'p' } })[0]!.path, 'plugins[0].options.collections.log');
  assert.equal(errs({ writeConcern: { w: 'most', journal: false, wtimeoutMs: 0 } })[0]!.path, 'plugins[0].options.writeConcern.w');
});

test('the store reader: recent tasks newest first with status, services and errors; failedOnly; records after a cursor, page by page', async () => {
  const { s } = sink();
  await s.start();
  const ns = (ms: number) => `${1795568645000 + ms}000000`;
  const svc = (name: string) => ({ 'service.name': name });
  const rec = (task: string, ms: number, over: Partial<LogEntry>) => entry({ task, timeUnixNano: ns(ms), ...over });
  const A = 'a'.repeat(32);
  const B = 'b'.repeat(32);
  const C = 'c'.repeat(32);
  const records = [
    // A: ok, two services, one error record inside a subtask that recovered
    rec(A, 0, { path: '', seq: 0, event: 'enter', message: 'task A', resource: svc('web') }),
    rec(A, 5, { path: '1', seq: 0, event: 'enter', message: 'sub', resource: svc('db') }),
    rec(A, 6, { path: '1', seq: 1, level: 'ERROR', severity: 17, message: 'retrying', resource: svc('db') }),
    rec(A, 7, { path: '1', seq: 2, event: 'exit', durationMs: 2, message: 'sub done', resource: svc('db') }),
    rec(A, 10, { path: '', seq: 1, event: 'exit', durationMs: 10, message: 'task A', resource: svc('web') }),
    // B: failed, with a perf record
    rec(B, 20, { path: '', seq: 0, event: 'enter', message: 'task B' }),
    rec(B, 21, { path: '', seq: 1, kind: 'P', message: 'timing' }),
    rec(B, 30, { path: '', seq: 2, event: 'fail', durationMs: 10, level: 'ERROR', severity: 17, message: 'FAILED task B' }),
    // C: still running
    rec(C, 40, { path: '', seq: 0, event: 'enter', message: 'task C' }),
    rec(C, 41, { path: '', seq: 1, message: 'working' }),
  ];
  await s.consume(records);
  const r = s.reader();

  const recent = await r.recentTasks({ limit: 10 });
  assert.deepEqual(
    recent.map((t) => [t.id, t.firstMessage, t.services, t.status, t.start, t.durationMs, t.errorCount]),
    [
      [C, 'task C', ['svc'], 'running', ns(40), 1, 0],
      [B, 'task B', ['svc'], 'failed', ns(20), 10, 1],
      [A, 'task A', ['db', 'web'], 'ok', ns(0), 10, 1],
    ],
  );
  assert.deepEqual((await r.recentTasks({ limit: 2 })).map((t) => t.id), [C, B]);
  assert.deepEqual((await r.recentTasks({ limit: 10, failedOnly: true })).map((t) => t.id), [B]);
  assert.deepEqual((await r.recentTasks({ limit: 10, since: (1795568645015n * 1_000_000n).toString() })).map((t) => t.id), [C, B]);
  assert.equal((await r.taskRecords(B)).length, 3, 'perf records belong to their task too');

  // Every record exactly once, in time order, across both collections, 3 at a time.
  const seen: LogEntry[] = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const got = await r.recordsAfter(cursor, 3);
    if (got.records.length === 0) break;
    seen.push(...got.records);
    cursor = got.cursor;
  }
  assert.deepEqual(seen, records);
  const more = await r.recordsAfter(cursor, 3);
  assert.deepEqual(more, { records: [], cursor });
  await assert.rejects(r.recordsAfter('nonsense', 3), /invalid mongodb store cursor "nonsense"/);
  await s.shutdown();
});

/**
 * An outage of the MongoDB-protocol server under a running collector: the
 * records wait in the mongodb plugin's bounded queue and are retried with
 * backoff, the file plugin keeps writing the whole time, and when the server
 * is back every record arrives exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig, startCollector, type PluginCounters } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { entry, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';
import { FerretDB } from '../helpers/ferretdb.js';

const balanced = (c: PluginCounters) => c.received === c.written + c.dropped + c.queued + c.inFlight;

function fileLines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
}

test('server stopped, 10,000 records sent, server started again: all 10,000 arrive once, and the file plugin kept writing', async (t) => {
  const server = await FerretDB.start();
  t.after(() => server.destroy());
  const dir = mkdtempSync(join(tmpdir(), 'distlog-mongo-outage-'));
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'shutdown: { drainTimeoutSeconds: 30 }',
    'plugins:',
    '  - type: file',
    `    options: { directory: ${JSON.stringify(dir)}, pattern: "out.jsonl", fsync: never }`,
    '  - type: mongodb',
    `    options: { uri: "${server.uri}", database: outage, serverSelectionTimeoutMs: 500, connectTimeoutMs: 500 }`,
    '    queue:',
    '      maxEntries: 20000',
    '      whenFull: drop_newest',
    '      retry: { maxAttempts: 100, initialBackoffMs: 100, maxBackoffMs: 1000 }',
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: (l) => lines.push(l) });
  t.after(() => handle.stop());
  const push = await pushSocket(handle.endpoints[0]!);
  t.after(() => push.close());
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
  t.after(() => client.close());
  const logs = client.db('outage').collection('logs');
  const outFile = join(dir, 'out.jsonl');
  const send = async (prefix: string, messages: number, perMessage: number) => {
    for (let i = 0; i < messages; i++) {
      await push.send(goodMessage(Array.from({ length: perMessage }, (_, j) => entry({ message: `${prefix}-${i}-${j}`, task: 'outage', seq: i * perMessage + j }))));
    }
  };

  // Connected and writing before the outage.
  await send('before', 1, 100);
  await waitFor('first records stored', async () => (await logs.countDocuments()) === 100, 30_000);

  await server.stop();
  await send('during', 100, 100);
  // The file plugin takes everything while the store is down.
  await waitFor('file plugin wrote all records during the outage', () => fileLines(outFile) === 10_100, 60_000);
  const during = handle.stats().plugins.mongodb!;
  assert.equal(during.written, 100, 'nothing reached the stopped server');
  assert.equal(during.dropped, 0);
  assert.equal(during.queued + during.inFlight, 10_000, 'the records wait in the queue');
  await waitFor('failed attempts counted', () => handle.stats().plugins.mongodb!.errors > 0, 30_000);

  await server.restart();
  await waitFor('all records stored after the outage', () => handle.stats().plugins.mongodb!.written === 10_100, 90_000);
  const c = handle.stats().plugins.mongodb!;
  assert.ok(balanced(c), JSON.stringify(c));
  assert.equal(c.dropped, 0);
  const have = new Set(await logs.distinct('message'));
  const missing: string[] = [];
  for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) if (!have.has(`during-${i}-${j}`)) missing.push(`during-${i}-${j}`);
  for (let j = 0; j < 100; j++) if (!have.has(`before-0-${j}`)) missing.push(`before-0-${j}`);
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} records missing`);
  assert.equal(await logs.countDocuments(), 10_100, `none lost, none twice\n${lines.join('\n')}`);
  assert.equal(handle.stats().plugins.file!.written, 10_100);
  assert.ok(lines.some((l) => l.startsWith('plugin mongodb: consume failed:')), lines.join('\n'));
});

test('an outage longer than the queue holds: what fits waits and arrives once, the rest is dropped and counted', async (t) => {
  const server = await FerretDB.start();
  t.after(() => server.destroy());
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: mongodb',
    `    options: { uri: "${server.uri}", database: bound, serverSelectionTimeoutMs: 500, connectTimeoutMs: 500 }`,
    '    queue:',
    '      maxEntries: 1000',
    '      whenFull: drop_newest',
    '      retry: { maxAttempts: 100, initialBackoffMs: 100, maxBackoffMs: 1000 }',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: () => {} });
  t.after(() => handle.stop());
  const push = await pushSocket(handle.endpoints[0]!);
  t.after(() => push.close());
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
  t.after(() => client.close());

  await server.stop();
  for (let i = 0; i < 50; i++) await push.send(goodMessage(Array.from({ length: 100 }, (_, j) => entry({ message: `b-${i}-${j}` }))));
  await waitFor('all 5,000 offered', () => handle.stats().plugins.mongodb!.received === 5_000, 30_000);
  const during = handle.stats().plugins.mongodb!;
  // The bound is on the queue; the batch being retried is beside it.
  assert.equal(during.queued, 1_000, 'the queue holds its bound, no more');
  assert.ok(during.inFlight <= 100, JSON.stringify(during));
  const kept = during.queued + during.inFlight;
  assert.equal(during.dropped, 5_000 - kept);

  await server.restart();
  await waitFor('the waiting records stored', () => handle.stats().plugins.mongodb!.written === kept, 60_000);
  const c = handle.stats().plugins.mongodb!;
  assert.ok(balanced(c), JSON.stringify(c));
  assert.equal(await client.db('bound').collection('logs').countDocuments(), kept, 'each once');
});

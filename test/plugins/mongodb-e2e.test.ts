/**
 * Real processes all the way: an app (register() + the ZeroMQ exporter) → a
 * distlogd process with the file and mongodb plugins → FerretDB. The task read
 * back from FerretDB by its id builds exactly the tree the file copy builds.
 * And `distlogd --check-config` rejects a malformed URI before anything runs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { MongoSink, MONGO_DEFAULTS } from '../../src/plugins/mongodb/index.js';
import type { LogEntry } from '../../src/protocol/index.js';
import { buildTrees, canonicalTask, renderTask } from '../../src/viewer/index.js';
import { freePort, waitFor } from '../collector/helpers.js';
import { FerretDB } from '../helpers/ferretdb.js';
import { listeningEndpoint } from '../cli/run-distlogd.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsNode = (file: string, args: string[], cwd = root) =>
  spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, file), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });

let server: FerretDB;
before(async () => {
  server = await FerretDB.start();
});
after(async () => {
  await server?.destroy();
});

function lines(file: string): LogEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
}

test('app → distlogd → FerretDB: the task read back by id rebuilds the exact tree; indexes are there', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-mongo-e2e-'));
  const config = join(dir, 'distlogd.yaml');
  writeFileSync(
    config,
    [
      'receiver:',
      '  endpoints: ["tcp://127.0.0.1:*"]',
      'stats: { intervalSeconds: 0 }',
      'plugins:',
      '  - type: file',
      '    options: { directory: ./data, pattern: "{system}{kind}.jsonl" }',
      '  - type: mongodb',
      '    options:',
      '      uri: ${MONGO_URI}',
      '      database: e2e',
      '',
    ].join('\n'),
  );
  const daemon = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/distlogd.ts'), '--config', config], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MONGO_URI: server.uri },
  });
  t.after(() => {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  });
  let err = '';
  daemon.stderr.on('data', (c: Buffer) => (err += c.toString()));
  // The plugin lines follow the listening lines, maybe in a later chunk of stderr.
  await waitFor('distlogd started', () => /plugin mongodb \(mongodb\)/.test(err) || daemon.exitCode !== null, 60_000);
  assert.match(err, /plugin mongodb \(mongodb\): documents to mongodb:\/\/127\.0\.0\.1:\d+ database e2e \(logs: logs, perf: perf/);
  const endpoint = listeningEndpoint(err)!;

  const app = tsNode('test/cli/fixtures/shop-app.ts', [endpoint]);
  let out = '';
  app.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(app, 'exit')) as [number];
  assert.equal(code, 0);
  const T = out.trim();
  assert.match(T, /^[0-9a-f]{32}$/);

  const client = new MongoClient(server.uri);
  t.after(() => client.close());
  const db = client.db('e2e');
  // 10 log records (one outside the task) and 1 performance record.
  await waitFor('records stored', async () => (await db.collection('logs').countDocuments()) >= 10 && (await db.collection('perf').countDocuments()) >= 1, 30_000);
  daemon.kill('SIGTERM');
  const [dcode] = (await once(daemon, 'exit')) as [number];
  assert.equal(dcode, 0, err);

  // Read back through the plugin's store reader, by task id.
  const reader = new MongoSink({ ...MONGO_DEFAULTS, uri: server.uri, database: 'e2e' }, { logger: { info() {}, warn() {}, error() {} } });
  await reader.start();
  t.after(() => reader.shutdown());
  const fromMongo = await reader.reader().taskRecords(T);
  const fromFile = [...lines(join(dir, 'data', 'TL.jsonl')), ...lines(join(dir, 'data', 'TP.jsonl'))].filter((e) => e.task === T);
  assert.equal(fromMongo.length, 10);
  assert.deepEqual(
    [...fromMongo].sort((a, b) => (a.key! < b.key! ? -1 : 1)),
    [...fromFile].sort((a, b) => (a.key! < b.key! ? -1 : 1)),
    'every record exactly as the file plugin wrote it',
  );
  // Same records, so the same tree; canonicalTask serializes records with their
  // key order, which depends on the decoder, so both sides get one key order.
  const keyOrder = (e: LogEntry) => Object.fromEntries(Object.entries(e).sort(([a], [b]) => (a < b ? -1 : 1))) as unknown as LogEntry;
  const mongoTree = buildTrees(fromMongo.map(keyOrder)).task(T)!;
  const fileTree = buildTrees(fromFile.map(keyOrder)).task(T)!;
  assert.equal(canonicalTask(mongoTree), canonicalTask(fileTree));
  const shown = renderTask(mongoTree);
  assert.equal(shown, renderTask(fileTree));
  for (const m of ['checkout A-1', 'charge card', 'bank slow: 250ms', 'send mail', 'smtp down']) assert.ok(shown.includes(m), `${m} in\n${shown}`);

  const [recent] = await reader.reader().recentTasks({ limit: 5 });
  assert.deepEqual(
    { id: recent!.id, firstMessage: recent!.firstMessage, services: recent!.services, status: recent!.status, errorCount: recent!.errorCount },
    { id: T, firstMessage: 'checkout A-1', services: ['shop'], status: 'ok', errorCount: 1 },
  );

  // The user's way: `distlog tree TASK --from mongodb://...` shows the same tree as from the files.
  const cli = tsNode('src/cli/distlog.ts', ['tree', T, '--from', `${server.uri}/e2e`, '--no-color']);
  let cliOut = '';
  let cliErr = '';
  cli.stdout.on('data', (c: Buffer) => (cliOut += c.toString()));
  cli.stderr.on('data', (c: Buffer) => (cliErr += c.toString()));
  const [cliCode] = (await once(cli, 'exit')) as [number];
  assert.equal(cliCode, 0, cliErr);
  const fileCli = tsNode('src/cli/distlog.ts', ['tree', T, '--from', `file:${join(dir, 'data')}`, '--no-color']);
  let fileCliOut = '';
  fileCli.stdout.on('data', (c: Buffer) => (fileCliOut += c.toString()));
  await once(fileCli, 'exit');
  assert.equal(cliOut, fileCliOut);
  for (const m of ['checkout A-1', 'smtp down']) assert.ok(cliOut.includes(m), `${m} in\n${cliOut}`);

  const indexes = (await db.collection('logs').listIndexes().toArray()).map((i) => i.name as string).sort();
  assert.deepEqual(indexes, ['_id_', 'attributes', 'level', 'service', 'task_seq', 'time']);
});

test('distlogd --check-config: a malformed MongoDB URI is a clear error with its place, before anything connects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-mongo-check-'));
  writeFileSync(join(dir, 'bad.yaml'), 'plugins:\n  - type: mongodb\n    options:\n      uri: "mongodb://db.example:99999/x"\n      writeConcern: { w: most }\n');
  const run = tsNode('src/cli/distlogd.ts', ['--check-config', '--config', 'bad.yaml'], dir);
  let err = '';
  run.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(run, 'exit')) as [number];
  assert.equal(code, 2, err);
  assert.match(err, /bad\.yaml:4:\d+: plugins\[0\]\.options\.uri: invalid MongoDB URI: .*db\.example:99999/);
  assert.match(err, /bad\.yaml:5:\d+: plugins\[0\]\.options\.writeConcern\.w: invalid value "most"/);
  assert.doesNotMatch(err, /\bat \S+ \(/, 'no stack trace');
});

test('distlogd started while the server refuses connections: it starts, says so, and stores the records once the server is up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-mongo-late-'));
  const dbPort = await freePort(); // the server starts later, on this port
  writeFileSync(
    join(dir, 'distlogd.yaml'),
    [
      'receiver:',
      '  endpoints: ["tcp://127.0.0.1:*"]',
      'stats: { intervalSeconds: 0 }',
      'plugins:',
      '  - type: mongodb',
      `    options: { uri: "mongodb://127.0.0.1:${dbPort}", database: late, serverSelectionTimeoutMs: 500 }`,
      '    queue: { retry: { maxAttempts: 100, initialBackoffMs: 100, maxBackoffMs: 500 } }',
      '',
    ].join('\n'),
  );
  const daemon = tsNode('src/cli/distlogd.ts', ['--config', 'distlogd.yaml'], dir);
  t.after(() => {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  });
  let err = '';
  daemon.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('distlogd listening', () => listeningEndpoint(err) !== undefined || daemon.exitCode !== null, 60_000);
  const endpoint = listeningEndpoint(err)!;
  assert.match(err, new RegExp(`plugin mongodb: warning: cannot reach mongodb://127\\.0\\.0\\.1:${dbPort} \\(.*ECONNREFUSED.*\\); records wait in the queue and are retried`));

  const app = tsNode('test/cli/fixtures/shop-app.ts', [endpoint]);
  let out = '';
  app.stdout.on('data', (c: Buffer) => (out += c.toString()));
  assert.equal(((await once(app, 'exit')) as [number])[0], 0);
  await waitFor('a failed attempt reported', () => /plugin mongodb: consume failed: .*retrying/.test(err), 30_000);

  const late = await FerretDB.start({ port: dbPort });
  t.after(() => late.destroy());
  const client = new MongoClient(late.uri);
  t.after(() => client.close());
  const T = out.trim();
  await waitFor('records stored once the server is up', async () => (await client.db('late').collection('logs').countDocuments({ task: T })) === 9, 60_000);
  assert.equal(await client.db('late').collection('perf').countDocuments({ task: T }), 1);
  daemon.kill('SIGTERM');
  assert.equal(((await once(daemon, 'exit')) as [number])[0], 0, err);
  assert.equal(await client.db('late').collection('logs').countDocuments(), 10, 'none twice (9 in the task, 1 outside)');
});

/**
 * The redis plugin against a real redis-server: a collector (in-process, fed
 * over ZeroMQ) stores exact records in each mode; a real subscriber gets the
 * pub/sub messages; `distlog tree --from redis://...` rebuilds a task tree
 * from what the plugin stored, the same as from the file plugin's files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from 'redis';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { runTreeCommand } from '../../src/cli/tree-command.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { FILE_DEFAULTS, FileSink, FileStoreReader } from '../../src/plugins/file/index.js';
import { REDIS_DEFAULTS, RedisSink, RedisStreamReader } from '../../src/plugins/redis/index.js';
import { entry, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';
import { RedisServer } from '../helpers/redis-server.js';
import { T } from '../viewer/helpers.js';
import { checkout } from '../viewer/scenario.js';

const quiet = { info() {}, warn() {}, error() {} };
let server: RedisServer;
let db = 0;

before(async () => {
  server = await RedisServer.start();
});
after(async () => {
  await server?.close();
});

/** A fresh database per test (0..15), so tests never see each other's keys. */
function nextUrl(): string {
  db++;
  return `${server.url}/${db}`;
}

async function client(url: string) {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function collectorWith(options: Record<string, unknown>): Promise<{ handle: CollectorHandle; send: (e: LogEntry[]) => Promise<void>; lines: string[] }> {
  const text = JSON.stringify({
    receiver: { endpoints: ['tcp://127.0.0.1:*'] },
    stats: { intervalSeconds: 0 },
    plugins: [{ type: 'redis', name: 'r', options }],
  });
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  const send = async (es: LogEntry[]) => void (await push.send(goodMessage(es)));
  const stop = handle.stop.bind(handle);
  (handle as { stop: typeof handle.stop }).stop = async (...a) => {
    push.close();
    return stop(...a);
  };
  return { handle, send, lines };
}

const shop = (service: string, i: number) => entry({ message: `${service} ${i}`, task: 'c'.repeat(32), seq: i, resource: { 'service.name': service } });

describe('redis plugin, collector → redis-server', () => {
  it('stream mode: exact records, one stream per system/kind/service, in order, with task and time fields', async () => {
    const url = nextUrl();
    const { handle, send } = await collectorWith({ url, mode: 'stream', maxLen: 1000 });
    const sent = [...Array.from({ length: 30 }, (_, i) => shop('orders', i)), ...Array.from({ length: 20 }, (_, i) => shop('bank', i))];
    for (let i = 0; i < sent.length; i += 10) await send(sent.slice(i, i + 10));
    await waitFor('50 written', () => handle.stats().plugins.r!.written === 50);
    await handle.stop();
    const c = await client(url);
    try {
      assert.deepEqual((await c.keys('*')).sort(), ['distlog:T:L:bank', 'distlog:T:L:orders']);
      for (const service of ['orders', 'bank']) {
        const stored = (await c.xRange(`distlog:T:L:${service}`, '-', '+')) ?? [];
        assert.deepEqual(stored.map((s) => JSON.parse(s.message.entry!) as LogEntry), sent.filter((e) => e.resource['service.name'] === service));
        assert.ok(stored.every((s, i) => s.message.task === 'c'.repeat(32) && s.message.time === sent[0]!.timeUnixNano && (i === 0 || s.id !== stored[i - 1]!.id)));
      }
    } finally {
      await c.close();
    }
  });

  it('list mode: exact records per list, trimmed to maxLen (the newest kept)', async () => {
    const url = nextUrl();
    const { handle, send } = await collectorWith({ url, mode: 'list', maxLen: 25, key: 'logs:{systemName}:{kindName}:{service}' });
    const sent = Array.from({ length: 40 }, (_, i) => shop('orders', i));
    for (let i = 0; i < sent.length; i += 10) await send(sent.slice(i, i + 10));
    await waitFor('40 written', () => handle.stats().plugins.r!.written === 40);
    await handle.stop();
    const c = await client(url);
    try {
      assert.deepEqual(await c.keys('*'), ['logs:test:log:orders']);
      const stored = (await c.lRange('logs:test:log:orders', 0, -1)).map((s) => JSON.parse(s) as LogEntry);
      assert.deepEqual(stored, sent.slice(15));
    } finally {
      await c.close();
    }
  });

  it('pubsub mode: a real subscriber gets every record, per channel, in order', async () => {
    const url = nextUrl();
    const sub = await client(url);
    const got: { channel: string; e: LogEntry }[] = [];
    await sub.pSubscribe('distlog:*', (message, channel) => void got.push({ channel, e: JSON.parse(message) as LogEntry }));
    const { handle, send } = await collectorWith({ url, mode: 'pubsub' });
    try {
      const sent = [...Array.from({ length: 15 }, (_, i) => shop('orders', i)), ...Array.from({ length: 5 }, (_, i) => shop('bank', i))];
      await send(sent.slice(0, 10));
      await send(sent.slice(10));
      await waitFor('20 messages', () => got.length === 20);
      assert.deepEqual(got.filter((g) => g.channel === 'distlog:T:L:orders').map((g) => g.e), sent.slice(0, 15));
      assert.deepEqual(got.filter((g) => g.channel === 'distlog:T:L:bank').map((g) => g.e), sent.slice(15));
    } finally {
      await handle.stop();
      await sub.close();
    }
  });
});

describe('reading the redis plugin\'s streams (StoreReader, distlog tree --from redis://)', () => {
  let url = '';
  let dir = '';
  const records = checkout();

  before(async () => {
    url = nextUrl();
    dir = mkdtempSync(join(tmpdir(), 'distlog-redis-tree-'));
    // The same records through the redis plugin and the file plugin.
    const sink = new RedisSink({ ...REDIS_DEFAULTS, url }, { logger: quiet });
    const file = new FileSink({ ...FILE_DEFAULTS, directory: dir, fsync: 'never' }, { baseDir: '/', logger: quiet });
    await sink.start();
    for (const part of [records.slice(0, 7), records.slice(7)]) {
      await sink.consume(part);
      await file.consume(part);
    }
    await sink.shutdown();
    await file.shutdown();
  });

  async function tree(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runTreeCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdin: Readable.from(['']), colorDefault: false, nowMs: Date.now() });
    return { code, stdout, stderr };
  }

  it('distlog tree TASK --from redis://... prints the task tree, as from the file plugin\'s files', async () => {
    const fromRedis = await tree([T, '--from', url]);
    assert.equal(fromRedis.stderr, '');
    assert.equal(fromRedis.code, 0);
    assert.match(fromRedis.stdout, /^task a{32} · bank, orders, proxy · 16 records · 3 errors\n/);
    assert.match(fromRedis.stdout, /charge card/);
    const fromFiles = await tree([T, '--from', `file:${dir}`]);
    assert.equal(fromRedis.stdout, fromFiles.stdout);
    // ?stream= narrows the read to one stream (here one service's records).
    const bankOnly = await tree([T, '--from', `${url}?stream=distlog:T:L:bank`]);
    assert.equal(bankOnly.code, 0, bankOnly.stderr);
    assert.match(bankOnly.stdout, new RegExp(`^task a{32} · bank · ${records.filter((e) => e.resource['service.name'] === 'bank').length} records`));
    const list = await tree(['--from', url]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /a{32} +failed .*checkout A-1/);
  });

  it('the redis and file readers answer the same: recent tasks, a task\'s records, pages after a cursor', async () => {
    const redis = new RedisStreamReader({ url, key: REDIS_DEFAULTS.key });
    const files = new FileStoreReader(dir);
    try {
      const recent = await redis.recentTasks({ limit: 10 });
      assert.deepEqual(recent, await files.recentTasks({ limit: 10 }));
      assert.equal(recent.length, 1);
      assert.deepEqual({ ...recent[0], durationMs: undefined }, {
        id: T,
        firstMessage: records.find((e) => e.path === '' && e.event === 'enter')!.message,
        services: ['bank', 'orders', 'proxy'],
        status: 'failed',
        start: records.map((e) => e.timeUnixNano).sort()[0],
        durationMs: undefined,
        errorCount: 3,
        recordCount: 16,
      });
      assert.deepEqual(await redis.recentTasks({ limit: 10, failedOnly: true }), recent);
      assert.deepEqual(await redis.recentTasks({ limit: 10, since: String(BigInt(Date.now() + 60_000) * 1_000_000n) }), []);
      const key = (e: LogEntry) => `${e.resource['service.name']}|${e.path}|${e.seq}|${e.message}`;
      assert.deepEqual((await redis.taskRecords(T)).map(key).sort(), records.filter((e) => e.task === T).map(key).sort());
      assert.deepEqual(await redis.taskRecords('f'.repeat(32)), []);
      // Pages of 5 cover every record exactly once; the last cursor then yields nothing until more is stored.
      const seen: LogEntry[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const page = await redis.recordsAfter(cursor, 5);
        assert.ok(page.records.length <= 5);
        seen.push(...page.records);
        cursor = page.cursor;
        if (page.records.length === 0) break;
      }
      assert.deepEqual(seen.map(key).sort(), records.map(key).sort());
      const more = new RedisSink({ ...REDIS_DEFAULTS, url }, { logger: quiet });
      await more.start();
      await more.consume([entry({ message: 'late' })]);
      await more.shutdown();
      assert.deepEqual((await redis.recordsAfter(cursor, 5)).records.map((e) => e.message), ['late']);
    } finally {
      await redis.close();
      await files.close();
    }
  });

  it('--from with a bad redis URL or an unreachable server says so', async () => {
    const bad = await tree(['--from', 'redis://127.0.0.1:notaport']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from redis:\/\/127\.0\.0\.1:notaport: malformed URL/);
    const param = await tree(['--from', `${url}?strem=x`]);
    assert.match(param.stderr, /unknown parameter "strem" \(allowed: stream\)/);
    const down = await tree(['--from', 'redis://127.0.0.1:1']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^distlog tree: cannot read redis:\/\/127\.0\.0\.1:1: ECONNREFUSED\n$/);
  });
});

/**
 * Outages of a real redis-server under a running collector (in-process, fed
 * over ZeroMQ, with the redis and the file plugin):
 * - server stopped, 10,000 records sent, server started again: all 10,000
 *   arrive exactly once, and the file plugin kept writing meanwhile;
 * - connections killed again and again while records flow (pipelines cut in
 *   the middle): every record stored exactly once;
 * - no server at start: the collector starts, says so, retries, delivers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, goodMessage, pushSocket, sleep, waitFor } from '../collector/helpers.js';
import { RedisServer } from '../helpers/redis-server.js';

const servers: RedisServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function collector(url: string, fileDir?: string, mode: 'stream' | 'list' = 'stream') {
  const queue = { maxEntries: 20_000, consumeTimeoutMs: 10_000, retry: { maxAttempts: 100, initialBackoffMs: 20, maxBackoffMs: 500 } };
  const plugins: unknown[] = [{ type: 'redis', name: 'redis', options: { url, mode, reconnectMaxDelayMs: 200 }, queue }];
  if (fileDir) plugins.push({ type: 'file', name: 'file', options: { directory: fileDir, fsync: 'never' } });
  const text = JSON.stringify({ receiver: { endpoints: ['tcp://127.0.0.1:*'] }, stats: { intervalSeconds: 0 }, plugins });
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  return {
    handle,
    lines,
    send: async (es: LogEntry[]) => void (await push.send(goodMessage(es))),
    stop: async () => {
      push.close();
      await handle.stop();
    },
  };
}

/** Every stored entry's message, from every distlog stream of the server. */
async function storedMessages(url: string): Promise<string[]> {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  try {
    const out: string[] = [];
    for (const key of await c.keys('distlog:*')) {
      if ((await c.type(key)) === 'list') for (const v of await c.lRange(key, 0, -1)) out.push((JSON.parse(v) as LogEntry).message);
      else for (const s of (await c.xRange(key, '-', '+')) ?? []) out.push((JSON.parse(s.message.entry!) as LogEntry).message);
    }
    return out;
  } finally {
    await c.close();
  }
}

function assertOnce(messages: string[], expected: number, prefix: string): void {
  const mine = messages.filter((m) => m.startsWith(prefix));
  const counts = new Map<string, number>();
  for (const m of mine) counts.set(m, (counts.get(m) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(twice.slice(0, 5), [], `${twice.length} records stored more than once`);
  assert.equal(counts.size, expected, `${expected - counts.size} records missing`);
}

const batchOf = (prefix: string, i: number, n: number) =>
  Array.from({ length: n }, (_, j) => entry({ message: `${prefix} ${i * n + j}`, resource: { 'service.name': `svc${j % 3}` } }));

let server: RedisServer;
before(async () => {
  server = await RedisServer.start();
  servers.push(server);
});

for (const mode of ['stream', 'list'] as const) {
  test(`${mode} mode, server down while 10,000 records arrive: all stored exactly once after it returns; the file plugin kept writing`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'distlog-outage-'));
    await server.resume();
    const url = `${server.url}/${mode === 'stream' ? 2 : 3}`;
    const c = await collector(url, dir, mode);
    try {
      await c.send(batchOf('warm', 0, 10));
      await waitFor('warm-up stored', () => c.handle.stats().plugins.redis!.written === 10);

      await server.stop();
      await waitFor('the plugin noticed the loss', () => c.lines.some((l) => /plugin redis: warning: lost redis:\/\/127\.0\.0\.1:\d+/.test(l)));
      for (let i = 0; i < 100; i++) await c.send(batchOf('outage', i, 100));
      await waitFor('the file plugin wrote everything while Redis was down', () => c.handle.stats().plugins.file!.written === 10_010, 60_000);
      const during = c.handle.stats().plugins.redis!;
      assert.equal(server.running, false);
      assert.equal(during.written, 10);
      assert.equal(during.dropped, 0);
      assert.equal(during.queued + during.inFlight, 10_000);
      assert.ok(during.errors > 0, 'consume() failed while the server was down');

      await server.resume();
      await waitFor('the waiting records reached Redis', () => c.handle.stats().plugins.redis!.written === 10_010, 90_000);
      assert.equal(c.handle.stats().plugins.redis!.dropped, 0);
      assert.ok(c.lines.some((l) => /plugin redis: reconnected to redis:/.test(l)));
      // The restarted server kept nothing from before (no persistence): exactly the 10,000 outage records.
      const stored = await storedMessages(url);
      assertOnce(stored, 10_000, 'outage ');
      assert.equal(stored.length, 10_000);
    } finally {
      await c.stop();
    }
  });
}

test('connections killed again and again mid-pipeline: every record stored exactly once', async () => {
  const url = `${server.url}/1`;
  const c = await collector(url);
  const killer = createClient({ url: server.url });
  killer.on('error', () => {});
  await killer.connect();
  let kills = 0;
  let killing = true;
  const killLoop = (async () => {
    // A bounded number of cuts at uneven moments, so that the records do get through in between.
    for (let n = 0; killing && n < 25; n++) {
      await sleep(20 + ((n * 37) % 60));
      // Every client but this one: the collector's pipelines break wherever they are.
      kills += Number(await killer.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']));
    }
  })();
  try {
    for (let i = 0; i < 100; i++) await c.send(batchOf('cut', i, 100));
    await killLoop;
    await waitFor('all 10,000 written', () => c.handle.stats().plugins.redis!.written === 10_000, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(c.handle.stats().plugins.redis)}\n${c.lines.slice(-10).join('\n')}`);
    });
    assert.ok(kills > 0, 'connections were killed');
    assert.equal(c.handle.stats().plugins.redis!.dropped, 0);
    const stored = await storedMessages(url);
    assertOnce(stored, 10_000, 'cut ');
    assert.equal(stored.length, 10_000);
  } finally {
    killing = false;
    await killLoop;
    await killer.close();
    await c.stop();
  }
});

test('no server at start: the collector starts, says so, retries, and delivers once the server is up', async () => {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const c = await collector(url);
  try {
    assert.ok(
      c.lines.some((l) => l.includes(`plugin redis: warning: cannot reach ${url} (ECONNREFUSED): running on without it, reconnecting`)),
      c.lines.join('\n'),
    );
    for (let i = 0; i < 5; i++) await c.send(batchOf('late', i, 10));
    await sleep(300);
    assert.equal(c.handle.stats().plugins.redis!.written, 0);
    const late = await RedisServer.start(port);
    servers.push(late);
    await waitFor('the 50 waiting records stored', () => c.handle.stats().plugins.redis!.written === 50, 30_000);
    assert.ok(c.lines.some((l) => l === `plugin redis: connected to ${url}`), c.lines.join('\n'));
    assertOnce(await storedMessages(url), 50, 'late ');
  } finally {
    await c.stop();
  }
});

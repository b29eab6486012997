/**
 * The zmq-pub plugin in a real collector: records pushed to distlogd come back
 * out of its PUB feed, filtered by topic prefix, decoded by subscribe(); a
 * subscriber that never reads does not slow the collector; a subscriber started
 * before the collector gets records once it is up. Real sockets on free loopback ports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subscriber } from 'zeromq';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { subscribe, type Subscription } from '../../src/exporter/subscribe.js';
import { filePlugin } from '../../src/plugins/file/index.js';
import { zmqPubPlugin, type ZmqPubSink } from '../../src/plugins/zmq-pub/index.js';
import type { PluginFactory } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, goodMessage, pushSocket, sleep, waitFor } from '../collector/helpers.js';

interface Running {
  handle: CollectorHandle;
  pub: () => ZmqPubSink;
  pubEndpoint: string;
  send: (entries: LogEntry[]) => Promise<void>;
  close: () => Promise<void>;
  dir: string;
}

/** A collector with the zmq-pub plugin (options as YAML flow text) and optionally the file plugin. */
async function collector(pubOptions: string, opts: { file?: boolean; pubEndpoint?: string } = {}): Promise<Running> {
  let inst: ZmqPubSink | undefined;
  // The same factory, keeping the instance so the test can read its counters.
  const pub: PluginFactory = { ...zmqPubPlugin, create: (o, c) => (inst = zmqPubPlugin.create(o as never, c) as ZmqPubSink) };
  const dir = mkdtempSync(join(tmpdir(), 'distlog-zmqpub-'));
  const pubEndpoint = opts.pubEndpoint ?? `tcp://127.0.0.1:${await freePort()}`;
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    `  - { type: zmq-pub, options: { endpoint: "${pubEndpoint}", ${pubOptions} } }`,
    ...(opts.file ? [`  - { type: file, options: { directory: "${dir}", fsync: never }, queue: { whenFull: block, maxEntries: 1000000, maxBytes: 1000000000 } }`] : []),
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [pub, filePlugin], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  return {
    handle,
    pub: () => inst!,
    pubEndpoint,
    dir,
    send: async (entries) => void (await push.send(goodMessage(entries))),
    close: async () => {
      push.close();
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * ZeroMQ's slow joiner: a subscription takes effect some time after connect.
 * Sends `probe` records until the subscriber has yielded one (returned).
 */
async function joined(c: Running, sub: Subscription, probe: Partial<LogEntry>): Promise<LogEntry> {
  const first = sub.next();
  let got: IteratorResult<LogEntry> | undefined;
  void first.then((r) => (got = r));
  const deadline = Date.now() + 20_000;
  while (!got) {
    if (Date.now() > deadline) throw new Error('subscriber never received a probe record');
    await c.send([entry(probe)]);
    await sleep(50);
  }
  assert.equal(got.done, false);
  return got.value as LogEntry;
}

test('records pushed to the collector come out of the PUB feed, filtered by service and level prefixes', async () => {
  const c = await collector('encoding: J');
  const svcA = subscribe(c.pubEndpoint, { service: 'svc-a' });
  const warnUp = subscribe(c.pubEndpoint, { minLevel: 'warn' });
  const bEnc = subscribe(c.pubEndpoint, { service: ['svc|b'], minLevel: 'error', system: 'test', kind: 'log' });
  try {
    await joined(c, svcA, { resource: { 'service.name': 'svc-a' }, message: 'probe', level: 'TRACE', severity: 1 });
    await joined(c, warnUp, { resource: { 'service.name': 'probe' }, message: 'probe', level: 'FATAL', severity: 21 });
    await joined(c, bEnc, { resource: { 'service.name': 'svc|b' }, message: 'probe', level: 'FATAL', severity: 21 });
    // Drain the probes still in flight, then send the real batch.
    await sleep(300);
    const marker = `run-${Date.now()}`;
    const sent = [
      entry({ resource: { 'service.name': 'svc-a' }, message: `${marker} a-info`, level: 'INFO', severity: 9, task: 'ab'.repeat(16), path: '1', seq: 2, attributes: { n: 1 } }),
      entry({ resource: { 'service.name': 'svc-a' }, message: `${marker} a-warn`, level: 'WARN', severity: 13 }),
      entry({ resource: { 'service.name': 'svc|b' }, message: `${marker} b-error`, level: 'ERROR', severity: 17, exception: { type: 'TypeError', message: 'x is undefined' } }),
      entry({ resource: { 'service.name': 'svc|b' }, message: `${marker} b-info`, level: 'INFO', severity: 9 }),
      entry({ resource: { 'service.name': 'svc-c' }, message: `${marker} c-fatal`, level: 'FATAL', severity: 21 }),
    ];
    await c.send(sent);
    const fromA = await takeMarked(svcA, marker, 2);
    assert.deepEqual(fromA.map((e) => e.message), [`${marker} a-info`, `${marker} a-warn`]);
    assert.deepEqual(fromA[0], sent[0], 'decoded record equals the one sent');
    const warn = await takeMarked(warnUp, marker, 3);
    assert.deepEqual(warn.map((e) => e.message).sort(), [`${marker} a-warn`, `${marker} b-error`, `${marker} c-fatal`]);
    const b = await takeMarked(bEnc, marker, 1);
    assert.deepEqual(b, [sent[2]]);
    assert.equal(c.pub().counters().failedMessages, 0);
    assert.equal(svcA.stats.missed, 0);
  } finally {
    for (const s of [svcA, warnUp, bEnc]) s.close();
    await c.close();
  }
});

/** Reads until `n` records carrying `marker` arrived; records without it (probes) are skipped. */
async function takeMarked(sub: Subscription, marker: string, n: number): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  const timer = setTimeout(() => sub.close(), 20_000);
  for await (const e of sub) {
    if (e.message.startsWith(marker)) out.push(e);
    if (out.length === n) break;
  }
  clearTimeout(timer);
  assert.equal(out.length, n, `got ${out.length} of ${n} marked records: ${out.map((e) => e.message).join(', ')}`);
  // A little longer: nothing else of the marker may follow (the filter held).
  const extra = await Promise.race([sub.next(), sleep(300).then(() => undefined)]);
  if (extra && !extra.done) assert.ok(!extra.value.message.startsWith(marker), `unexpected record ${extra.value.message}`);
  return out;
}

test('the topic frame is SKE|service|LEVEL (service escaped) and one message carries a (service, level) group', async () => {
  const c = await collector('encoding: O, maxEntriesPerMessage: 2');
  const raw = new Subscriber({ linger: 0 });
  raw.connect(c.pubEndpoint);
  raw.subscribe('TLO|a%7Cb|ERROR');
  try {
    const frames: Buffer[][] = [];
    void (async () => {
      for await (const f of raw) frames.push(f);
    })().catch(() => {});
    await waitFor('the raw subscriber joined', async () => {
      await c.send([entry({ resource: { 'service.name': 'a|b' }, level: 'ERROR', severity: 18, message: 'probe' })]);
      await sleep(50);
      return frames.length > 0;
    }, 20_000);
    await sleep(300);
    frames.length = 0;
    const five = Array.from({ length: 5 }, (_, i) => entry({ resource: { 'service.name': 'a|b' }, level: 'ERROR', severity: 17, message: `e${i}` }));
    await c.send([...five, entry({ resource: { 'service.name': 'a|b' }, level: 'WARN', severity: 13 }), entry({ level: 'ERROR', severity: 17 })]);
    await waitFor('three messages of two, two and one records', () => frames.length === 3);
    await sleep(200);
    assert.equal(frames.length, 3, 'the WARN record and the other service stay out');
    for (const f of frames) assert.equal(f[0]!.toString(), 'TLO|a%7Cb|ERROR');
  } finally {
    raw.close();
    await c.close();
  }
});

test('a subscriber that never reads does not slow the collector: the file plugin writes everything, the gap is counted', async () => {
  const c = await collector('sendHighWaterMark: 5, maxEntriesPerMessage: 10', { file: true });
  const sub = subscribe(c.pubEndpoint, { service: 'svc' }, { receiveHighWaterMark: 5 });
  try {
    await joined(c, sub, { message: 'probe' });
    // ~20 MB of records: more than the loopback socket buffers and both high-water marks hold.
    const pad = 'x'.repeat(2000);
    const N = 10_000;
    const t0 = Date.now();
    for (let i = 0; i < N; i += 500) await c.send(Array.from({ length: 500 }, (_, j) => entry({ message: `flood ${i + j} ${pad}` })));
    await waitFor('the file plugin wrote every record', () => c.handle.stats().plugins.file!.written >= N, 90_000);
    const elapsed = Date.now() - t0;
    const pub = c.pub().counters();
    assert.ok(pub.entries >= N, `published ${pub.entries} records`);
    assert.equal(pub.failedMessages, 0, 'PUB sends never block or fail: past the HWM libzmq drops per subscriber');
    const lines = readdirSync(c.dir).reduce((n, f) => n + readFileSync(join(c.dir, f), 'utf8').split('\n').filter((l) => l.includes('"flood ')).length, 0);
    assert.equal(lines, N);
    // Now read what was buffered until the feed is quiet, then one more record
    // (sent until it gets through) closes the last gap.
    let pending = sub.next();
    const nextWithin = async (ms: number) => {
      const r = await Promise.race([pending, sleep(ms).then(() => undefined)]);
      if (r) pending = sub.next();
      return r;
    };
    let seen = 0;
    for (let r = await nextWithin(1000); r && !r.done; r = await nextWithin(1000)) seen++;
    const deadline = Date.now() + 20_000;
    for (;;) {
      assert.ok(Date.now() < deadline, 'the last record never arrived');
      await c.send([entry({ message: 'last' })]);
      const r = await nextWithin(300);
      if (r && !r.done && r.value.message === 'last') break;
      if (r && !r.done) seen++;
    }
    const s = sub.stats;
    assert.ok(s.missed > 0, `the stalled subscriber missed messages (seen ${seen} records, ${JSON.stringify(s)}; flood took ${elapsed} ms)`);
    assert.ok(seen < N, 'the subscriber did not get everything');
    // Every flood message (10 records each) was either received or counted as missed.
    assert.ok(s.messages + s.missed >= N / 10, JSON.stringify(s));
  } finally {
    sub.close();
    await c.close();
  }
});

test('a subscriber started before the collector gets records once it binds (ZeroMQ reconnects)', async () => {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const sub = subscribe(endpoint, { minLevel: 'info' });
  await sleep(300); // it tries, fails, retries
  const c = await collector('encoding: J', { pubEndpoint: endpoint });
  try {
    const got = await joined(c, sub, { message: 'after start' });
    assert.equal(got.message, 'after start');
  } finally {
    sub.close();
    await c.close();
  }
});

test('subscribe() names a bad filter or endpoint; return() and an AbortSignal end the loop', async () => {
  assert.throws(() => subscribe('tcp://127.0.0.1:1', { minLevel: 'loud' }), /filter\.minLevel: unknown level "loud"/);
  assert.throws(() => subscribe('tcp://127.0.0.1:1', { system: 'prod' }), /filter\.system: unknown system "prod"; allowed: .*production/);
  assert.throws(() => subscribe('tcp://127.0.0.1:1', { service: [] }), /filter\.service: an empty list matches nothing/);
  assert.throws(() => subscribe('udp://x:1'), /invalid endpoint "udp:\/\/x:1"/);
  assert.throws(() => subscribe('tcp://127.0.0.1:*'), /invalid endpoint/);

  const stop = new AbortController();
  const sub = subscribe(`tcp://127.0.0.1:${await freePort()}`, {}, { signal: stop.signal });
  const ended = (async () => {
    let n = 0;
    for await (const _ of sub) n++;
    return n;
  })();
  await sleep(100);
  stop.abort();
  assert.equal(await ended, 0);
  const sub2 = subscribe(`tcp://127.0.0.1:${await freePort()}`);
  const pending = sub2.next();
  await sub2.return();
  assert.deepEqual(await pending, { value: undefined, done: true });
});

/**
 * Backpressure by default: a slow plugin holds the receiver instead of losing
 * records; one that stops writing holds it only for blockTimeoutMs; a
 * drop_newest lane never holds it; lanes are bounded in bytes as well as
 * entries; and the receiver yields to the event loop while messages queue up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, startCollector, type PluginCounters } from '../../src/collector/index.js';
import { PluginPipeline } from '../../src/collector/pipeline.js';
import { ENTRY_OVERHEAD_BYTES } from '../../src/collector/receiver.js';
import { DEFAULT_QUEUE, type PluginConfig } from '../../src/collector/config-types.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, type PluginFactory, type PluginInstance } from '../../src/plugins/api.js';
import { entry, goodMessage, pushSocket, sleep, waitFor } from './helpers.js';

function plugin(type: string, consume: PluginInstance['consume']): PluginFactory {
  return { type, configSchema: Type.Object({}), create: () => ({ start() {}, consume, flush() {}, shutdown() {} }) };
}

const balanced = (c: PluginCounters) => c.received === c.written + c.dropped + c.queued + c.inFlight;

test('default config: a plugin slower than the senders loses nothing; its queue stays within maxBytes', async () => {
  const got: LogEntry[] = [];
  let maxQueuedBytes = 0;
  let handle: Awaited<ReturnType<typeof startCollector>> | undefined;
  const slow = plugin('slow', async (b) => {
    maxQueuedBytes = Math.max(maxQueuedBytes, handle?.stats().plugins.slow!.queuedBytes ?? 0);
    await sleep(2);
    got.push(...b);
  });
  // Only the queue bound is lowered, so the test runs in seconds; whenFull is the default.
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: slow',
    '    queue: { maxBytes: 20000, batchMaxEntries: 50 }',
  ].join('\n');
  const config = await loadConfig({ text }, { plugins: [slow], env: {} });
  assert.equal(config.plugins[0]!.queue.whenFull, 'block');
  handle = await startCollector(config, { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const msg = goodMessage(Array.from({ length: 50 }, () => entry()));
    const msgBytes = msg[0]!.length + msg[1]!.length;
    for (let i = 0; i < 100; i++) await push.send(goodMessage(Array.from({ length: 50 }, (_, j) => entry({ message: `m${i}.${j}` }))));
    await waitFor('all 5,000 written', () => got.length === 5000, 60_000);
    const c = handle.stats().plugins.slow!;
    assert.equal(c.dropped, 0);
    assert.ok(c.heldMs > 0, 'the slow plugin held the receiver');
    // A block lane takes a whole message past its bound, never more (a message
    // counts its wire bytes plus the estimated heap overhead of its entries).
    assert.ok(maxQueuedBytes <= 20000 + msgBytes + 50 * ENTRY_OVERHEAD_BYTES + 64, `queued up to ${maxQueuedBytes} bytes`);
    assert.equal(new Set(got.map((e) => e.message)).size, 5000);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('a block lane that stalls stops holding the receiver, drops newest (counted), and holds again once it writes', async () => {
  let release: (() => void) | undefined;
  let hanging = true;
  const stuck: LogEntry[] = [];
  const good: LogEntry[] = [];
  const factories = [
    plugin('stuck', (b) => {
      if (!hanging) return void stuck.push(...b);
      return new Promise<void>((r) => (release = () => (stuck.push(...b), r())));
    }),
    plugin('good', (b) => void good.push(...b)),
  ];
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: stuck',
    '    queue: { maxEntries: 100, batchMaxEntries: 10, blockTimeoutMs: 400, consumeTimeoutMs: 0 }',
    '  - type: good',
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: factories, env: {} }), { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 50; i++) await push.send(goodMessage(Array.from({ length: 10 }, () => entry())));
    await waitFor('the healthy plugin got all 500 despite the stuck one', () => good.length === 500, 20_000);
    let s = handle.stats().plugins.stuck!;
    assert.equal(s.stalled, true);
    assert.ok(s.droppedFull > 0 && s.dropped === s.droppedFull, JSON.stringify(s));
    assert.ok(balanced(s), JSON.stringify(s));

    // It recovers: the hung call completes, the queue drains, it holds again when full.
    hanging = false;
    release!();
    await waitFor('queue drained', () => handle.stats().plugins.stuck!.queued === 0 && handle.stats().plugins.stuck!.inFlight === 0);
    s = handle.stats().plugins.stuck!;
    assert.equal(s.stalled, false);
    assert.equal(s.written, stuck.length);
    assert.equal(s.written + s.dropped, 500);
    assert.ok(lines.some((l) => /^plugin stuck: writing again; \d+ entries were dropped while it was stalled$/.test(l)), lines.join('\n'));
  } finally {
    push.close();
    await handle.stop();
  }
});

test('a drop_newest lane never holds the receiver', async () => {
  const good: LogEntry[] = [];
  const factories = [plugin('hang', () => new Promise<void>(() => {})), plugin('good', (b) => void good.push(...b))];
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'shutdown: { drainTimeoutSeconds: 1 }',
    'plugins:',
    '  - type: hang',
    '    queue: { maxEntries: 20, whenFull: drop_newest, consumeTimeoutMs: 0 }',
    '  - type: good',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: factories, env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 30; i++) await push.send(goodMessage(Array.from({ length: 10 }, () => entry())));
    await waitFor('healthy plugin got all 300', () => good.length === 300);
    const h = handle.stats().plugins.hang!;
    assert.equal(h.heldMs, 0);
    assert.equal(h.stalled, false);
    assert.equal(h.queued, 20);
    assert.equal(h.dropped, 300 - 20 - h.inFlight);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('maxBytes bounds a drop_newest lane by the entries\' share of the wire bytes', async () => {
  const lane = new PluginPipeline(
    { name: 'p', type: 'p', options: {}, filter: {}, queue: { ...DEFAULT_QUEUE, whenFull: 'drop_newest', maxBytes: 10_000 } } as unknown as PluginConfig,
    { start() {}, consume: () => new Promise<void>(() => {}), flush() {}, shutdown() {} },
    () => {},
  );
  lane.offer(Array.from({ length: 10 }, () => entry()), 100); // first batch goes in flight at once
  lane.offer(Array.from({ length: 150 }, () => entry()), 100); // 100 fit in 10,000 bytes
  const c = lane.counters();
  assert.deepEqual([c.inFlight, c.queued, c.queuedBytes, c.dropped, c.droppedFull], [10, 100, 10_000, 50, 50]);
  await lane.drain(Date.now());
});

test('the receiver yields while messages queue up: a plugin writing on the next event-loop turn keeps pace', async () => {
  // Without yielding, zeromq.js hands over every queued message in microtasks
  // and a plugin whose write completes on a later turn never gets to run: its
  // drop_newest lane overflows. With yields it keeps up message by message.
  const got: LogEntry[] = [];
  const nextTurn = plugin('io', (b) => new Promise<void>((r) => setImmediate(() => (got.push(...b), r()))));
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: io',
    '    queue: { maxEntries: 300, whenFull: drop_newest }',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [nextTurn], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    // Queue 200 messages in libzmq at once, then let the receiver at them.
    const sends = Array.from({ length: 200 }, (_, i) => goodMessage(Array.from({ length: 100 }, (_, j) => entry({ message: `m${i}.${j}` }))));
    for (const m of sends) await push.send(m);
    await waitFor('all offered', () => handle.stats().plugins.io!.received === 20_000, 30_000);
    await waitFor('all settled', () => handle.stats().plugins.io!.queued === 0 && handle.stats().plugins.io!.inFlight === 0);
    assert.equal(handle.stats().plugins.io!.dropped, 0);
    assert.equal(got.length, 20_000);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('stop() keeps its deadline while a full block lane that never stalls (blockTimeoutMs: 0) holds the receiver', async () => {
  const hang = plugin('hang', () => new Promise<void>(() => {}));
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'shutdown: { drainTimeoutSeconds: 1 }',
    'plugins:',
    '  - type: hang',
    '    queue: { maxEntries: 10, blockTimeoutMs: 0, consumeTimeoutMs: 0 }',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [hang], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 5; i++) await push.send(goodMessage(Array.from({ length: 10 }, () => entry())));
    await waitFor('the lane is full and holding', () => handle.stats().plugins.hang!.queued >= 10);
    await sleep(300);
    assert.equal(handle.stats().plugins.hang!.stalled, false, 'blockTimeoutMs: 0 holds for ever');
  } finally {
    push.close();
  }
  const t0 = Date.now();
  const final = await handle.stop();
  assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
  assert.ok(balanced(final.plugins.hang!));
});

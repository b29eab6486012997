import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, startCollector, type PluginCounters } from '../../src/collector/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, type PluginFactory, type PluginInstance } from '../../src/plugins/api.js';
import { entry, goodMessage, pushSocket, waitFor } from './helpers.js';

function plugin(type: string, make: () => Partial<PluginInstance>): PluginFactory {
  return {
    type,
    configSchema: Type.Object({}),
    create: () => ({ start() {}, consume() {}, flush() {}, shutdown() {}, ...make() }),
  };
}

function balanced(c: PluginCounters): boolean {
  return c.received === c.written + c.dropped + c.queued + c.inFlight;
}

test('a hanging plugin and a throwing plugin never stall a healthy one (block lanes stop holding after blockTimeoutMs)', async () => {
  const good: LogEntry[] = [];
  let throwCalls = 0;
  const factories = [
    plugin('hang', () => ({ consume: () => new Promise<void>(() => {}) })),
    plugin('boom', () => ({
      consume: () => {
        throwCalls++;
        throw new Error('backend down');
      },
    })),
    plugin('good', () => ({ consume: (b) => void good.push(...b) })),
  ];
  // Every lane is `block` (the default): the hung one holds the receiver until
  // it has written nothing for blockTimeoutMs, then drops its newest entries.
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'shutdown: { drainTimeoutSeconds: 1 }',
    'plugins:',
    '  - type: hang',
    '    queue: { maxEntries: 50, consumeTimeoutMs: 0, blockTimeoutMs: 300 }',
    '  - type: boom',
    '    queue: { blockTimeoutMs: 300, retry: { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 4 } }',
    '  - type: good',
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: factories, env: {} }), { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 20; i++) await push.send(goodMessage(Array.from({ length: 10 }, (_, j) => entry({ message: `m${i}-${j}` }))));
    await waitFor('healthy plugin got all 200', () => good.length === 200, 20_000);
    await waitFor('throwing plugin gave up on everything', () => handle.stats().plugins.boom!.dropped === 200, 20_000);

    const s = handle.stats().plugins;
    // hang: the first batch is stuck in consume(), the queue filled past 50
    // (a block lane takes a whole message), then it stalled and dropped the rest.
    assert.equal(s.hang!.received, 200);
    assert.equal(s.hang!.written, 0);
    assert.ok(s.hang!.inFlight > 0);
    assert.ok(s.hang!.queued >= 50, JSON.stringify(s.hang));
    assert.equal(s.hang!.stalled, true);
    assert.equal(s.hang!.dropped, 200 - s.hang!.queued - s.hang!.inFlight);
    assert.equal(s.hang!.droppedFull, s.hang!.dropped);
    // the stall clock runs from its last write (here: its start), so it held the receiver
    // at most about blockTimeoutMs, less when start-up already took part of it
    assert.ok(s.hang!.heldMs > 0 && s.hang!.heldMs < 300 + 1000, `held the receiver at most about blockTimeoutMs, got ${s.hang!.heldMs} ms`);
    // boom: every batch tried 3 times, then isolation found nothing that goes
    // through: the failure is the plugin's, nothing is labelled poison.
    assert.equal(s.boom!.written, 0);
    assert.equal(s.boom!.rejected, 0);
    assert.equal(s.boom!.errors, throwCalls);
    assert.equal(s.good!.written, 200);
    for (const c of Object.values(s)) assert.ok(balanced(c), JSON.stringify(c));
    assert.ok(lines.some((l) => l.startsWith('plugin boom: consume failed: backend down; attempt 1/3, retrying')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('plugin hang: wrote nothing for 300 ms while its queue is full; no longer holding the receiver')), lines.join('\n'));
  } finally {
    push.close();
  }
  const t0 = Date.now();
  const final = await handle.stop();
  assert.ok(Date.now() - t0 < 3000, 'stop respects the drain deadline despite the hung plugin');
  assert.equal(final.plugins.hang!.dropped, 200, 'what the hung plugin never took is dropped at the deadline');
  assert.equal(final.plugins.hang!.queued + final.plugins.hang!.inFlight, 0);
  assert.ok(lines.some((l) => /^plugin hang: shutdown deadline reached, dropping \d+ entries$/.test(l)));
});

test('a failing plugin that recovers gets its batch on a retry (nothing lost)', async () => {
  let calls = 0;
  const got: LogEntry[] = [];
  const flaky = plugin('flaky', () => ({
    consume: async (b) => {
      if (++calls <= 2) throw new Error('not yet');
      got.push(...b);
    },
  }));
  const text = 'receiver: { endpoints: ["tcp://127.0.0.1:*"] }\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: flaky\n    queue: { retry: { maxAttempts: 4, initialBackoffMs: 10, maxBackoffMs: 20 } }\n';
  const handle = await startCollector(await loadConfig({ text }, { plugins: [flaky], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    await push.send(goodMessage([entry(), entry()]));
    await waitFor('delivered after retries', () => got.length === 2);
    const c = handle.stats().plugins.flaky!;
    assert.deepEqual([c.received, c.written, c.dropped, c.errors], [2, 2, 0, 2]);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('filters route per plugin and count what they turn away', async () => {
  const errs: LogEntry[] = [];
  const all: LogEntry[] = [];
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - { type: errs, filter: { level: ERROR, services: [svc] } }',
    '  - { type: all }',
  ].join('\n');
  const factories = [
    plugin('errs', () => ({ consume: (b) => void errs.push(...b) })),
    plugin('all', () => ({ consume: (b) => void all.push(...b) })),
  ];
  const handle = await startCollector(await loadConfig({ text }, { plugins: factories, env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    await push.send(goodMessage([
      entry({ level: 'ERROR', severity: 17, message: 'e1' }),
      entry({ level: 'INFO', severity: 9 }),
      entry({ level: 'FATAL', severity: 21, message: 'e2', resource: { 'service.name': 'other' } }),
    ]));
    await waitFor('all delivered', () => all.length === 3);
    await waitFor('errors delivered', () => errs.length === 1);
    assert.equal(errs[0]!.message, 'e1');
    const c = handle.stats().plugins.errs!;
    assert.deepEqual([c.received, c.filtered, c.written], [1, 2, 1]);
  } finally {
    push.close();
    await handle.stop();
  }
});

test('whenFull: block applies backpressure instead of dropping', async () => {
  const got: LogEntry[] = [];
  const slow = plugin('slow', () => ({
    consume: async (b) => {
      await new Promise((r) => setTimeout(r, 5));
      got.push(...b);
    },
  }));
  const text = 'receiver: { endpoints: ["tcp://127.0.0.1:*"] }\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: slow\n    queue: { maxEntries: 20, batchMaxEntries: 10, whenFull: block }\n';
  const handle = await startCollector(await loadConfig({ text }, { plugins: [slow], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 30; i++) await push.send(goodMessage(Array.from({ length: 10 }, () => entry())));
    await waitFor('all 300 delivered', () => got.length === 300, 20_000);
    assert.equal(handle.stats().plugins.slow!.dropped, 0);
  } finally {
    push.close();
    await handle.stop();
  }
});

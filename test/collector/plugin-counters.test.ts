import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatsReport, loadConfig, startCollector } from '../../src/collector/index.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';
import { entry, goodMessage, pushSocket, waitFor } from './helpers.js';

test("a plugin's own counters (PluginInstance.counters) reach the collector's stats and `distlog stats`; one that throws costs only itself", async () => {
  let batches = 0;
  let records = 0;
  const counting: PluginFactory = {
    type: 'counting',
    configSchema: Type.Object({}),
    create: () => ({
      start() {},
      consume(b) {
        batches++;
        records += b.length;
      },
      flush() {},
      shutdown() {},
      counters: () => ({ batches, records, backend: 'memory' }),
    }),
  };
  const broken: PluginFactory = {
    type: 'broken',
    configSchema: Type.Object({}),
    create: () => ({
      start() {},
      consume() {},
      flush() {},
      shutdown() {},
      counters: () => {
        throw new Error('not ready');
      },
    }),
  };
  const text = ['receiver: { endpoints: ["tcp://127.0.0.1:*"] }', 'stats: { intervalSeconds: 0 }', 'plugins:', '  - type: counting', '  - type: broken'].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [counting, broken], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 3; i++) await push.send(goodMessage([entry({ message: `a${i}` }), entry({ message: `b${i}` })]));
    await waitFor('6 records written', () => handle.stats().plugins.counting!.written === 6);
    const s = handle.stats();
    assert.equal(s.pluginOwn?.counting?.records, 6);
    assert.equal(s.pluginOwn?.counting?.backend, 'memory');
    assert.equal(s.pluginOwn?.broken, undefined, 'a throwing counters() is left out');
    const report = formatStatsReport(s, 'tcp://127.0.0.1:1');
    assert.match(report, /counting: received=6 written=6[^\n]*\n {4}own: batches=\d+ records=6 backend=memory/);
  } finally {
    push.close();
    await handle.stop();
  }
});

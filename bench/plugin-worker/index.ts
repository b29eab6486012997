/**
 * bench/plugin-worker: is it worth running a third-party plugin in a
 * worker_thread? A plugin whose consume() blocks the event loop synchronously
 * (200 ms per batch) beside a healthy plugin, three ways:
 *   baseline  the healthy plugin alone
 *   inline    the blocking plugin in the main thread (today's plugin contract)
 *   worker    the same blocking work in a worker_thread (consume() posts the
 *             batch, awaits the reply)
 * Measured: seconds until the healthy plugin has written every record; and the
 * cost per record of handing batches to a worker (structured clone).
 *
 *   node --import tsx bench/plugin-worker/index.ts [--records N] [--rounds R]
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { encodeBatch, formatTopic, type LogEntry } from '../../src/protocol/index.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('records', 200_000);
const ROUNDS = arg('rounds', 3);
const BLOCK_MS = 200;
const PER_MESSAGE = 1000;

function entry(i: number): LogEntry {
  return {
    v: 2, timeUnixNano: '1795568645885001000', level: 'INFO', severity: 9, logger: 'bench', message: `order ${i} processed`,
    attributes: { shop: 'eu-1', amount: i % 1000, ok: true }, resource: { 'service.name': 'bench' }, system: 'T', kind: 'L',
  };
}

const messages: [Uint8Array, Uint8Array][] = [];
for (let i = 0; i < RECORDS; i += PER_MESSAGE) {
  const entries = Array.from({ length: Math.min(PER_MESSAGE, RECORDS - i) }, (_, j) => entry(i + j));
  messages.push([formatTopic({ system: 'T', kind: 'L', encoding: 'O' }), encodeBatch(entries, 'O')]);
}

type Mode = 'baseline' | 'inline' | 'worker';

async function run(mode: Mode): Promise<number> {
  let written = 0;
  let doneAt = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const good: PluginFactory = {
    type: 'good', configSchema: Type.Object({}),
    create: () => ({ start() {}, consume(b) { written += b.length; if (written >= RECORDS) { doneAt = performance.now(); resolveDone(); } }, flush() {}, shutdown() {} }),
  };
  let worker: Worker | undefined;
  const blocker: PluginFactory = {
    type: 'blocker', configSchema: Type.Object({}),
    create: () => ({
      start() {
        if (mode === 'worker') worker = new Worker(fileURLToPath(new URL('./blocker-worker.mjs', import.meta.url)), { workerData: { blockMs: BLOCK_MS } });
      },
      consume(b) {
        if (mode === 'inline') {
          const end = Date.now() + BLOCK_MS;
          while (Date.now() < end);
          return;
        }
        return new Promise<void>((resolve) => {
          worker!.once('message', () => resolve());
          worker!.postMessage(b);
        });
      },
      flush() {},
      async shutdown() { await worker?.terminate(); },
    }),
  };
  const plugins = mode === 'baseline' ? '  - type: good\n' : '  - type: good\n  - type: blocker\n    queue: { whenFull: drop_newest }\n';
  const text = `receiver: { endpoints: ["tcp://127.0.0.1:*"] }\nstats: { intervalSeconds: 0 }\nshutdown: { drainTimeoutSeconds: 1 }\nplugins:\n${plugins}`;
  const handle = await startCollector(await loadConfig({ text }, { plugins: [good, blocker], env: {} }), { log: () => {} });
  const t0 = performance.now();
  const sender = new Worker(fileURLToPath(new URL('./sender.mjs', import.meta.url)), { workerData: { endpoint: handle.endpoints[0], messages } });
  await done;
  await sender.terminate();
  await handle.stop();
  return (doneAt - t0) / 1000;
}

/** What handing a batch to a worker costs per record: structured clone both ways of postMessage. */
function cloneCostNs(): number {
  const batch = Array.from({ length: 2000 }, (_, i) => entry(i));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 50; i++) structuredClone(batch);
  return Number(process.hrtime.bigint() - t0) / (50 * 2000);
}

console.log(`bench/plugin-worker: ${RECORDS.toLocaleString('en-US')} records, a plugin blocking ${BLOCK_MS} ms per batch beside a healthy one; ${ROUNDS} interleaved rounds; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const times: Record<Mode, number[]> = { baseline: [], inline: [], worker: [] };
for (let r = 0; r < ROUNDS; r++) for (const m of ['baseline', 'inline', 'worker'] as const) times[m].push(await run(m));
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const m of ['baseline', 'inline', 'worker'] as const) {
  const s = [...times[m]].sort((x, y) => x - y);
  console.log(`  ${m.padEnd(8)} healthy plugin done in min ${s[0]!.toFixed(2)} / median ${median(s).toFixed(2)} / max ${s[s.length - 1]!.toFixed(2)} s  (${(median(s) / median(times.baseline)).toFixed(1)}x baseline)`);
}
console.log(`  structured clone of a batch: ${cloneCostNs().toFixed(0)} ns per record (paid once per record per worker plugin)`);

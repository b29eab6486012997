/**
 * What the web plugin's consume() costs: 200,000 records (tasks of 20) in
 * batches of 1,000 through a started plugin with its default bounds (so
 * most tasks are evicted on the way), no browser following.
 *
 *   node --import tsx scripts/bench-web-consume.ts
 */
import { loadavg } from 'node:os';
import { withDefaults } from '../src/plugins/api.js';
import type { LogEntry } from '../src/protocol/log-entry.js';
import { webPlugin, WebOptionsSchema, type WebPlugin } from '../src/viewer/web/index.js';

const N = 200_000;
const BATCH = 1_000;
const PER_TASK = 20;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const web = webPlugin.create(withDefaults(WebOptionsSchema, { endpoint: '127.0.0.1:0' }), { name: 'web', logger: quiet, baseDir: '.' }) as WebPlugin;
await web.start();

function record(n: number): LogEntry {
  const task = String(Math.floor(n / PER_TASK)).padStart(32, '0');
  const seq = n % PER_TASK;
  return {
    v: 2,
    timeUnixNano: String(1_795_000_000_000_000_000n + BigInt(n) * 1000n),
    level: 'INFO',
    severity: 9,
    logger: 'bench',
    message: `record ${n}`,
    attributes: { n },
    resource: { 'service.name': 'bench' },
    system: 'T',
    kind: 'L',
    task,
    path: '',
    seq,
    key: `${seq}@${task}`,
    ...(seq === 0 ? { event: 'enter' as const } : {}),
  };
}

const batches: LogEntry[][] = [];
for (let b = 0; b < N / BATCH; b++) batches.push(Array.from({ length: BATCH }, (_, i) => record(b * BATCH + i)));
const t0 = performance.now();
for (const b of batches) web.consume(b);
const ms = performance.now() - t0;
console.log(`web consume: ${N} records in ${ms.toFixed(0)} ms = ${Math.round((N / ms) * 1000)} rec/s (${((ms * 1000) / N).toFixed(1)} µs/record); load ${loadavg()[0]!.toFixed(1)}`);
console.log(JSON.stringify(web.counters()));
await web.shutdown();

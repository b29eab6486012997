/**
 * bench/stores: records/s into a Redis stream, against a real redis-server
 * started here on a free loopback port, then into FerretDB (bench/stores/mongodb.ts:
 * the mongodb plugin beside a bare insertMany loop).
 *
 *   plugin           the redis plugin (stream mode): consume() of 1,000-record
 *                    batches, each one pipelined round trip of XADD MAXLEN ~
 *   bare-client      the same records, JSON-encoded, as pipelined XADD MAXLEN ~
 *                    from the same `redis` client, 1,000 per round trip: what
 *                    the server takes from a bare client doing the same job
 *   bare-client-multi the same as one MULTI/EXEC per 1,000 (the plugin's wire
 *                    shape): plugin / bare-client-multi is the plugin's own cost
 *   redis-benchmark  redis-benchmark's own XADD (C client, one connection,
 *                    pipeline 1,000, payload of the records' JSON size);
 *                    wall time includes starting the tool
 *
 * Target: plugin ≥ 70 % of bare-client. Figures under load are not final.
 * BENCH_N (default 50,000) records per run, BENCH_ROUNDS (default 5) rounds.
 */
import { spawnSync } from 'node:child_process';
import { createClient } from 'redis';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { RedisSink } from '../../src/plugins/redis/index.js';
import { REDIS_DEFAULTS } from '../../src/plugins/redis/schema.js';
import { RedisServer } from '../../test/helpers/redis-server.js';
import { interleave, ratioLine } from '../lib/rounds.js';
import { sampleRecord } from '../lib/sample-records.js';
import { benchMongo } from './mongodb.js';

const N = Number(process.env.BENCH_N ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 1_000;
const MAX_LEN = 100_000;

function records(n: number): LogEntry[] {
  return Array.from({ length: n }, (_, i) => sampleRecord(i));
}

const quiet = { info() {}, warn() {}, error() {} };
const server = await RedisServer.start();
try {
  const data = records(N);
  const batches: LogEntry[][] = [];
  for (let i = 0; i < N; i += BATCH) batches.push(data.slice(i, i + BATCH));
  const payload = JSON.stringify(data[0]).length;

  const sink = new RedisSink({ ...REDIS_DEFAULTS, url: server.url, maxLen: MAX_LEN }, { logger: quiet });
  await sink.start();
  const bare = createClient({ url: server.url });
  bare.on('error', () => {});
  await bare.connect();

  const contenders = [
    {
      name: 'plugin',
      run: async () => {
        // A fresh array per call, as the collector's lanes hand over: the plugin keys a
        // batch's stream IDs by its array, so the same array again is a *retry* (its
        // IDs refused as already stored), which is not the job measured here.
        for (const b of batches) await sink.consume(b.slice());
        return N;
      },
    },
    {
      name: 'bare-client',
      run: async () => {
        for (const b of batches) {
          const pipe = bare.multi();
          for (const e of b) {
            pipe.addCommand(['XADD', `bare:${e.system}:${e.kind}:${e.resource['service.name'] as string}`, 'MAXLEN', '~', String(MAX_LEN), '*', 'task', e.task ?? '', 'time', e.timeUnixNano, 'entry', JSON.stringify(e)]);
          }
          await pipe.execAsPipeline();
        }
        return N;
      },
    },
    {
      // The plugin's wire shape (MULTI/EXEC, for all-or-nothing batches) without the plugin: splits its cost in two.
      name: 'bare-client-multi',
      run: async () => {
        for (const b of batches) {
          const tx = bare.multi();
          for (const e of b) {
            tx.addCommand(['XADD', `bare:${e.system}:${e.kind}:${e.resource['service.name'] as string}`, 'MAXLEN', '~', String(MAX_LEN), '*', 'task', e.task ?? '', 'time', e.timeUnixNano, 'entry', JSON.stringify(e)]);
          }
          await tx.exec();
        }
        return N;
      },
    },
    {
      name: 'redis-benchmark',
      run: () => {
        // 7.0's -t has no xadd test: the command is given in full, payload of the records' size.
        const args = ['-h', '127.0.0.1', '-p', String(server.port), '-c', '1', '-P', String(BATCH), '-n', String(N), '--csv'];
        const r = spawnSync('redis-benchmark', [...args, 'XADD', 'rb:stream', 'MAXLEN', '~', String(MAX_LEN), '*', 'entry', 'x'.repeat(payload)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.error?.message ?? r.stderr}`);
        own.push(Number(/^"XADD[^"]*","([\d.]+)"/m.exec(r.stdout)?.[1] ?? NaN));
        return N;
      },
    },
  ];
  const own: number[] = [];
  console.log(`${N} records of ~${payload} bytes JSON per run, batches of ${BATCH}, streams per service with MAXLEN ~ ${MAX_LEN}`);
  const s = await interleave(contenders, ROUNDS);
  own.sort((a, b) => a - b);
  console.log(`redis-benchmark's own XADD figure (excluding its start): median ${Math.round(own[own.length >> 1]!).toLocaleString('en-US')} requests/s`);
  console.log(ratioLine('plugin / bare-client (target ≥ 0.70)', s.get('plugin')!, s.get('bare-client')!));
  console.log(ratioLine('plugin / bare-client-multi', s.get('plugin')!, s.get('bare-client-multi')!));
  console.log(ratioLine('plugin / redis-benchmark', s.get('plugin')!, s.get('redis-benchmark')!));
  await sink.shutdown();
  await bare.close();
} finally {
  await server.close();
}

// MongoDB protocol (FerretDB): the plugin beside a bare insertMany loop, same rounds.
console.log('\n--- mongodb plugin into FerretDB ---');
await benchMongo({ records: Number(process.env.BENCH_MONGO_N ?? 20_000), rounds: ROUNDS, batch: 1000 });


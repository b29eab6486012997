/**
 * bench/otlp: OTLP/HTTP in and out of distlogd, records/s end to end.
 *
 * One client (client.mjs, a worker thread) POSTs the same pre-encoded
 * ExportLogsServiceRequest bodies (REQUEST records each, protobuf, no gzip)
 * with keep-alive, CONCURRENCY requests in flight, to:
 *
 *   receiver           distlogd's OTLP/HTTP receiver → a plugin that only counts:
 *                      distlogd's OTLP ingest (read, decode, route); done when
 *                      the plugin has every record
 *   collector-direct   a real OpenTelemetry Collector v0.161.0 (debug exporter,
 *                      verbosity basic): the peer, the same job in Go
 *   forward            distlogd → `otlp` plugin (pass-through: the requests go
 *                      on as they came) → the same Collector; done when the
 *                      Collector has accepted every record (the plugin's
 *                      written count: the Collector answers after its exporter ran)
 *   forward-encode     the same with queue.batchMaxEntries = REQUEST - 1, which
 *                      splits every request so each record is encoded anew:
 *                      what pass-through saves
 *
 * Each contender runs once unmeasured first (JIT warm-up). Backpressure
 * answers (503, retried by the client after 5 ms) are counted and printed. Figures under load are not final. Environment: BENCH_N (default
 * 100,000 records per run), BENCH_ROUNDS (5), BENCH_REQUEST (500 records per
 * request), BENCH_CONCURRENCY (4), BENCH_ONLY (comma-separated contender names).
 */
import { Worker } from 'node:worker_threads';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { encodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';
import { otlpPlugin, type OtlpOptions, type OtlpSink } from '../../src/plugins/otlp/index.js';
import { Otelcol } from '../../test/helpers/otelcol.js';
import { interleave, ratioLine } from '../lib/rounds.js';
import { sampleRecord } from '../lib/sample-records.js';

const N = Number(process.env.BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUEST = Number(process.env.BENCH_REQUEST ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ONLY = process.env.BENCH_ONLY?.split(',');

const record = sampleRecord;

const bodies: Buffer[] = [];
for (let i = 0; i < N; i += REQUEST) bodies.push(encodeOtlp(Array.from({ length: Math.min(REQUEST, N - i) }, (_, j) => record(i + j))));
const bytes = bodies.reduce((n, b) => n + b.length, 0);

const client = new Worker(new URL('./client.mjs', import.meta.url), { workerData: { bodies } });
const throttled = new Map<string, number>();
function send(name: string, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('message', (m: { throttled?: number; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      else {
        throttled.set(name, (throttled.get(name) ?? 0) + m.throttled!);
        resolve();
      }
    });
    client.postMessage({ url, concurrency: CONCURRENCY });
  });
}

async function until(what: string, cond: () => boolean, timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`bench/otlp: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

let counted = 0;
const counting: PluginFactory = {
  type: 'count',
  configSchema: Type.Object({}, { additionalProperties: false }),
  create: () => ({ start() {}, consume: (b) => void (counted += b.length), flush() {}, shutdown() {} }),
};
const sinks = new Map<string, OtlpSink>();
const capturing: PluginFactory = { ...otlpPlugin, create: (o, ctx) => { const s = otlpPlugin.create(o as OtlpOptions, ctx) as OtlpSink; sinks.set(ctx.name, s); return s; } };

/** distlogd with the OTLP/HTTP receiver; queues large enough that a run never waits on them by design. */
async function distlogd(plugin: string[]): Promise<CollectorHandle> {
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    `  maxEntriesPerMessage: ${Math.max(REQUEST, 1000)}`,
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0', retryAfterSeconds: 0 }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    ...plugin,
  ].join('\n');
  return startCollector(await loadConfig({ text }, { plugins: [counting, capturing], env: {} }), { log: () => {} });
}

const col = await Otelcol.start({ sink: 'debug' });
const queue = (batchMax: number) => `    queue: { maxEntries: ${Math.max(4 * N, 100_000)}, maxBytes: 1073741824, batchMaxEntries: ${batchMax}, whenFull: block }`;
const ingest = await distlogd(['  - type: count', queue(2_000)]);
const forward = await distlogd(['  - type: otlp', '    name: pass', `    options: { endpoint: ${col.logsUrl}, compression: none }`, queue(REQUEST)]);
const forwardEncode = await distlogd(['  - type: otlp', '    name: encode', `    options: { endpoint: ${col.logsUrl}, compression: none }`, queue(REQUEST - 1)]);

const written = (h: CollectorHandle, lane: string) => h.stats().plugins[lane]!.written;
try {
  console.log(`${N.toLocaleString('en-US')} records per run in ${bodies.length} requests of ${REQUEST} (${Math.round(bytes / N)} bytes/record), ${CONCURRENCY} in flight, keep-alive`);
  const all = [
    {
      name: 'receiver',
      run: async () => {
        const before = counted;
        await send('receiver', `${ingest.otlpHttpUrl}/v1/logs`);
        await until('the counting plugin', () => counted - before >= N);
        return N;
      },
    },
    { name: 'collector-direct', run: async () => (await send('collector-direct', col.logsUrl), N) },
    {
      name: 'forward',
      run: async () => {
        const before = written(forward, 'pass');
        await send('forward', `${forward.otlpHttpUrl}/v1/logs`);
        await until('the Collector to accept every record', () => written(forward, 'pass') - before >= N);
        return N;
      },
    },
    {
      name: 'forward-encode',
      run: async () => {
        const before = written(forwardEncode, 'encode');
        await send('forward-encode', `${forwardEncode.otlpHttpUrl}/v1/logs`);
        await until('the Collector to accept every record', () => written(forwardEncode, 'encode') - before >= N);
        return N;
      },
    },
  ];
  const chosen = all.filter((c) => !ONLY || ONLY.includes(c.name));
  // One unmeasured run each first: JIT warm-up of distlogd's side (the Collector needs none).
  for (const c of chosen) await c.run();
  throttled.clear();
  const results = await interleave(chosen, ROUNDS);
  const ratio = (label: string, a: string, b: string) => {
    if (results.has(a) && results.has(b)) console.log(ratioLine(label, results.get(a)!, results.get(b)!));
  };
  ratio('receiver / collector-direct', 'receiver', 'collector-direct');
  ratio('forward / collector-direct', 'forward', 'collector-direct');
  ratio('forward / forward-encode', 'forward', 'forward-encode');
  const pass = sinks.get('pass')!.counters();
  const enc = sinks.get('encode')!.counters();
  console.log(`otlp plugin: forward passed through ${pass.passthroughRecords.toLocaleString('en-US')} records, encoded ${pass.encodedRecords.toLocaleString('en-US')}; forward-encode passed through ${enc.passthroughRecords.toLocaleString('en-US')}, encoded ${enc.encodedRecords.toLocaleString('en-US')}`);
  console.log(`backpressure answers (503, retried): ${[...throttled].map(([k, v]) => `${k} ${v}`).join(', ')}`);
} finally {
  await client.terminate();
  await Promise.all([ingest.stop(), forward.stop(), forwardEncode.stop()]);
  await col.stop();
}

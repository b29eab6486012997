/**
 * bench/sdk-emit: what a log call costs the application.
 *
 *   distlog  logger.info('...%d', i, { a, b }) inside a 2-level scope, through
 *            register() (levels, scope stamping, batching) into a null exporter
 *   pino     the same call shape to /dev/null (pino.destination, sync)
 *   otel     a bare @opentelemetry/sdk-logs logger.emit() with the formatted
 *            message, BatchLogRecordProcessor, null exporter
 *   disabled logger.debug(...) when the level is info
 *
 * Each run yields to the event loop every CHUNK records so batch processors
 * can export as an application's would. Figures are the median of RUNS runs;
 * ratios are against pino measured in this same process.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { format } from 'node:util';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import pino from 'pino';
import { getLogger, register, task, to } from '../../src/sdk/index.js';

const N = Number(process.env.BENCH_N ?? 200_000);
const CHUNK = 2_000;
const RUNS = 5;

class NullExporter implements LogRecordExporter {
  count = 0;
  export(records: ReadableLogRecord[], done: (r: ExportResult) => void): void {
    this.count += records.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

async function measure(name: string, body: (i: number) => void, finish: () => Promise<void>): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = process.hrtime.bigint();
    for (let base = 0; base < N; base += CHUNK) {
      for (let i = base; i < base + CHUNK; i++) body(i);
      await yieldLoop();
    }
    await finish();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(N / s);
  }
  rates.sort((x, y) => x - y);
  const median = rates[Math.floor(RUNS / 2)]!;
  console.log(`${name.padEnd(10)} ${Math.round(median).toLocaleString('en-US').padStart(12)} records/s  (runs: ${rates.map((r) => Math.round(r / 1000) + 'k').join(' ')})`);
  return median;
}

// --- pino -------------------------------------------------------------------
const dest = pino.destination({ dest: '/dev/null', sync: true });
const plog = pino({ level: 'info' }, dest);
const pinoRate = await measure('pino', (i) => plog.info({ a: i, b: 'x' }, 'request handled %d', i), async () => undefined);

// --- bare OpenTelemetry -------------------------------------------------------
const otelNull = new NullExporter();
const otelProvider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: otelNull, maxQueueSize: 1_000_000, maxExportBatchSize: 1024 })] });
const olog = otelProvider.getLogger('bench');
const otelRate = await measure(
  'otel',
  (i) => olog.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: format('request handled %d', i), attributes: { a: i, b: 'x' } }),
  () => otelProvider.forceFlush(),
);

// --- distlog ------------------------------------------------------------------
const nul = new NullExporter();
const handle = register({ serviceName: 'bench', exporters: [nul], flushOnExit: false, level: 'info' });
const log = getLogger('bench');
let distlogRate = 0;
let disabledRate = 0;
await task('bench', async () => {
  await to('emit', async () => {
    distlogRate = await measure('distlog', (i) => log.info('request handled %d', i, { a: i, b: 'x' }), () => handle.flush(60_000));
    // disabled level: a tight loop, no yielding needed (nothing is queued)
    const M = 50_000_000;
    const rates: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < M; i++) log.debug('request handled %d', i, { a: i });
      rates.push(M / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
    disabledRate = rates.sort((a, b) => a - b)[1]!;
  });
});
const stats = handle.stats()[0]!;
console.log(`disabled   ${Math.round(disabledRate).toLocaleString('en-US').padStart(12)} calls/s`);

// --- memory per queued record -------------------------------------------------
const gc = (globalThis as { gc?: () => void }).gc;
let bytesPerRecord = NaN;
if (gc) {
  const hold: ReadableLogRecord[][] = [];
  const holding: LogRecordExporter = {
    export: (r, done) => {
      hold.push(r);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  await handle.shutdown();
  const h2 = register({ serviceName: 'bench', exporters: [holding], flushOnExit: false, level: 'info', batch: { maxQueueSize: 200_000 } });
  const M = 100_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  task('mem', () => {
    for (let i = 0; i < M; i++) log.info('request handled %d', i, { a: i, b: 'x' });
  });
  gc();
  bytesPerRecord = (process.memoryUsage().heapUsed - before) / M;
  await h2.shutdown();
  void hold;
} else {
  await handle.shutdown();
}

console.log('');
console.log(`distlog / pino      ${(distlogRate / pinoRate).toFixed(2)}x   (target >= 1.5x)`);
console.log(`distlog / bare otel ${(distlogRate / otelRate).toFixed(2)}x`);
console.log(`disabled level      ${(disabledRate / 1e6).toFixed(1)}M calls/s (target >= 20M/s)`);
console.log(`queued record       ${Number.isNaN(bytesPerRecord) ? 'n/a (run with --expose-gc)' : Math.round(bytesPerRecord) + ' bytes'} of heap each (default queue bound 131072 records = ${Number.isNaN(bytesPerRecord) ? '?' : Math.round((bytesPerRecord * 131072) / 1048576) + ' MB'})`);
console.log(`dropped in run      ${stats.dropped}`);

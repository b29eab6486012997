/**
 * bench/sdk-emit/stages: where distlog's cost per record goes, stage by stage,
 * beside the floor that OpenTelemetry's own LogRecord sets and beside pino sync.
 * The same log call shape as bench/sdk-emit (index.ts), interleaved rounds, CPU
 * time per record (min and median over rounds: on a shared machine CPU time
 * swings far less than wall time).
 *
 *   pino sync                pino to /dev/null, sync writes (the target's peer)
 *   otel floor               sdk-logs Logger.emit() of the formatted message and
 *                            its attributes into a no-op processor: what any
 *                            OTel citizen pays before anything is done with the record
 *   distlog: call            facade (level, split, format, capture, clock, context)
 *                            -> LeanLogRecord, handed to a no-op head
 *   distlog: + stamp         ... -> DistlogLogRecordProcessor (levels, scope stamping)
 *   distlog: + batch         ... -> DistlogBatchProcessor, exporter that keeps nothing
 *   distlog: full            ... -> the real ZmqLogRecordExporter (OTLP encoding,
 *                            envelope), null transport
 *
 * Each stage minus the one before is that stage's cost.
 *
 *   node --import tsx bench/sdk-emit/stages.ts      (BENCH_N, BENCH_ROUNDS, BENCH_CHUNK)
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { format } from 'node:util';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import pino from 'pino';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { DistlogBatchLogRecordProcessor, DistlogLogRecordProcessor } from '../../src/sdk/otel.js';
import { levels } from '../../src/sdk/loggers.js';
import { setPipeline } from '../../src/sdk/internal/pipeline.js';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { interleave, type Contender } from '../lib/rounds.js';
import { withCpuTime } from '../lib/cpu-time.js';
import { NullTransport } from './null-transport.js';

const N = Number(process.env.BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 2_000);

async function chunked(body: (i: number) => void): Promise<void> {
  for (let base = 0; base < N; base += CHUNK) {
    for (let i = base; i < base + CHUNK; i++) body(i);
    await yieldLoop();
  }
}

const noop: LogRecordProcessor = {
  onEmit() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

class DiscardExporter implements LogRecordExporter {
  export(_: ReadableLogRecord[], done: (r: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

const pinoSync = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
const olog = new LoggerProvider({ processors: [noop] }).getLogger('bench');

const handle = register({ serviceName: 'bench', flushOnExit: false, level: 'info' });
const resource = resourceFromAttributes({ 'service.name': 'bench' });
const log = getLogger('bench');

const discardBatch = new DistlogBatchLogRecordProcessor({ exporter: new DiscardExporter() });
const fullBatch = new DistlogBatchLogRecordProcessor({ exporter: new ZmqLogRecordExporter({ producerId: 'bench' }, { transport: new NullTransport() }) });
const heads: Record<string, { head: LogRecordProcessor; flush?: () => Promise<void> }> = {
  'distlog: call': { head: noop },
  'distlog: + stamp': { head: new DistlogLogRecordProcessor({ levels }) },
  'distlog: + batch': { head: new DistlogLogRecordProcessor({ levels, next: [discardBatch] }), flush: () => discardBatch.forceFlush() },
  'distlog: full': { head: new DistlogLogRecordProcessor({ levels, next: [fullBatch] }), flush: () => fullBatch.forceFlush() },
};

function distlogStage(name: string): Contender {
  const { head, flush } = heads[name]!;
  return {
    name,
    run: () => {
      setPipeline({ resource, head });
      return task('bench', () =>
        to('emit', async () => {
          await chunked((i) => log.info('request handled %d', i, { a: i, b: 'x' }));
          await flush?.();
          return N;
        }),
      );
    },
  };
}

const contenders: Contender[] = [
  { name: 'pino sync', run: async () => (await chunked((i) => pinoSync.info({ a: i, b: 'x' }, 'request handled %d', i)), N) },
  {
    name: 'otel floor',
    run: async () => {
      await chunked((i) => olog.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: format('request handled %d', i), attributes: { a: i, b: 'x' } }));
      return N;
    },
  },
  ...Object.keys(heads).map(distlogStage),
];

const { timed, cpu } = withCpuTime(contenders);
await interleave(timed, ROUNDS);
console.log('');
const pinoMedian = median(cpu.get('pino sync')!);
console.log(`${'CPU per record'.padEnd(24)} ${'min'.padStart(8)} ${'median'.padStart(8)}   vs pino sync (median CPU)`);
for (const [name, us] of cpu) {
  const m = median(us);
  console.log(`${name.padEnd(24)} ${Math.min(...us).toFixed(2).padStart(8)} ${m.toFixed(2).padStart(8)} µs   ${(pinoMedian / m).toFixed(2)}x`);
}
await handle.shutdown();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * bench/sdk-emit: what logging costs the application, the whole job: the log
 * call, the batching and the encoding of every record into the bytes that would
 * go on the wire. Only the socket is left out, on every side.
 *
 *   distlog        logger.info('...%d', i, { a, b }) inside a 2-level scope, through
 *                  register() (levels, scope stamping, batching) into the REAL
 *                  ZmqLogRecordExporter (OTLP encoding, splitting, envelope) with a
 *                  null transport: bytes produced, then discarded
 *   pino sync      the same call shape, JSON lines written to /dev/null (sync)
 *   pino buffered  the same into a buffered destination (sync: false, minLength 4096)
 *   otel           a bare @opentelemetry/sdk-logs logger.emit() of the formatted
 *                  message, BatchLogRecordProcessor, records serialized with the
 *                  official otlp-transformer ProtobufLogsSerializer and discarded
 *   disabled       logger.debug(...) while the level is info
 *
 * Every run yields to the event loop every CHUNK records, as an application would.
 * Rounds are interleaved (bench/lib/rounds.ts); ratios are against pino measured in
 * the same rounds. Target (issue 8): distlog >= 2x pino sync.
 *
 *   node --import tsx bench/sdk-emit/index.ts      (BENCH_N, BENCH_ROUNDS, BENCH_CHUNK to resize)
 *   node --import tsx bench/sdk-emit/stages.ts     (the cost split by stage, and the OTel floor)
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/sdk-emit/index.ts --only distlog
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { format } from 'node:util';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import pino from 'pino';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { NullTransport } from './null-transport.js';
import { interleave, machineLine, ratioLine, type Contender } from '../lib/rounds.js';
import { withCpuTime } from '../lib/cpu-time.js';

const N = Number(process.env.BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 2_000);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** OTel's own OTLP serialization, bytes discarded. */
class SerializingNullExporter implements LogRecordExporter {
  bytes = 0;
  export(records: ReadableLogRecord[], done: (r: ExportResult) => void): void {
    this.bytes += ProtobufLogsSerializer.serializeRequest(records)?.length ?? 0;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

async function chunked(body: (i: number) => void): Promise<void> {
  for (let base = 0; base < N; base += CHUNK) {
    for (let i = base; i < base + CHUNK; i++) body(i);
    await yieldLoop();
  }
}

// --- pino ---------------------------------------------------------------------
const syncDest = pino.destination({ dest: '/dev/null', sync: true });
const pinoSync = pino({ level: 'info' }, syncDest);
const bufDest = pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 });
const pinoBuf = pino({ level: 'info' }, bufDest);

// --- bare OpenTelemetry -------------------------------------------------------
const otelNull = new SerializingNullExporter();
const otelProvider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: otelNull, maxQueueSize: 1_000_000, maxExportBatchSize: 1024 })] });
const olog = otelProvider.getLogger('bench');

// --- distlog ------------------------------------------------------------------
const nullTransport = new NullTransport();
const exporter = new ZmqLogRecordExporter({ producerId: 'bench' }, { transport: nullTransport });
const handle = register({ serviceName: 'bench', exporters: [exporter], flushOnExit: false, level: 'info' });
const log = getLogger('bench');

const contenders: Contender[] = [
  {
    name: 'pino sync',
    run: async () => {
      await chunked((i) => pinoSync.info({ a: i, b: 'x' }, 'request handled %d', i));
      return N;
    },
  },
  {
    name: 'pino buffered',
    run: async () => {
      await chunked((i) => pinoBuf.info({ a: i, b: 'x' }, 'request handled %d', i));
      await new Promise<void>((resolve) => bufDest.flush(() => resolve()));
      return N;
    },
  },
  {
    name: 'otel + otlp-transformer',
    run: async () => {
      await chunked((i) => olog.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: format('request handled %d', i), attributes: { a: i, b: 'x' } }));
      await otelProvider.forceFlush();
      return N;
    },
  },
  {
    name: 'distlog',
    run: () =>
      task('bench', () =>
        to('emit', async () => {
          await chunked((i) => log.info('request handled %d', i, { a: i, b: 'x' }));
          await handle.flush(60_000);
          return N;
        }),
      ),
  },
].filter((c) => only === undefined || c.name === only);

const { timed, cpu } = withCpuTime(contenders);
console.log(machineLine().replace('machine:', 'before the rounds:'));
const results = await interleave(timed, ROUNDS); // prints the load after the rounds
const cpuMedian = (name: string): number | undefined => {
  const us = cpu.get(name);
  return us === undefined ? undefined : [...us].sort((a, b) => a - b)[us.length >> 1];
};
for (const [name, us] of cpu) {
  const sorted = [...us].sort((a, b) => a - b);
  console.log(`${name.padEnd(24)} CPU ${sorted[sorted.length >> 1]!.toFixed(2)} µs/record (median; min ${sorted[0]!.toFixed(2)}, max ${sorted[sorted.length - 1]!.toFixed(2)})`);
}
const s = (name: string) => results.get(name);
if (s('distlog') && s('pino sync')) {
  console.log('');
  const peers: Array<[string, string]> = [
    ['pino sync', '   (target >= 2x)'],
    ['pino buffered', ''],
    ['otel + otlp-transformer', ''],
  ];
  for (const [peer, note] of peers) {
    if (!s(peer)) continue;
    // Rates (wall clock), and the same ratio by CPU time per record (steadier under load).
    const cpuRatio = cpuMedian(peer)! / cpuMedian('distlog')!;
    console.log(`${ratioLine(`distlog / ${peer.replace('otlp-transformer', 'serializer')}`, s('distlog')!, s(peer)!)}; by CPU ${cpuRatio.toFixed(2)}x${note}`);
  }
}
const [pipeline] = handle.stats();
console.log(`distlog wire bytes/record ${(nullTransport.bytes / Math.max(1, exporter.stats().sentRecords)).toFixed(1)}; otel ${(otelNull.bytes / Math.max(1, N * ROUNDS)).toFixed(1)}; dropped ${pipeline!.dropped}`);

if (only === undefined) {
  // Disabled level: a tight loop, nothing is queued.
  const M = 20_000_000;
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < M; i++) log.debug('request handled %d', i, { a: i });
    rates.push(M / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  console.log(`disabled level ${(rates.sort((a, b) => a - b)[1]! / 1e6).toFixed(1)}M calls/s`);
}
await handle.shutdown();

/**
 * The app side of the wire, from what the app really holds: OpenTelemetry SDK
 * records (ReadableLogRecord), to OTLP bytes. Contenders, same records:
 *
 *   distlog   the exporter's encoder (src/exporter/otlp-encoder.ts): straight from
 *             the SDK record, keys and ids cached, HrTime to fixed64, batch envelope
 *   otel      the official @opentelemetry/otlp-transformer ProtobufLogsSerializer
 *             (what OTLPLogExporter sends), no batch envelope
 *
 * Both outputs decode (the collector's decoder) to the same entries; this runs
 * interleaved rounds (bench/lib/rounds.ts) and prints the ratio.
 *
 *   node --import tsx bench/codec/app-encoders.ts     (also run by bench/codec/index.ts)
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { BatchEnvelope, OtlpBatchEncoder } from '../../src/exporter/index.js';
import { isDeepStrictEqual } from 'node:util';
import { decodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { interleave, ratioLine } from '../lib/rounds.js';
import { makeRecords } from './records.js';

const BATCH = 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BATCHES_PER_ROUND = Number(process.env.BENCH_BATCHES ?? 100);

/** The codec bench's realistic records, emitted through the SDK as distlog's ScopeProcessor stamps them. */
export function sdkRecords(n: number): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'web-7f9c4d-x2k8p', 'process.pid': 48213 }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  for (const e of makeRecords(n)) {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: e.task!, spanId: e.span!, traceFlags: TraceFlags.SAMPLED });
    const ns = BigInt(e.timeUnixNano);
    provider.getLogger(e.logger).emit({
      timestamp: [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)],
      severityNumber: e.severity as SeverityNumber,
      severityText: e.level,
      body: e.message,
      context: ctx,
      attributes: { ...(e.attributes as Record<string, string | number | boolean>), 'distlog.key': e.key!, 'distlog.seq': e.seq!, 'distlog.path': e.path! },
    });
  }
  return memory.getFinishedLogRecords();
}

export async function runAppEncoders(): Promise<void> {
  const records = sdkRecords(BATCH);
  const encoder = new OtlpBatchEncoder('P', new BatchEnvelope('bench-1'), 16 * 1024 * 1024 - 3);
  let ours: Buffer | undefined;
  const sink = { message: (p: Buffer) => (ours = p), drop: () => { throw new Error('dropped'); } };
  encoder.encode(records, sink);
  const theirs = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
  const a = decodeOtlp(ours!, { system: 'P', kind: 'L' }).entries;
  const b = decodeOtlp(theirs, { system: 'P', kind: 'L' }).entries;
  // The official serializer groups by scope (reordering records across loggers); distlog keeps order.
  const order = (x: LogEntry[]): LogEntry[] => [...x].sort((p, q) => p.timeUnixNano.localeCompare(q.timeUnixNano) || p.key!.localeCompare(q.key!));
  if (a.length !== BATCH || !isDeepStrictEqual(order(a), order(b))) throw new Error('the two encoders disagree');
  console.log(`app encoders: SDK records -> OTLP bytes, batches of ${BATCH}, ${BATCHES_PER_ROUND} batches per round`);
  console.log(`bytes/record: distlog ${(ours!.length / BATCH).toFixed(1)}, otel ${(theirs.length / BATCH).toFixed(1)}`);
  let bytes = 0;
  const result = await interleave(
    [
      {
        name: 'distlog encoder',
        run: () => {
          for (let i = 0; i < BATCHES_PER_ROUND; i++) encoder.encode(records, sink);
          bytes += ours!.length;
          return BATCH * BATCHES_PER_ROUND;
        },
      },
      {
        name: 'otel ProtobufLogsSerializer',
        run: () => {
          for (let i = 0; i < BATCHES_PER_ROUND; i++) bytes += ProtobufLogsSerializer.serializeRequest(records)!.length;
          return BATCH * BATCHES_PER_ROUND;
        },
      },
    ],
    ROUNDS,
  );
  console.log(ratioLine('distlog / otel serializer', result.get('distlog encoder')!, result.get('otel ProtobufLogsSerializer')!));
  if (bytes === 0) console.log('');
}

if (import.meta.url === `file://${process.argv[1]}`) await runAppEncoders();

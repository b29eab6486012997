/**
 * Peer app: the OpenTelemetry JS SDK alone: a LoggerProvider with a
 * BatchLogRecordProcessor (the same batch and queue sizes as the distlog app)
 * and the official OTLP/HTTP protobuf exporter, to peer-http-receiver.ts. The
 * same records; the same pacing (yield every CHUNK records, wait for the
 * pipeline every HIGH_QUEUE records, as distlog's app waits when its queue is
 * that deep).
 *
 *   node --import tsx peer-otel-app.ts <port> <records> <small|2kb>
 * Prints one JSON line: { firstAt, doneAt, exported, failed } after the final flush;
 * `exported` counts records whose export the receiver acknowledged (written).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { nowMs } from './proc.js';
import { isShape, largeAttributes, messageOf, smallAttributes } from './shapes.js';
import { CHUNK, HIGH_QUEUE } from './workload.js';

const [port = '0', total = '1000000', shape = 'small'] = process.argv.slice(2);
if (!isShape(shape)) throw new Error(`unknown shape ${shape}`);

const otlp = new OTLPLogExporter({ url: `http://127.0.0.1:${port}/v1/logs`, timeoutMillis: 30_000 });
let exported = 0;
let failed = 0;
/** Counts what the receiver acknowledged. */
const counting: LogRecordExporter = {
  export(records: ReadableLogRecord[], done: (r: ExportResult) => void) {
    otlp.export(records, (r) => {
      if (r.code === ExportResultCode.SUCCESS) exported += records.length;
      else failed += records.length;
      done(r);
    });
  },
  shutdown: () => otlp.shutdown(),
  forceFlush: () => otlp.forceFlush(),
};
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench-e2e' }),
  processors: [new BatchLogRecordProcessor({ exporter: counting, maxExportBatchSize: 1024, maxQueueSize: 131_072 })],
});
const logger = provider.getLogger('bench.orders');
const n = Number(total);
const firstAt = nowMs();
for (let i = 0; i < n; ) {
  const end = Math.min(n, i + CHUNK);
  for (; i < end; i++) {
    logger.emit({
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: messageOf(shape, i),
      attributes: shape === 'small' ? smallAttributes(i) : largeAttributes(i),
    });
  }
  await yieldToLoop();
  if (i % HIGH_QUEUE < CHUNK) await provider.forceFlush();
}
await provider.forceFlush();
const doneAt = nowMs();
await provider.shutdown();
console.log(JSON.stringify({ firstAt, doneAt, exported, failed }));

/**
 * distlog beside an existing OpenTelemetry logs pipeline. The app already has
 * the standard setup (what NodeSDK builds for logs): a LoggerProvider whose
 * BatchLogRecordProcessor sends through the official OTLP exporter
 * (@opentelemetry/exporter-logs-otlp-proto) to an OpenTelemetry Collector; its
 * libraries log through the OpenTelemetry Logs API. distlog joins without
 * replacing any of it:
 *
 * - DistlogLogRecordProcessor goes first in the app's provider, so the
 *   libraries' records carry their place in the task tree (distlog.key, .path,
 *   .seq) and the task id as trace id, on their way to the Collector;
 * - register() keeps the app's global provider (it installs only what is
 *   missing: here the context manager and the propagator) and sends distlog's
 *   own records (task/to scopes, getLogger) over ZeroMQ to distlogd, whose
 *   `otlp` plugin forwards them to the same Collector.
 *
 *   OTEL_EXPORTER_OTLP_LOGS_ENDPOINT  the Collector (default http://127.0.0.1:4318/v1/logs)
 *   DISTLOG_ENDPOINT                  distlogd (default tcp://127.0.0.1:5010)
 */
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { getLogger, register, success, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';
import { DistlogLogRecordProcessor } from 'distlog/otel';

// 1. The app's own OpenTelemetry logs pipeline, as it was, plus distlog's stamping processor in front.
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'billing' }),
  processors: [
    new DistlogLogRecordProcessor({
      next: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? 'http://127.0.0.1:4318/v1/logs' }) })],
    }),
  ],
});
logs.setGlobalLoggerProvider(provider);

// 2. distlog: scopes and its own records, over ZeroMQ to distlogd.
const handle = register({
  serviceName: 'billing',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});

const db = logs.getLogger('billing.db'); // a library that logs through the OpenTelemetry Logs API
const log = getLogger('billing');

await task('invoice %s', 'I-9', { customer: 'c-17' }, async () => {
  log.info('computing invoice');
  await to('load rows', { table: 'lines' }, async () => {
    db.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'SELECT 3 rows from lines', attributes: { 'db.rows': 3 } });
    success('3 rows');
  });
  db.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'slow query: 120 ms', attributes: { 'db.ms': 120 } });
});

await handle.shutdown();
await provider.shutdown();

/**
 * One distlog pipeline, two destinations: register() with distlog's ZeroMQ
 * exporter (to distlogd) and the standard OTLP/HTTP exporter
 * (@opentelemetry/exporter-logs-otlp-http, OTLP/JSON) to an OpenTelemetry
 * Collector. Every record — scope enter/exit and the app's own — reaches both,
 * stamped the same (key, path, seq, trace/span ids).
 *
 *   OTEL_EXPORTER_OTLP_LOGS_ENDPOINT  the Collector (default http://127.0.0.1:4318/v1/logs)
 *   DISTLOG_ENDPOINT                  distlogd (default tcp://127.0.0.1:5010)
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { getLogger, register, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'ledger',
  exporters: [
    new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' }),
    new OTLPLogExporter({ url: process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? 'http://127.0.0.1:4318/v1/logs' }),
  ],
});
const log = getLogger('ledger');

await task('close month %s', '2026-11', { books: 'eu' }, async () => {
  for (let i = 1; i <= 3; i++) {
    await to('post batch %d', i, async () => {
      log.info('posted %d entries', i * 10, { batch: i });
      if (i === 2) log.warn('batch %d had a rounding difference', i, { cents: 1 });
    });
  }
  log.info('month closed');
});

await handle.shutdown();

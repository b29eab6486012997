/**
 * Performance data: `perf('db.query', { ms: 12.5, rows: 40 })` writes a record
 * of kind P in the active scope. It travels with topic kind P, so the collector
 * can route it apart from logs (e.g. keep it longer, feed a dashboard).
 */
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { otelLogger } from './otel-loggers.js';
import { hrNow } from './clock.js';
import { setPendingFacts } from './scope-event.js';

export const PERF_LOGGER_NAME = 'distlog.perf';

let perfLogger: Logger | undefined;

export function resetPerfLogger(): void {
  perfLogger = undefined;
}

export function perf(name: string, values: Record<string, number | string | boolean>): void {
  try {
    setPendingFacts({ kind: 'P' });
    (perfLogger ??= otelLogger(PERF_LOGGER_NAME)).emit({
      timestamp: hrNow(),
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: name,
      attributes: values,
    });
  } catch {
    // telemetry never throws into the application
  } finally {
    setPendingFacts(undefined);
  }
}

/**
 * Performance data: `perf('db.query', { ms: 12.5, rows: 40 })` writes a record
 * of kind P in the active scope. It travels with topic kind P, so the collector
 * can route it apart from logs (e.g. keep it longer, feed a dashboard).
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { emitRecord } from './otel-loggers.js';
import { setPendingFacts } from './scope-event.js';

export const PERF_LOGGER_NAME = 'distlog.perf';

export function perf(name: string, values: Record<string, number | string | boolean>): void {
  try {
    setPendingFacts({ kind: 'P' });
    emitRecord(PERF_LOGGER_NAME, SeverityNumber.INFO, 'INFO', name, values);
  } finally {
    setPendingFacts(undefined);
  }
}

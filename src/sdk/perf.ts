/**
 * Performance data: `perf('db.query', { ms: 12.5, rows: 40 })` writes a record
 * of kind P in the active scope. It travels with topic kind P, so the collector
 * can route it apart from logs (e.g. keep it longer, feed a dashboard).
 */
import { context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { captureInto } from './internal/capture.js';
import { emitRecord } from './internal/emit.js';

export const PERF_LOGGER_NAME = 'distlog.perf';

export function perf(name: string, values: Record<string, number | string | boolean>): void {
  const attributes: Record<string, unknown> = {};
  if (values !== undefined && values !== null) captureInto(attributes, values, 'perf values');
  emitRecord(PERF_LOGGER_NAME, SeverityNumber.INFO, 'INFO', typeof name === 'string' ? name : String(name), attributes, context.active(), { kind: 'P' });
}

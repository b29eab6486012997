/**
 * The records a scope writes about itself: enter, exit (success) and fail.
 * They go through the OpenTelemetry Logs API under the logger name `distlog`,
 * so every processor and exporter of the registered provider sees them.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { Scope } from '../scope.js';
import { emitRecord } from './emit.js';
import { exceptionAttributes } from './exception.js';

export const SCOPE_LOGGER_NAME = 'distlog';

function durationOf(scope: Scope): number {
  return Math.round((performance.now() - scope.startedAt) * 1000) / 1000;
}

export function emitEnter(scope: Scope): void {
  emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.INFO, 'INFO', scope.message, undefined, scope.context, { event: 'enter' });
}

export function emitExit(scope: Scope): void {
  if (scope.closed) return;
  scope.closed = true;
  const message = scope.successMessage ?? scope.message;
  emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.INFO, 'INFO', message, undefined, scope.context, { event: 'exit', durationMs: durationOf(scope) });
}

export function emitFail(scope: Scope, err: unknown): void {
  if (scope.closed) return;
  scope.closed = true;
  emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.ERROR, 'ERROR', `FAILED ${scope.message}`, exceptionAttributes(err), scope.context, {
    event: 'fail',
    durationMs: durationOf(scope),
  });
}

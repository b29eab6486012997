/**
 * The records a scope writes about itself: enter, exit (success) and fail.
 * They go through the OpenTelemetry Logs API under the logger name `distlog`,
 * so every processor and exporter of the registered provider sees them.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { emitRecord } from './otel-loggers.js';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
} from '../protocol/attributes.js';
import { setPendingFacts } from './scope-event.js';
import type { Scope } from './scope.js';

export const SCOPE_LOGGER_NAME = 'distlog';

function durationOf(scope: Scope): number {
  return Math.round((performance.now() - scope.startedAt) * 1000) / 1000;
}

export function emitEnter(scope: Scope): void {
  try {
    setPendingFacts({ event: 'enter' });
    emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.INFO, 'INFO', scope.message, undefined, scope.context);
  } catch {
    // telemetry never throws into the application
  } finally {
    setPendingFacts(undefined);
  }
}

export function emitExit(scope: Scope): void {
  if (scope.closed) return;
  scope.closed = true;
  try {
    setPendingFacts({ event: 'exit', durationMs: durationOf(scope) });
    emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.INFO, 'INFO', scope.successMessage ?? scope.message, undefined, scope.context);
  } catch {
    // telemetry never throws into the application
  } finally {
    setPendingFacts(undefined);
  }
}

/** Describes any thrown value as OTel exception attributes. */
export function exceptionAttributes(err: unknown): Record<string, string> {
  if (err instanceof Error) {
    const attrs: Record<string, string> = {
      [ATTR_EXCEPTION_TYPE]: err.constructor?.name && err.constructor.name !== 'Error' ? err.constructor.name : err.name,
      [ATTR_EXCEPTION_MESSAGE]: err.message,
    };
    if (typeof err.stack === 'string') attrs[ATTR_EXCEPTION_STACKTRACE] = err.stack;
    return attrs;
  }
  let text: string;
  try {
    text = typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    text = String(err);
  }
  return { [ATTR_EXCEPTION_TYPE]: typeof err, [ATTR_EXCEPTION_MESSAGE]: text };
}

export function emitFail(scope: Scope, err: unknown): void {
  if (scope.closed) return;
  scope.closed = true;
  try {
    setPendingFacts({ event: 'fail', durationMs: durationOf(scope) });
    emitRecord(SCOPE_LOGGER_NAME, SeverityNumber.ERROR, 'ERROR', `FAILED ${scope.message}`, exceptionAttributes(err), scope.context);
  } catch {
    // telemetry never throws into the application
  } finally {
    setPendingFacts(undefined);
  }
}

/**
 * Where the active Scope lives in an OpenTelemetry Context. Kept apart from the
 * Scope class so that the emitters and the processor can find a record's scope
 * without importing the class (no import cycle).
 */
import { createContextKey, type Context } from '@opentelemetry/api';
import type { Scope } from '../scope.js';

export const SCOPE_KEY = createContextKey('distlog.scope');

export function getScope(ctx: Context): Scope | undefined {
  return ctx.getValue(SCOPE_KEY) as Scope | undefined;
}

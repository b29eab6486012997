/**
 * Scope facts (enter/exit/fail, duration, kind) ride from the code that emits a
 * scope or perf record to the processor that stamps it on the record's own
 * Context: emit() hands that Context to every processor with the record, so the
 * facts reach exactly that record, through distlog's own pipeline and through
 * any LoggerProvider alike. The key is private to the SDK, so user attributes
 * and other libraries can never forge these reserved facts.
 */
import { createContextKey, type Context } from '@opentelemetry/api';
import type { KindCode, ScopeEvent } from '../../protocol/log-entry.js';

export interface ScopeFacts {
  event?: ScopeEvent;
  durationMs?: number;
  kind?: KindCode;
}

const FACTS_KEY = createContextKey('distlog.scope-facts');

export function withFacts(ctx: Context, facts: ScopeFacts): Context {
  return ctx.setValue(FACTS_KEY, facts);
}

export function factsOf(ctx: Context | undefined): ScopeFacts | undefined {
  return ctx === undefined ? undefined : (ctx.getValue(FACTS_KEY) as ScopeFacts | undefined);
}

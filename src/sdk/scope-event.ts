/**
 * Hands scope facts (enter/exit/fail, duration, kind) from the code that emits
 * a scope record to the ScopeProcessor that stamps it. The OTel Logs API calls
 * processors synchronously inside emit(), so a value set just before emit() is
 * read by exactly that record; user attributes can therefore never forge these
 * reserved facts.
 */
import type { KindCode, ScopeEvent } from '../protocol/log-entry.js';

export interface PendingFacts {
  event?: ScopeEvent;
  durationMs?: number;
  kind?: KindCode;
}

let pending: PendingFacts | undefined;

export function setPendingFacts(facts: PendingFacts | undefined): void {
  pending = facts;
}

/** Returns and clears the facts for the record being emitted. */
export function takePendingFacts(): PendingFacts | undefined {
  const p = pending;
  pending = undefined;
  return p;
}

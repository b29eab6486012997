/**
 * The parent-id distlog gives an outgoing call, derived from the calling
 * scope's span id so that a viewer can find the caller from the id alone.
 *
 * A service that has only an OpenTelemetry SDK (no distlog, no spans of its
 * own) logs with the caller's parent-id as its span id and nothing else: no
 * `distlog` path, no parent span. A random parent-id would leave its records
 * with no known place in the tree. Derived ids keep the first 12 hex digits
 * (48 random bits) of the scope's span id and XOR the slot number into the
 * last 4, so every call of a scope still gets its own parent-id, distinct
 * from the scope's own span id, and the calling scope is the one whose span
 * id shares the 12-digit prefix (a chance collision inside one trace needs
 * two of its scopes to share 48 random bits).
 */

/** Slots past this get a random parent-id (the last 16 bits cannot hold them). */
export const MAX_DERIVED_CALL = 0xffff;

/** Parent-id of call `slot` (1-based) of the scope whose span id is `scopeSpan`; undefined when it cannot be derived. */
export function callSpanId(scopeSpan: string, slot: number): string | undefined {
  if (scopeSpan.length !== 16 || slot < 1 || slot > MAX_DERIVED_CALL) return undefined;
  const low = (parseInt(scopeSpan.slice(12), 16) ^ slot).toString(16).padStart(4, '0');
  const id = scopeSpan.slice(0, 12) + low;
  return id === '0000000000000000' ? undefined : id;
}

/** The key shared by a scope's span id and the parent-ids of its calls. */
export function callerKey(span: string): string {
  return span.slice(0, 12);
}

/**
 * Decoded OTLP maps have no Object.prototype in their chain (a `__proto__` key is data, not a
 * prototype). node:assert's deepStrictEqual compares prototypes, so tests compare
 * `plain(decoded)` with literals: the same values, in ordinary objects.
 */
export function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as T;
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = plain((v as Record<string, unknown>)[k]);
    // defineProperty: plain assignment of `__proto__` would set the prototype.
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

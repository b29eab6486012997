/**
 * The one test for "a map of data": `{...}` literals, parsed JSON/YAML objects
 * and null-prototype objects; not arrays, errors, dates or other class instances
 * (so user data that happens to be an Error is never read as a map of fields).
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === MAP_PROTOTYPE;
}

/**
 * The prototype of maps the OTLP decoder builds: an empty object with a null
 * prototype, so nothing of Object.prototype is reachable (a `__proto__` key is
 * data) while V8 keeps the maps in fast mode (otlp-values.ts says why).
 */
export const MAP_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

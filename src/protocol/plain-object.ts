/**
 * The one test for "a map of data": `{...}` literals, parsed JSON/YAML objects
 * and null-prototype objects; not arrays, errors, dates or other class instances
 * (so user data that happens to be an Error is never read as a map of fields).
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

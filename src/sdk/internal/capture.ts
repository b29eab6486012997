/**
 * Copies application data (context data, a log call's trailing object) into
 * record attributes at the moment of the call. A copy, because the record is
 * exported later and the application may mutate or free its objects; and a
 * guarded one, because application objects can throw from getters or Proxy
 * traps, refer to themselves, or be huge. Nothing here throws: a value that
 * throws when read becomes a marker string and is counted; cycles, depth and
 * size are cut with markers. Primitives (the usual case) cost one typeof.
 */
import { isReservedAttribute } from '../../protocol/attributes.js';
import { describe, sdkHealth } from './health.js';

/** Deepest nesting copied; deeper values become DEPTH_MARK. */
const MAX_DEPTH = 8;
/** Entries copied per object or array; the rest is cut (a `…` entry says how many). */
const MAX_ENTRIES = 1000;

const CIRCULAR = '[Circular]';
const DEPTH_MARK = '[Too deep]';

function unreadable(where: string, err: unknown): string {
  sdkHealth.valueUnreadable(where, err);
  return `[Unreadable: ${describe(err)}]`;
}

/**
 * Copies the own enumerable properties of `data` into `into`. Reserved
 * `distlog.*` names are passed to `onReserved` and skipped. Returns false when
 * the object itself could not be read (e.g. a Proxy whose ownKeys trap throws).
 */
export function captureInto(
  into: Record<string, unknown>,
  data: object,
  where: string,
  onReserved?: (key: string) => void,
): boolean {
  let keys: string[];
  try {
    keys = Object.keys(data);
  } catch (err) {
    unreadable(where, err);
    return false;
  }
  const n = Math.min(keys.length, MAX_ENTRIES);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (isReservedAttribute(k)) {
      onReserved?.(k);
      continue;
    }
    let v: unknown;
    try {
      v = (data as Record<string, unknown>)[k];
    } catch (err) {
      into[k] = unreadable(where, err);
      continue;
    }
    const t = typeof v;
    if (t === 'string' || t === 'number' || t === 'boolean') into[k] = v;
    else if (v !== undefined) into[k] = toAnyValue(v, 1, [], where);
  }
  if (keys.length > MAX_ENTRIES) into['…'] = `${keys.length - MAX_ENTRIES} more keys not logged`;
  return true;
}

/** An OTel AnyValue-shaped copy of `v`: primitives, byte arrays, arrays and plain maps. */
export function toAnyValue(v: unknown, depth: number, ancestors: object[], where: string): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return v;
    case 'symbol':
      return v.toString();
    case 'function':
      return `[Function ${safeName(v)}]`;
  }
  if (v === null) return null;
  const obj = v as object;
  try {
    if (obj instanceof Uint8Array) return obj;
    if (ancestors.includes(obj)) return CIRCULAR;
    if (depth > MAX_DEPTH) return DEPTH_MARK;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    ancestors.push(obj);
    try {
      if (Array.isArray(obj)) return copyArray(obj, depth, ancestors, where);
      if (obj instanceof Error) return errorMap(obj, depth, ancestors, where);
      if (obj instanceof Map) return copyEntries([...obj.entries()].slice(0, MAX_ENTRIES + 1), depth, ancestors, where);
      if (obj instanceof Set) return copyArray([...obj].slice(0, MAX_ENTRIES + 1), depth, ancestors, where);
      const out: Record<string, unknown> = {};
      copyObject(out, obj, depth, ancestors, where);
      return out;
    } finally {
      ancestors.pop();
    }
  } catch (err) {
    return unreadable(where, err);
  }
}

function copyArray(arr: readonly unknown[], depth: number, ancestors: object[], where: string): unknown[] {
  const n = Math.min(arr.length, MAX_ENTRIES);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    let item: unknown;
    try {
      item = arr[i];
    } catch (err) {
      out[i] = unreadable(where, err);
      continue;
    }
    const c = toAnyValue(item, depth + 1, ancestors, where);
    out[i] = c === undefined ? null : c;
  }
  if (arr.length > MAX_ENTRIES) out.push(`… ${arr.length - MAX_ENTRIES} more items not logged`);
  return out;
}

function copyEntries(entries: [unknown, unknown][], depth: number, ancestors: object[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.min(entries.length, MAX_ENTRIES);
  for (let i = 0; i < n; i++) {
    const [k, v] = entries[i]!;
    const c = toAnyValue(v, depth + 1, ancestors, where);
    if (c !== undefined) out[String(k)] = c;
  }
  return out;
}

function copyObject(out: Record<string, unknown>, obj: object, depth: number, ancestors: object[], where: string): void {
  const keys = Object.keys(obj);
  const n = Math.min(keys.length, MAX_ENTRIES);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let v: unknown;
    try {
      v = (obj as Record<string, unknown>)[k];
    } catch (err) {
      out[k] = unreadable(where, err);
      continue;
    }
    const c = toAnyValue(v, depth + 1, ancestors, where);
    if (c !== undefined) out[k] = c;
  }
  if (keys.length > MAX_ENTRIES) out['…'] = `${keys.length - MAX_ENTRIES} more keys not logged`;
}

function errorMap(err: Error, depth: number, ancestors: object[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'message', 'stack'] as const) {
    try {
      const v = err[k];
      if (typeof v === 'string') out[k] = v;
    } catch (e) {
      out[k] = unreadable(where, e);
    }
  }
  copyObject(out, err, depth, ancestors, where);
  return out;
}

function safeName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : '(anonymous)';
  } catch {
    return '(anonymous)';
  }
}

/**
 * Per-record validation of untrusted LogEntry objects (JSON payloads). Hand-written
 * checks, not a schema library: the collector validates every record it receives,
 * so this is on its hot path (see bench/codec for the cost).
 *
 * A record that fails becomes one EntryError naming the first bad field; its
 * siblings in the batch are kept. Unknown fields are left in place: a newer writer
 * may add optional fields without a version bump (see LOG_ENTRY_VERSION).
 */
import type { EntryError } from './errors.js';
import { LOG_ENTRY_VERSION, LOG_ENTRY_VERSIONS_READ, type LogEntry } from './log-entry.js';
import { isReservedAttribute } from './attributes.js';
import { isPlainObject } from './plain-object.js';
import { isSystemCode } from './names.js';

/** Largest value a uint64 nanosecond timestamp can take (OTLP fixed64). */
const MAX_U64 = '18446744073709551615';

/**
 * A canonical unsigned decimal (no sign, no leading zeros, fits in uint64): the
 * form OTLP's fixed64 round-trips to, so JSON and binary agree byte for byte.
 */
export function isUnixNano(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const n = s.length;
  if (n === 0 || n > 20) return false;
  if (n > 1 && s.charCodeAt(0) === 0x30) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return n < 20 || s <= MAX_U64;
}

/** Short, safe description of a wrong value for an error message. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `string "${v.slice(0, 40)}..."` : `string ${JSON.stringify(v)}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

export { isPlainObject };

/**
 * Deepest nesting of maps and arrays inside one attribute, resource attribute or
 * body value. JSON.parse builds any depth without recursion, but every plugin
 * that serialises a record recurses (JSON.stringify overflowed the stack on a
 * 10,000-deep attribute and cost its whole batch): refused here, per record.
 * OpenTelemetry's own SDKs write far shallower values.
 */
export const MAX_VALUE_DEPTH = 32;

/** Resource attributes that plugins print and filter on: strings or absent. */
const STRING_RESOURCE_KEYS = ['service.name', 'host.name'] as const;

/** A key for an error path: quoted, cut to 40 characters. */
function showKey(k: string): string {
  return JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}...` : k);
}

const REPLACED_PROTOTYPE = 'expected plain data (string, number, boolean, null, array, map); an object with another prototype (a "__proto__" key assigned rather than defined?) is refused';

/** Only plain data reaches plugins: maps with the plain or a null prototype, never class instances. */
function isDataObject(v: object): boolean {
  return isPlainObject(v);
}

/** A problem found inside a value: the path below the value (innermost step first) and what. */
interface ValueProblem {
  steps: string[];
  message: string;
}

/**
 * First problem in an AnyValue-shaped value, or undefined. `depth` counts the maps
 * and arrays the value sits in. The path is built only for a problem: this runs
 * on every record the collector receives.
 */
function checkValue(v: unknown, depth: number): ValueProblem | undefined {
  switch (typeof v) {
    case 'string': case 'number': case 'boolean': case 'bigint':
      return undefined;
    case 'object': {
      if (v === null || v instanceof Uint8Array) return undefined;
      if (depth >= MAX_VALUE_DEPTH) return { steps: [], message: `nested more than ${MAX_VALUE_DEPTH} levels deep` };
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null) continue;
          const bad = checkValue(x, depth + 1);
          if (bad) { bad.steps.push(`[${i}]`); return bad; }
        }
        return undefined;
      }
      if (!isDataObject(v)) return { steps: [], message: REPLACED_PROTOTYPE };
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null) continue;
        const bad = checkValue(x, depth + 1);
        if (bad) { bad.steps.push(`[${showKey(k)}]`); return bad; }
      }
      return undefined;
    }
    default:
      return { steps: [], message: `expected plain data (string, number, boolean, null, array, map), got ${typeof v}` };
  }
}

/** [path, message] for a problem in the value at `where`. */
function located(where: string, p: ValueProblem): [string, string] {
  return [where + p.steps.reverse().join(''), p.message];
}

/** The problem in map `m`'s values, if any, located under `name`. */
function checkMap(m: Record<string, unknown>, name: string): [string, string] | undefined {
  for (const k in m) {
    const v = m[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) continue;
    const bad = checkValue(v, 0);
    if (bad) return located(`${name}[${showKey(k)}]`, bad);
  }
  return undefined;
}

/**
 * Bounds the values a record carries (attributes, resource, body): AnyValue
 * shapes only, at most MAX_VALUE_DEPTH deep, and `service.name` / `host.name`
 * strings (a `{"toString": "x"}` there broke every plugin that printed it).
 * For records of every encoding; returns [path, message] for the first problem.
 */
export function checkValues(e: { attributes: Record<string, unknown>; resource: Record<string, unknown>; body?: unknown }): [string, string] | undefined {
  return checkResource(e.resource) ?? checkRecordValues(e);
}

/** checkValues for the resource alone (records of one OTLP ResourceLogs share theirs: check it once). */
export function checkResource(res: Record<string, unknown>): [string, string] | undefined {
  if (!isDataObject(res)) return ['resource', REPLACED_PROTOTYPE];
  for (const k of STRING_RESOURCE_KEYS) {
    const v = res[k];
    if (v !== undefined && typeof v !== 'string') return [`resource[${showKey(k)}]`, `expected a string, got ${describeValue(v)}`];
  }
  return checkMap(res, 'resource');
}

/** checkValues for what is the record's own: attributes and body. */
export function checkRecordValues(e: { attributes: Record<string, unknown>; body?: unknown }): [string, string] | undefined {
  // A decoder that assigned a `__proto__` key gave the map a prototype: filters would see its fields.
  if (!isDataObject(e.attributes)) return ['attributes', REPLACED_PROTOTYPE];
  const a = checkMap(e.attributes, 'attributes');
  if (a) return a;
  if (e.body === undefined || typeof e.body === 'string') return undefined;
  const b = checkValue(e.body, 0);
  return b && located('body', b);
}

const KINDS: Record<string, true> = { L: true, P: true };
const EVENTS: Record<string, true> = { enter: true, exit: true, fail: true };

const OPTIONAL_STRINGS = ['task', 'span', 'parentSpan', 'path', 'key', 'eventName', 'loggerVersion', 'loggerSchemaUrl', 'resourceSchemaUrl'] as const;
/** OTLP uint32 fields. */
const OPTIONAL_UINT32 = ['traceFlags', 'droppedAttributesCount', 'loggerDroppedAttributesCount', 'resourceDroppedAttributesCount'] as const;
const MAX_UINT32 = 4294967295;

/**
 * Returns a message for the first bad field, as [field, message], or undefined when
 * the record is a valid LogEntry. Normalises in place: a missing or older `v` becomes
 * LOG_ENTRY_VERSION (a v1 record is a valid v2 record), and
 * optional fields sent as null are removed (other languages' encoders emit null).
 */
function check(e: Record<string, unknown>): [string, string] | undefined {
  const v = e.v;
  if (v === undefined || (typeof v === 'number' && LOG_ENTRY_VERSIONS_READ.includes(v))) e.v = LOG_ENTRY_VERSION;
  else return ['v', `unsupported record version ${describeValue(v)}, this reader knows ${LOG_ENTRY_VERSIONS_READ.join(' and ')}`];

  if (!isUnixNano(e.timeUnixNano)) return ['timeUnixNano', `expected nanoseconds as a decimal digit string, got ${describeValue(e.timeUnixNano)}`];
  if (typeof e.level !== 'string') return ['level', `expected a string, got ${describeValue(e.level)}`];
  const sev = e.severity;
  if (typeof sev !== 'number' || !Number.isInteger(sev) || sev < 0 || sev > 24) {
    return ['severity', `expected an integer 0..24, got ${describeValue(sev)}`];
  }
  if (typeof e.logger !== 'string') return ['logger', `expected a string, got ${describeValue(e.logger)}`];
  if (typeof e.message !== 'string') return ['message', `expected a string, got ${describeValue(e.message)}`];
  const attrs = e.attributes;
  if (!isPlainObject(attrs)) return ['attributes', `expected an object, got ${describeValue(attrs)}`];
  for (const name in attrs) {
    if (isReservedAttribute(name)) return [`attributes["${name}"]`, 'the distlog. prefix is reserved; scope facts travel in their own fields'];
  }
  if (!isPlainObject(e.resource)) return ['resource', `expected an object, got ${describeValue(e.resource)}`];
  const values = checkValues(e as { attributes: Record<string, unknown>; resource: Record<string, unknown> });
  if (values !== undefined) return values;
  if (typeof e.system !== 'string' || !isSystemCode(e.system)) return ['system', `expected "T", "S" or "P", got ${describeValue(e.system)}`];
  if (typeof e.kind !== 'string' || KINDS[e.kind] !== true) return ['kind', `expected "L" or "P", got ${describeValue(e.kind)}`];

  // Optional fields: the common record has few of them, so test presence first.
  if (e.observedTimeUnixNano != null && !isUnixNano(e.observedTimeUnixNano)) {
    return ['observedTimeUnixNano', `expected nanoseconds as a decimal digit string, got ${describeValue(e.observedTimeUnixNano)}`];
  }
  for (const f of OPTIONAL_STRINGS) {
    const x = e[f];
    if (x === undefined) continue;
    if (x === null) delete e[f];
    else if (typeof x !== 'string') return [f, `expected a string, got ${describeValue(x)}`];
  }
  for (const f of OPTIONAL_UINT32) {
    const x = e[f];
    if (x === undefined) continue;
    if (x === null) delete e[f];
    else if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > MAX_UINT32) return [f, `expected an integer 0..${MAX_UINT32}, got ${describeValue(x)}`];
  }
  const lfs = e.levelFromSeverity;
  if (lfs === null || lfs === false) delete e.levelFromSeverity;
  else if (lfs !== undefined && lfs !== true) return ['levelFromSeverity', `expected true or absent, got ${describeValue(lfs)}`];
  const la = e.loggerAttributes;
  if (la === null) delete e.loggerAttributes;
  else if (la !== undefined && !isPlainObject(la)) return ['loggerAttributes', `expected an object, got ${describeValue(la)}`];
  const seq = e.seq;
  if (seq != null && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) {
    return ['seq', `expected a non-negative integer, got ${describeValue(seq)}`];
  }
  const ev = e.event;
  if (ev != null && (typeof ev !== 'string' || EVENTS[ev] !== true)) return ['event', `expected "enter", "exit" or "fail", got ${describeValue(ev)}`];
  const d = e.durationMs;
  if (d != null && (typeof d !== 'number' || !Number.isFinite(d) || d < 0)) {
    return ['durationMs', `expected a non-negative number, got ${describeValue(d)}`];
  }
  const x = e.exception;
  if (x != null) {
    if (!isPlainObject(x)) return ['exception', `expected an object, got ${describeValue(x)}`];
    if (x.type === null) delete x.type;
    else if (x.type !== undefined && typeof x.type !== 'string') return ['exception.type', `expected a string, got ${describeValue(x.type)}`];
    if (typeof x.message !== 'string') return ['exception.message', `expected a string, got ${describeValue(x.message)}`];
    if (x.stack === null) delete x.stack;
    else if (x.stack !== undefined && typeof x.stack !== 'string') return ['exception.stack', `expected a string, got ${describeValue(x.stack)}`];
  }
  for (const f of ['observedTimeUnixNano', 'seq', 'event', 'durationMs', 'exception', 'body'] as const) {
    if (e[f] === null) delete e[f];
  }
  return undefined;
}

/**
 * Validates `value` as entry `index` of a batch. Returns it typed as LogEntry (the
 * same object, normalised in place) or records an EntryError and returns undefined.
 */
export function validateEntry(value: unknown, index: number, errors: EntryError[]): LogEntry | undefined {
  if (!isPlainObject(value)) {
    errors.push({ index, path: `entries[${index}]`, message: `expected a record object, got ${describeValue(value)}` });
    return undefined;
  }
  const bad = check(value);
  if (bad === undefined) return value as unknown as LogEntry;
  errors.push({ index, path: `entries[${index}].${bad[0]}`, message: bad[1] });
  return undefined;
}

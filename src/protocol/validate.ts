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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SYSTEMS: Record<string, true> = { T: true, S: true, P: true };
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
  if (typeof e.system !== 'string' || SYSTEMS[e.system] !== true) return ['system', `expected "T", "S" or "P", got ${describeValue(e.system)}`];
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

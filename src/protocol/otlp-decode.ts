/**
 * Decoder half of the OTLP codec (see otlp-codec.ts for the mapping and the choice).
 * Reads an ExportLogsServiceRequest straight into LogEntry objects. A malformed
 * LogRecord is skipped and named (its length prefix tells where the next starts);
 * malformed framing around the records fails the whole message.
 */
import { Reader, WireError, u64ToDecimal } from './proto-wire.js';
import type { EntryError } from './errors.js';
import { LOG_ENTRY_VERSION, type BatchMeta, type ExceptionInfo, type KindCode, type LogEntry, type ScopeEvent, type SystemCode } from './log-entry.js';
import {
  ATTR_DURATION_MS, ATTR_EVENT, ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE,
  ATTR_KEY, ATTR_KIND, ATTR_MESSAGE, ATTR_PARENT_SPAN, ATTR_PATH, ATTR_SEQ, ATTR_SPAN, ATTR_SYSTEM, ATTR_TASK,
} from './attributes.js';
import { levelNameFromSeverity } from './severity.js';
import { BATCH_META_FIELD } from './otlp-codec.js';

/** Default bound on AnyValue nesting (maps in maps, arrays in arrays). */
export const DEFAULT_MAX_DEPTH = 32;

/** A record-level problem: which field, and what. */
class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

type NodeBuffer = Buffer & { hexSlice(start: number, end: number): string };

function expectWire(r: Reader, field: number, got: number, want: number): void {
  if (got !== want) throw new WireError(`field ${field} has wire type ${got}, expected ${want}`, r.pos);
}

// Attribute keys repeat in every record ('user.id', 'distlog.key', ...): a small
// cache, verified byte by byte, returns the same string without allocating, and
// tags the reserved names once so the record reader dispatches on a number.
const K_USER = 0, K_MESSAGE = 1, K_KEY = 2, K_SEQ = 3, K_PATH = 4, K_PARENT = 5, K_EVENT = 6,
  K_DURATION = 7, K_KIND = 8, K_TASK = 9, K_SPAN = 10, K_XTYPE = 11, K_XMESSAGE = 12, K_XSTACK = 13, K_OTHER_RESERVED = 14;
// Null prototype: a key named `__proto__` or `constructor` must not find Object.prototype's.
const RESERVED_IDS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  [ATTR_MESSAGE]: K_MESSAGE, [ATTR_KEY]: K_KEY, [ATTR_SEQ]: K_SEQ, [ATTR_PATH]: K_PATH,
  [ATTR_PARENT_SPAN]: K_PARENT, [ATTR_EVENT]: K_EVENT, [ATTR_DURATION_MS]: K_DURATION, [ATTR_KIND]: K_KIND,
  [ATTR_TASK]: K_TASK, [ATTR_SPAN]: K_SPAN, [ATTR_EXCEPTION_TYPE]: K_XTYPE,
  [ATTR_EXCEPTION_MESSAGE]: K_XMESSAGE, [ATTR_EXCEPTION_STACKTRACE]: K_XSTACK,
});
const CACHE_SIZE = 4096;
const cacheKeys: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const cacheIds = new Uint8Array(CACHE_SIZE);
/** Id of the key last returned by readKey. */
let keyId = K_USER;

function idOf(key: string): number {
  const id = RESERVED_IDS[key];
  if (id !== undefined) return id;
  return key.startsWith('distlog.') ? K_OTHER_RESERVED : K_USER;
}

function readKey(r: Reader): string {
  const n = r.len();
  const buf = r.buf;
  const start = r.pos;
  if (n > 40) {
    const k = r.stringAt(start, n);
    keyId = idOf(k);
    return k;
  }
  let h = n;
  for (let i = start; i < start + n; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  const slot = h & (CACHE_SIZE - 1);
  const cached = cacheKeys[slot];
  r.pos = start + n;
  if (cached !== undefined && cached.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      keyId = cacheIds[slot]!;
      return cached;
    }
  }
  const k = r.stringAt(start, n);
  keyId = idOf(k);
  // Only ASCII keys can be verified by the byte compare above.
  if (k.length === n) {
    cacheKeys[slot] = k;
    cacheIds[slot] = keyId;
  }
  return k;
}

/** Maximum nesting of AnyValue maps and arrays, set by decodeOtlp (decoding is synchronous). */
let maxDepth = DEFAULT_MAX_DEPTH;

/**
 * A value nested deeper than maxDepth. Thrown at the depth limit; every map and
 * array level it unwinds through puts its key or index in front of `path`, so the
 * record-level catch can name where it was (`attributes["a"]["b"][0]`).
 */
class DepthError extends Error {
  readonly segments: string[] = [];
  get path(): string {
    return this.segments.join('');
  }
}

/** Map object for decoded key-value lists: no prototype, so a `__proto__` key is plain data. */
function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function readAnyValue(r: Reader, end: number, depth: number): unknown {
  if (depth > maxDepth) throw new DepthError(`nested deeper than ${maxDepth} levels`);
  let v: unknown = null;
  while (r.pos < end) {
    const tag = r.uvarint();
    const f = tag >>> 3;
    const wt = tag & 7;
    switch (f) {
      case 1: expectWire(r, f, wt, 2); v = r.string(); break;
      case 2: expectWire(r, f, wt, 0); v = r.uvarint() !== 0; break;
      case 3: {
        expectWire(r, f, wt, 0);
        const at = r.pos;
        const n = r.int64();
        // Beyond 2^53 a number is not exact: keep the producer's integer as {"$int": decimal}.
        v = Number.isSafeInteger(n) ? n : { $int: r.int64DecimalAt(at) };
        break;
      }
      case 4: expectWire(r, f, wt, 1); v = r.double(); break;
      case 5: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const arr: unknown[] = [];
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const ie = r.len() + r.pos;
          try {
            arr.push(readAnyValue(r, ie, depth + 1));
          } catch (err) {
            if (err instanceof DepthError) err.segments.unshift(`[${arr.length}]`);
            throw err;
          }
        }
        v = arr;
        break;
      }
      case 6: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const obj = newMap();
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const kvEnd = r.len() + r.pos;
          const k = readKeyValue(r, kvEnd, depth + 1);
          obj[k] = kvValue;
        }
        v = obj;
        break;
      }
      case 7: expectWire(r, f, wt, 2); v = { $bytes: r.bytes().toString('base64') }; break;
      default: r.skip(wt);
    }
  }
  if (r.pos !== end) throw new WireError('AnyValue runs past its length', r.pos);
  return v;
}

/** Value of the KeyValue last read by readKeyValue (saves allocating a pair per attribute). */
let kvValue: unknown = null;

/**
 * Reads KeyValue{key=1, value=2} whose value sits at `depth`: returns the key,
 * leaves the value in kvValue and its id in keyId.
 */
function readKeyValue(r: Reader, end: number, depth: number): string {
  let key = '';
  let id = K_USER;
  kvValue = null;
  let value: unknown = null;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      key = readKey(r);
      id = keyId;
    } else if (tag === 0x12) {
      const e = r.len() + r.pos;
      try {
        value = readAnyValue(r, e, depth);
      } catch (err) {
        // The key comes first on the wire from every known encoder; name it when we have it.
        if (err instanceof DepthError) err.segments.unshift(`[${JSON.stringify(key)}]`);
        throw err;
      }
    } else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new WireError('KeyValue runs past its length', r.pos);
  kvValue = value;
  keyId = id;
  return key;
}

/**
 * Reads one KeyValue of a resource or scope attribute list into `into`. A value
 * nested too deep is skipped and returned as a FieldError named `where` + path:
 * the caller refuses the records that would carry it.
 */
function readAttributeInto(r: Reader, into: Record<string, unknown>, where: string): FieldError | undefined {
  const kvEnd = r.len() + r.pos;
  try {
    const k = readKeyValue(r, kvEnd, 1);
    into[k] = kvValue;
    return undefined;
  } catch (err) {
    if (!(err instanceof DepthError)) throw err;
    r.pos = kvEnd;
    return new FieldError(where + err.path, err.message);
  }
}

function wantString(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new FieldError(`attributes["${name}"]`, `expected a string, got ${v === null ? 'null' : typeof v}`);
  return v;
}

/** Applies one distlog.* / exception.* attribute (wire form) to its LogEntry field. */
function applyReserved(e: LogEntry, id: number, name: string, v: unknown, ex: ExceptionInfo | undefined): ExceptionInfo | undefined {
  switch (id) {
    case K_MESSAGE: e.message = wantString(name, v); hasMessage = true; break;
    case K_KEY: e.key = wantString(name, v); break;
    case K_SEQ:
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new FieldError(`attributes["${name}"]`, 'expected a non-negative integer');
      e.seq = v;
      break;
    case K_PATH: e.path = wantString(name, v); break;
    case K_PARENT: e.parentSpan = wantString(name, v); break;
    case K_EVENT: {
      const ev = wantString(name, v);
      if (ev !== 'enter' && ev !== 'exit' && ev !== 'fail') throw new FieldError(`attributes["${name}"]`, `expected enter, exit or fail, got "${ev}"`);
      e.event = ev as ScopeEvent;
      break;
    }
    case K_DURATION:
      if (typeof v !== 'number') throw new FieldError(`attributes["${name}"]`, 'expected a number');
      e.durationMs = v;
      break;
    case K_KIND: {
      const k = wantString(name, v);
      if (k !== 'L' && k !== 'P') throw new FieldError(`attributes["${name}"]`, `expected "L" or "P", got "${k}"`);
      e.kind = k as KindCode;
      break;
    }
    case K_TASK: e.task = wantString(name, v); break;
    case K_SPAN: e.span = wantString(name, v); break;
    // exception.*: OTel semantic conventions, not ours. A non-string value is not an
    // exception field but it is the producer's data: keep it as an attribute.
    case K_XTYPE:
      if (typeof v === 'string') (ex ??= { message: '' }).type = v;
      else e.attributes[name] = v;
      break;
    case K_XMESSAGE:
      if (typeof v === 'string') (ex ??= { message: '' }).message = v;
      else e.attributes[name] = v;
      break;
    case K_XSTACK:
      if (typeof v === 'string') (ex ??= { message: '' }).stack = v;
      else e.attributes[name] = v;
      break;
    default:
      // An unknown distlog.* name (a newer writer): not user data, and not ours to interpret.
      break;
  }
  return ex;
}

/** Set by applyReserved when the record carried distlog.message. */
let hasMessage = false;

function readLogRecord(r: Reader, end: number, kindDefault: KindCode): LogEntry {
  const attrs = newMap();
  const e: LogEntry = {
    v: LOG_ENTRY_VERSION,
    timeUnixNano: '',
    level: '',
    severity: 0,
    logger: '', // set by the ScopeLogs reader
    message: '',
    attributes: attrs,
    resource: EMPTY, // set by the ResourceLogs reader
    system: 'P',
    kind: kindDefault,
  };
  let hasLevel = false;
  let observed: string | undefined;
  // proto3: a zero or empty scalar is the same as an absent one (the official JS
  // serializer writes dropped_attributes_count 0, Python omits it): absent in LogEntry.
  let dropped = 0;
  let flags = 0;
  let eventName = '';
  let body: unknown;
  let ex: ExceptionInfo | undefined;
  hasMessage = false;
  while (r.pos < end) {
    const tag = r.uvarint();
    switch (tag) {
      case 0x09: e.timeUnixNano = u64ToDecimal(r.fixed64lo(), r.fixed64hi()); break;
      case 0x59: observed = u64ToDecimal(r.fixed64lo(), r.fixed64hi()); break;
      case 0x10: e.severity = r.uvarint(); break;
      case 0x1a: e.level = r.string(); hasLevel = e.level !== ''; break;
      case 0x2a: {
        const be = r.len() + r.pos;
        try {
          body = readAnyValue(r, be, 1);
        } catch (err) {
          if (err instanceof DepthError) throw new FieldError(`body${err.path}`, err.message);
          throw err;
        }
        break;
      }
      case 0x32: {
        const kvEnd = r.len() + r.pos;
        let k: string;
        try {
          k = readKeyValue(r, kvEnd, 1);
        } catch (err) {
          if (err instanceof DepthError) throw new FieldError(`attributes${err.path}`, err.message);
          throw err;
        }
        if (keyId === K_USER) attrs[k] = kvValue;
        else ex = applyReserved(e, keyId, k, kvValue, ex);
        break;
      }
      case 0x38: dropped = r.uvarint(); break;
      case 0x45: flags = r.fixed32(); break;
      case 0x4a: { const n = r.len(); if (n) e.task = (r.buf as NodeBuffer).hexSlice(r.pos, r.pos + n); r.pos += n; break; }
      case 0x52: { const n = r.len(); if (n) e.span = (r.buf as NodeBuffer).hexSlice(r.pos, r.pos + n); r.pos += n; break; }
      case 0x62: eventName = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  if (r.pos !== end) throw new WireError('LogRecord runs past its length', r.pos);
  if (e.severity > 24) throw new FieldError('severity', `expected an integer 0..24, got ${e.severity}`);
  if (dropped !== 0) e.droppedAttributesCount = dropped;
  if (flags !== 0) e.traceFlags = flags;
  if (eventName !== '') e.eventName = eventName;
  // OTel's data model: without an event time (absent or 0), the observed time stands in for it.
  if (e.timeUnixNano === '' || e.timeUnixNano === '0') e.timeUnixNano = observed ?? '0';
  else if (observed !== undefined && observed !== e.timeUnixNano) e.observedTimeUnixNano = observed;
  if (!hasLevel) {
    e.level = levelNameFromSeverity(e.severity);
    e.levelFromSeverity = true;
  }
  if (ex !== undefined) e.exception = ex;
  if (!hasMessage) {
    if (typeof body === 'string') {
      e.message = body;
      body = undefined;
    } else if (body !== undefined && body !== null) {
      // A foreign producer's structured body: keep it, and give viewers a one-line message.
      e.message = JSON.stringify(body) ?? '';
    }
  }
  if (body !== undefined && body !== null) e.body = body;
  return e;
}

const EMPTY: Record<string, unknown> = Object.freeze(newMap());

/** Decoder state of one message: records and errors in wire order, each record numbered. */
interface State {
  entries: LogEntry[];
  errors: EntryError[];
  /** Number of LogRecords met so far (good and bad): the next record's index. */
  index: number;
  kind: KindCode;
}

/**
 * Turns the records decoded since (fromEntry, fromIndex) into errors: their
 * resource or scope could not be read. Records already refused keep their error.
 */
function rejectSince(st: State, fromEntry: number, fromError: number, fromIndex: number, where: string, message: string): void {
  const refused = new Set<number>();
  for (let i = fromError; i < st.errors.length; i++) refused.add(st.errors[i]!.index);
  const moved: EntryError[] = [];
  for (let index = fromIndex; index < st.index; index++) {
    if (!refused.has(index)) moved.push({ index, path: `entries[${index}].${where}`, message });
  }
  st.entries.length = fromEntry;
  st.errors.push(...moved);
  st.errors.sort((a, b) => a.index - b.index);
}

function readScopeLogs(r: Reader, end: number, st: State): void {
  let logger = '';
  // proto3: empty and zero mean absent (see readLogRecord).
  let version = '';
  let schemaUrl = '';
  let scopeAttrs: Record<string, unknown> | undefined;
  let dropped = 0;
  let scopeError: FieldError | undefined;
  const out = st.entries;
  const from = out.length;
  const fromError = st.errors.length;
  const fromIndex = st.index;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      // InstrumentationScope{name=1, version=2, attributes=3, dropped_attributes_count=4}
      const e = r.len() + r.pos;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) logger = r.string();
        else if (t === 0x12) version = r.string();
        else if (t === 0x1a) {
          const bad = readAttributeInto(r, (scopeAttrs ??= newMap()), 'loggerAttributes');
          scopeError ??= bad;
        } else if (t === 0x20) dropped = r.uvarint();
        else r.skip(t & 7);
      }
    } else if (tag === 0x12) {
      const e = r.len() + r.pos;
      const index = st.index++;
      try {
        out.push(readLogRecord(r, e, st.kind));
      } catch (err) {
        if (!(err instanceof WireError || err instanceof FieldError)) throw err;
        const field = err instanceof FieldError ? `.${err.field}` : '';
        const what = err instanceof FieldError ? err.message : `malformed OTLP LogRecord: ${err.message}`;
        st.errors.push({ index, path: `entries[${index}]${field}`, message: what });
      }
      r.pos = e;
    } else if (tag === 0x1a) {
      schemaUrl = r.string();
    } else r.skip(tag & 7);
  }
  if (scopeError !== undefined) {
    rejectSince(st, from, fromError, fromIndex, scopeError.field, scopeError.message);
    return;
  }
  // The scope may follow its records on the wire (protobuf field order is free).
  for (let i = from; i < out.length; i++) {
    const e = out[i]!;
    e.logger = logger;
    if (version !== '') e.loggerVersion = version;
    if (schemaUrl !== '') e.loggerSchemaUrl = schemaUrl;
    if (scopeAttrs !== undefined) e.loggerAttributes = scopeAttrs;
    if (dropped !== 0) e.loggerDroppedAttributesCount = dropped;
  }
}

function readResourceLogs(r: Reader, end: number, st: State, system: SystemCode): void {
  const resource = newMap();
  let schemaUrl = '';
  let dropped = 0;
  let resourceError: FieldError | undefined;
  const out = st.entries;
  const from = out.length;
  const fromError = st.errors.length;
  const fromIndex = st.index;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      // Resource{attributes=1, dropped_attributes_count=2}
      const e = r.len() + r.pos;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) {
          const bad = readAttributeInto(r, resource, 'resource');
          resourceError ??= bad;
        } else if (t === 0x10) dropped = r.uvarint();
        else r.skip(t & 7);
      }
    } else if (tag === 0x12) {
      readScopeLogs(r, r.len() + r.pos, st);
    } else if (tag === 0x1a) {
      schemaUrl = r.string();
    } else r.skip(tag & 7);
  }
  if (resourceError !== undefined) {
    rejectSince(st, from, fromError, fromIndex, resourceError.field, resourceError.message);
    return;
  }
  const s = resource[ATTR_SYSTEM];
  if (s !== undefined) {
    delete resource[ATTR_SYSTEM];
    if (s === 'T' || s === 'S' || s === 'P') system = s;
  }
  for (let i = from; i < out.length; i++) {
    const e = out[i]!;
    e.resource = resource;
    e.system = system;
    if (schemaUrl !== '') e.resourceSchemaUrl = schemaUrl;
    if (dropped !== 0) e.resourceDroppedAttributesCount = dropped;
  }
}

export interface OtlpDecoded {
  entries: LogEntry[];
  meta: BatchMeta;
  errors: EntryError[];
}

export interface OtlpDecodeOptions {
  /** Deepest AnyValue nesting accepted (maps and arrays); deeper records are refused alone. Default 32. */
  maxDepth?: number;
}

/**
 * Number of LogRecords in an ExportLogsServiceRequest, counted from the framing
 * alone (records are skipped by their length, nothing is built), so that a
 * message of millions of tiny records can be refused before it costs memory.
 * Throws WireError on broken framing.
 */
export function countOtlpRecords(payload: Buffer): number {
  const r = new Reader(payload);
  let count = 0;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag !== 0x0a) { r.skip(tag & 7); continue; }
    const rlEnd = r.len() + r.pos;
    while (r.pos < rlEnd) {
      const t = r.uvarint();
      if (t !== 0x12) { r.skip(t & 7); continue; }
      const slEnd = r.len() + r.pos;
      while (r.pos < slEnd) {
        const t2 = r.uvarint();
        if (t2 === 0x12) count++;
        r.skip(t2 & 7);
      }
      if (r.pos !== slEnd) throw new WireError('ScopeLogs runs past its length', r.pos);
    }
    if (r.pos !== rlEnd) throw new WireError('ResourceLogs runs past its length', r.pos);
  }
  return count;
}

/**
 * Decodes an ExportLogsServiceRequest. `defaults` fill what plain OTLP does not
 * carry (system from the topic; kind 'L'). Throws WireError on broken framing.
 */
export function decodeOtlp(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }, options?: OtlpDecodeOptions): OtlpDecoded {
  const r = new Reader(payload);
  const st: State = { entries: [], errors: [], index: 0, kind: defaults.kind };
  const meta: BatchMeta = {};
  const metaTag = BATCH_META_FIELD * 8 + 2;
  maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      readResourceLogs(r, r.len() + r.pos, st, defaults.system);
    } else if (tag === metaTag) {
      const e = r.len() + r.pos;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) meta.producer = r.string();
        else if (t === 0x10) meta.seq = r.uvarint();
        else r.skip(t & 7); // future delivery fields
      }
    } else r.skip(tag & 7);
  }
  return { entries: st.entries, meta, errors: st.errors };
}

/**
 * Decoder half of the OTLP codec (see otlp-codec.ts for the mapping and the choice).
 * Reads an ExportLogsServiceRequest straight into LogEntry objects. A malformed
 * LogRecord is skipped and named (its length prefix tells where the next starts);
 * malformed framing around the records fails the whole message.
 */
import { Reader, WireError, u64ToDecimal } from './proto-wire.js';
import type { EntryError } from './errors.js';
import type { BatchMeta, ExceptionInfo, KindCode, LogEntry, ScopeEvent, SystemCode } from './log-entry.js';
import {
  ATTR_DURATION_MS, ATTR_EVENT, ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE,
  ATTR_KEY, ATTR_KIND, ATTR_MESSAGE, ATTR_PARENT_SPAN, ATTR_PATH, ATTR_SEQ, ATTR_SPAN, ATTR_SYSTEM, ATTR_TASK,
} from './attributes.js';
import { levelNameFromSeverity } from './severity.js';
import { BATCH_META_FIELD } from './otlp-codec.js';

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
const RESERVED_IDS: Record<string, number> = {
  [ATTR_MESSAGE]: K_MESSAGE, [ATTR_KEY]: K_KEY, [ATTR_SEQ]: K_SEQ, [ATTR_PATH]: K_PATH,
  [ATTR_PARENT_SPAN]: K_PARENT, [ATTR_EVENT]: K_EVENT, [ATTR_DURATION_MS]: K_DURATION, [ATTR_KIND]: K_KIND,
  [ATTR_TASK]: K_TASK, [ATTR_SPAN]: K_SPAN, [ATTR_EXCEPTION_TYPE]: K_XTYPE,
  [ATTR_EXCEPTION_MESSAGE]: K_XMESSAGE, [ATTR_EXCEPTION_STACKTRACE]: K_XSTACK,
};
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

function readAnyValue(r: Reader, end: number): unknown {
  let v: unknown = null;
  while (r.pos < end) {
    const tag = r.uvarint();
    const f = tag >>> 3;
    const wt = tag & 7;
    switch (f) {
      case 1: expectWire(r, f, wt, 2); v = r.string(); break;
      case 2: expectWire(r, f, wt, 0); v = r.uvarint() !== 0; break;
      case 3: expectWire(r, f, wt, 0); v = r.int64(); break;
      case 4: expectWire(r, f, wt, 1); v = r.double(); break;
      case 5: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const arr: unknown[] = [];
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const ie = r.len() + r.pos;
          arr.push(readAnyValue(r, ie));
        }
        v = arr;
        break;
      }
      case 6: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const obj: Record<string, unknown> = {};
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const kvEnd = r.len() + r.pos;
          const k = readKeyValue(r, kvEnd);
          obj[k] = kvValue;
        }
        v = obj;
        break;
      }
      case 7: expectWire(r, f, wt, 2); v = r.bytes().toString('base64'); break;
      default: r.skip(wt);
    }
  }
  if (r.pos !== end) throw new WireError('AnyValue runs past its length', r.pos);
  return v;
}

/** Value of the KeyValue last read by readKeyValue (saves allocating a pair per attribute). */
let kvValue: unknown = null;

/** Reads KeyValue{key=1, value=2}: returns the key, leaves the value in kvValue and its id in keyId. */
function readKeyValue(r: Reader, end: number): string {
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
      value = readAnyValue(r, e);
    } else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new WireError('KeyValue runs past its length', r.pos);
  kvValue = value;
  keyId = id;
  return key;
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
    case K_XTYPE: (ex ??= { type: 'Error', message: '' }).type = wantString(name, v); break;
    case K_XMESSAGE: (ex ??= { type: 'Error', message: '' }).message = wantString(name, v); break;
    case K_XSTACK: (ex ??= { type: 'Error', message: '' }).stack = wantString(name, v); break;
    default:
      // An unknown distlog.* name (a newer writer): not user data, and not ours to interpret.
      break;
  }
  return ex;
}

/** Set by applyReserved when the record carried distlog.message. */
let hasMessage = false;

function readLogRecord(r: Reader, end: number, logger: string, kindDefault: KindCode): LogEntry {
  const attrs: Record<string, unknown> = {};
  const e: LogEntry = {
    v: 1,
    timeUnixNano: '',
    level: '',
    severity: 0,
    logger,
    message: '',
    attributes: attrs,
    resource: EMPTY, // set by the ResourceLogs reader
    system: 'P',
    kind: kindDefault,
  };
  let hasLevel = false;
  let body: unknown;
  let ex: ExceptionInfo | undefined;
  hasMessage = false;
  while (r.pos < end) {
    const tag = r.uvarint();
    switch (tag) {
      case 0x09: e.timeUnixNano = u64ToDecimal(r.fixed64lo(), r.fixed64hi()); break;
      case 0x59: e.observedTimeUnixNano = u64ToDecimal(r.fixed64lo(), r.fixed64hi()); break;
      case 0x10: e.severity = r.uvarint(); break;
      case 0x1a: e.level = r.string(); hasLevel = true; break;
      case 0x2a: { const be = r.len() + r.pos; body = readAnyValue(r, be); break; }
      case 0x32: {
        const kvEnd = r.len() + r.pos;
        const k = readKeyValue(r, kvEnd);
        if (keyId === K_USER) attrs[k] = kvValue;
        else ex = applyReserved(e, keyId, k, kvValue, ex);
        break;
      }
      case 0x4a: { const n = r.len(); if (n) e.task = (r.buf as NodeBuffer).hexSlice(r.pos, r.pos + n); r.pos += n; break; }
      case 0x52: { const n = r.len(); if (n) e.span = (r.buf as NodeBuffer).hexSlice(r.pos, r.pos + n); r.pos += n; break; }
      default: r.skip(tag & 7);
    }
  }
  if (r.pos !== end) throw new WireError('LogRecord runs past its length', r.pos);
  if (e.severity > 24) throw new FieldError('severity', `expected an integer 0..24, got ${e.severity}`);
  if (e.timeUnixNano === '') e.timeUnixNano = e.observedTimeUnixNano ?? '0';
  if (!hasLevel) e.level = levelNameFromSeverity(e.severity);
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

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function readScopeLogs(r: Reader, end: number, out: LogEntry[], first: number, errors: EntryError[], kind: KindCode): void {
  let logger = '';
  const from = out.length;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      // InstrumentationScope{name=1, version=2, ...}
      const e = r.len() + r.pos;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) logger = r.string();
        else r.skip(t & 7);
      }
    } else if (tag === 0x12) {
      const e = r.len() + r.pos;
      const index = first + out.length + errors.length;
      try {
        out.push(readLogRecord(r, e, logger, kind));
      } catch (err) {
        if (!(err instanceof WireError || err instanceof FieldError)) throw err;
        const field = err instanceof FieldError ? `.${err.field}` : '';
        const what = err instanceof FieldError ? err.message : `malformed OTLP LogRecord: ${err.message}`;
        errors.push({ index, path: `entries[${index}]${field}`, message: what });
      }
      r.pos = e;
    } else r.skip(tag & 7);
  }
  // The scope may follow its records on the wire (protobuf field order is free).
  for (let i = from; i < out.length; i++) out[i]!.logger = logger;
}

function readResourceLogs(r: Reader, end: number, out: LogEntry[], first: number, errors: EntryError[], defaults: { system: SystemCode; kind: KindCode }): void {
  const resource: Record<string, unknown> = {};
  const from = out.length;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      // Resource{attributes=1, dropped_attributes_count=2}
      const e = r.len() + r.pos;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) {
          const k = readKeyValue(r, r.len() + r.pos);
          resource[k] = kvValue;
        }
        else r.skip(t & 7);
      }
    } else if (tag === 0x12) {
      readScopeLogs(r, r.len() + r.pos, out, first, errors, defaults.kind);
    } else r.skip(tag & 7);
  }
  let system = defaults.system;
  const s = resource[ATTR_SYSTEM];
  if (s !== undefined) {
    delete resource[ATTR_SYSTEM];
    if (s === 'T' || s === 'S' || s === 'P') system = s;
  }
  for (let i = from; i < out.length; i++) {
    const e = out[i]!;
    e.resource = resource;
    e.system = system;
  }
}

export interface OtlpDecoded {
  entries: LogEntry[];
  meta: BatchMeta;
  errors: EntryError[];
}

/**
 * Decodes an ExportLogsServiceRequest. `defaults` fill what plain OTLP does not
 * carry (system from the topic; kind 'L'). Throws WireError on broken framing.
 */
export function decodeOtlp(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }): OtlpDecoded {
  const r = new Reader(payload);
  const entries: LogEntry[] = [];
  const errors: EntryError[] = [];
  const meta: BatchMeta = {};
  const metaTag = BATCH_META_FIELD * 8 + 2;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      readResourceLogs(r, r.len() + r.pos, entries, 0, errors, defaults);
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
  return { entries, meta, errors };
}

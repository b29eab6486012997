/**
 * Decoder half of the OTLP codec (see otlp-codec.ts for the mapping and the choice).
 * Reads an ExportLogsServiceRequest straight into LogEntry objects. A malformed
 * LogRecord is skipped and named (its length prefix tells where the next starts);
 * malformed framing around the records fails the whole message.
 */
import { Reader, WireError, u64ToDecimal } from './proto-wire.js';
import type { EntryError } from './errors.js';
import { LOG_ENTRY_VERSION, type BatchMeta, type ExceptionInfo, type KindCode, type LogEntry, type ScopeEvent, type SystemCode } from './log-entry.js';
import { ATTR_SYSTEM } from './attributes.js';
import { levelNameFromSeverity } from './severity.js';
import { BATCH_META_FIELD } from './otlp-codec.js';
import { setResourceFields, setScopeFields, type ResourceFacts, type ScopeFacts } from './otlp-facts.js';
import {
  DEFAULT_MAX_DEPTH, DepthError, FieldError, kv, newMap, readAnyValue, readAttributeInto, readKeyValue, setMaxDepth,
  K_DURATION, K_EVENT, K_KEY, K_KIND, K_MESSAGE, K_PARENT, K_PATH, K_SEQ, K_SPAN, K_TASK, K_USER, K_XMESSAGE, K_XSTACK, K_XTYPE,
} from './otlp-values.js';

export { DEFAULT_MAX_DEPTH };

type NodeBuffer = Buffer & { hexSlice(start: number, end: number): string };

/**
 * ResourceLogs field 1000, `instrumentation_library_logs`: what OTLP before 0.19
 * (SDKs of 2022 and older) sent in place of scope_logs, with the same layout
 * (InstrumentationLibrary has name=1, version=2). Read, not skipped: skipping
 * would lose their records without counting them.
 */
export const LEGACY_SCOPE_LOGS_TAG = 1000 * 8 + 2;

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

/**
 * The last trace or span id read and its hex text. The records of one scope carry
 * the same ids, so comparing 8 or 16 bytes with the previous record's usually
 * saves a native hexSlice call and a string per record. Reset per message
 * (forget()), so no payload is kept alive after its decode.
 */
interface IdMemo { buf: Uint8Array | undefined; at: number; n: number; hex: string }
const TASK_ID: IdMemo = { buf: undefined, at: 0, n: 0, hex: '' };
const SPAN_ID: IdMemo = { buf: undefined, at: 0, n: 0, hex: '' };

function hexId(m: IdMemo, buf: Uint8Array, at: number, n: number): string {
  const prev = m.buf;
  if (prev !== undefined && m.n === n) {
    let i = 0;
    const from = m.at;
    while (i < n && prev[from + i] === buf[at + i]) i++;
    if (i === n) return m.hex;
  }
  m.buf = buf;
  m.at = at;
  m.n = n;
  m.hex = (buf as NodeBuffer).hexSlice(at, at + n);
  return m.hex;
}

function forget(m: IdMemo): void {
  m.buf = undefined;
  m.hex = '';
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
  // Times as 32-bit halves, formatted once at the end: the observed time is
  // usually the event time (our encoder always writes both), and formatting is not free.
  let timeLo = 0, timeHi = 0, obsLo = 0, obsHi = 0;
  let hasObserved = false;
  // proto3: a zero or empty scalar is the same as an absent one (the official JS
  // serializer writes dropped_attributes_count 0, Python omits it): absent in LogEntry.
  let dropped = 0;
  let flags = 0;
  /** The task as read from trace_id (a distlog.task attribute may name another). */
  let traceTask: string | undefined;
  let eventName = '';
  let body: unknown;
  let ex: ExceptionInfo | undefined;
  hasMessage = false;
  while (r.pos < end) {
    const tag = r.uvarint();
    switch (tag) {
      case 0x09: timeLo = r.fixed64lo(); timeHi = r.fixed64hi(); break;
      case 0x59: obsLo = r.fixed64lo(); obsHi = r.fixed64hi(); hasObserved = true; break;
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
        if (kv.id === K_USER) attrs[k] = kv.value;
        else ex = applyReserved(e, kv.id, k, kv.value, ex);
        break;
      }
      case 0x38: dropped = r.uvarint(); break;
      case 0x45: flags = r.fixed32(); break;
      case 0x4a: { const n = r.len(); if (n) traceTask = e.task = hexId(TASK_ID, r.buf, r.pos, n); r.pos += n; break; }
      case 0x52: { const n = r.len(); if (n) e.span = hexId(SPAN_ID, r.buf, r.pos, n); r.pos += n; break; }
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
  if (timeLo === 0 && timeHi === 0) e.timeUnixNano = u64ToDecimal(obsLo, obsHi);
  else {
    e.timeUnixNano = u64ToDecimal(timeLo, timeHi);
    if (hasObserved && (obsLo !== timeLo || obsHi !== timeHi)) e.observedTimeUnixNano = u64ToDecimal(obsLo, obsHi);
  }
  if (!hasLevel) {
    e.level = levelNameFromSeverity(e.severity);
    e.levelFromSeverity = true;
  }
  if (ex !== undefined) e.exception = ex;
  // distlog's exporter leaves out distlog.key when it is exactly <seq>@<task>/<path>
  // of the fields beside it (27 % of a small record's bytes): made again here.
  if (e.key === undefined && e.seq !== undefined && e.path !== undefined && e.task !== undefined && e.task === traceTask) {
    e.key = e.path === '' ? `${e.seq}@${e.task}` : `${e.seq}@${e.task}/${e.path}`;
  }
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
        st.errors.push(recordError(err, index));
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
  const scope: ScopeFacts = { logger, version, schemaUrl, attributes: scopeAttrs, dropped };
  for (let i = from; i < out.length; i++) setScopeFields(out[i]!, scope);
}

/** The error a LogRecord that could not be read becomes (WireError and FieldError; anything else is rethrown). */
function recordError(err: unknown, index: number): EntryError {
  if (!(err instanceof WireError || err instanceof FieldError)) throw err;
  const field = err instanceof FieldError ? `.${err.field}` : '';
  const what = err instanceof FieldError ? err.message : `malformed OTLP LogRecord: ${err.message}`;
  return { index, path: `entries[${index}]${field}`, message: what };
}

/**
 * The LogRecord at payload[start, end) read exactly as decodeOtlp reads it,
 * without its scope and resource fields (setScopeFields, setResourceFields):
 * the entry, or the error it becomes. For the JSON-lines transcoder's records
 * that its fast path does not take. The caller sets the depth bound (setMaxDepth).
 */
export function decodeLogRecordAt(payload: Buffer, start: number, end: number, kind: KindCode, index: number): LogEntry | EntryError {
  const r = new Reader(payload, start);
  try {
    return readLogRecord(r, end, kind);
  } catch (err) {
    return recordError(err, index);
  } finally {
    forget(TASK_ID);
    forget(SPAN_ID);
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
    } else if (tag === 0x12 || tag === LEGACY_SCOPE_LOGS_TAG) {
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
  const facts: ResourceFacts = { resource, system, schemaUrl, dropped };
  for (let i = from; i < out.length; i++) setResourceFields(out[i]!, facts);
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
      if (t !== 0x12 && t !== LEGACY_SCOPE_LOGS_TAG) { r.skip(t & 7); continue; }
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
  setMaxDepth(options?.maxDepth ?? DEFAULT_MAX_DEPTH);
  try {
    readRequest(r, st, meta, defaults.system);
  } finally {
    forget(TASK_ID);
    forget(SPAN_ID);
  }
  return { entries: st.entries, meta, errors: st.errors };
}

function readRequest(r: Reader, st: State, meta: BatchMeta, system: SystemCode): void {
  const metaTag = BATCH_META_FIELD * 8 + 2;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      readResourceLogs(r, r.len() + r.pos, st, system);
    } else if (tag === metaTag) {
      readBatchMeta(r, r.len() + r.pos, meta);
    } else r.skip(tag & 7);
  }
}

/** The batch envelope (field BATCH_META_FIELD) at r.pos up to `end`: producer, seq, recordsBefore. */
export function readBatchMeta(r: Reader, end: number, meta: BatchMeta): void {
  while (r.pos < end) {
    const t = r.uvarint();
    if (t === 0x0a) meta.producer = r.string();
    else if (t === 0x10) meta.seq = r.uvarint();
    else if (t === 0x18) meta.recordsBefore = r.uvarint();
    else r.skip(t & 7); // future delivery fields
  }
}

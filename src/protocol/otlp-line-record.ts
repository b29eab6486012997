/**
 * One OTLP LogRecord → one JSON line, straight from its bytes: the fast path of
 * the JSON-lines transcoder (otlp-lines.ts, which says what it guarantees).
 *
 * A first pass collects where each field is (offsets and scalars, nothing
 * decoded); a second writes the line in LogEntry's field order. Anything the
 * fast path does not take as it is makes transcodeRecord return 0, and the
 * caller hands the record to the decoder's own reader: broken framing, a
 * structured body, a repeated attribute name (an object keeps the first
 * position and the last value), a distlog.task or distlog.span attribute
 * (which of it and trace_id wins depends on their order on the wire), a value
 * of a type its reserved attribute does not allow, more than MAX_ATTRIBUTES
 * attributes.
 */
import { readAnyValue } from './otlp-values.js';
import { Reader } from './proto-wire.js';
import { JsonLineWriter } from './json-line.js';
import { ascii, type LineBuffer } from './line-buffer.js';
import { K_FLAGS, commonTail, idsChunk, levelChunk, pathChunks, writeDerivedKey, writeTimeHead, type LineContext } from './otlp-line-chunks.js';
import {
  ATTR_DURATION_MS, ATTR_EVENT, ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE,
  ATTR_KEY, ATTR_KIND, ATTR_MESSAGE, ATTR_PARENT_SPAN, ATTR_PATH, ATTR_SEQ, ATTR_SPAN, ATTR_TASK, RESERVED_PREFIX,
} from './attributes.js';

/** More attributes than this per record go the object path (the duplicate check is quadratic). */
const MAX_ATTRIBUTES = 128;

// Reserved attribute names → ids (0 = user data).
const R_USER = 0, R_MESSAGE = 1, R_KEY = 2, R_SEQ = 3, R_PATH = 4, R_PARENT = 5, R_EVENT = 6, R_DURATION = 7,
  R_KIND = 8, R_OVERRIDE = 9, R_XTYPE = 10, R_XMESSAGE = 11, R_XSTACK = 12, R_OTHER = 13;
const RESERVED: [string, number][] = [
  [ATTR_MESSAGE, R_MESSAGE], [ATTR_KEY, R_KEY], [ATTR_SEQ, R_SEQ], [ATTR_PATH, R_PATH], [ATTR_PARENT_SPAN, R_PARENT],
  [ATTR_EVENT, R_EVENT], [ATTR_DURATION_MS, R_DURATION], [ATTR_KIND, R_KIND], [ATTR_TASK, R_OVERRIDE], [ATTR_SPAN, R_OVERRIDE],
  [ATTR_EXCEPTION_TYPE, R_XTYPE], [ATTR_EXCEPTION_MESSAGE, R_XMESSAGE], [ATTR_EXCEPTION_STACKTRACE, R_XSTACK],
];
// The reader's state lives in module-level `var`s, not `let`s: every read of a
// module-level `let` from a function checks that it is initialised (the TDZ
// check), and this loop reads them per byte: `var` measured ~15 % less CPU per
// record (bench/e2e/ingest-cpu.ts, small records, 1.9–2.0 vs 2.3 µs).
/** Set by hashOf: the bytes it hashed were not all ASCII. */
var hashedNonAscii = false;

function hashOf(b: Uint8Array, from: number, to: number): number {
  let h = to - from;
  let high = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    high |= c;
    h = (Math.imul(h, 31) + c) | 0;
  }
  hashedNonAscii = high >= 0x80;
  return h;
}

const RESERVED_BYTES = RESERVED.map(([name, id]) => ({ bytes: ascii(name), id, hash: hashOf(ascii(name), 0, name.length) }));
const PREFIX = ascii(RESERVED_PREFIX);

function sameBytes(b: Uint8Array, from: number, to: number, w: Uint8Array): boolean {
  if (to - from !== w.length) return false;
  for (let i = 0; i < w.length; i++) if (b[from + i] !== w[i]) return false;
  return true;
}

function reservedId(b: Uint8Array, from: number, to: number, h: number): number {
  const first = b[from];
  if (first !== 0x64 && first !== 0x65) return R_USER; // 'd'istlog. / 'e'xception.
  for (const r of RESERVED_BYTES) if (r.hash === h && sameBytes(b, from, to, r.bytes)) return r.id;
  if (to - from >= PREFIX.length && sameBytes(b, from, from + PREFIX.length, PREFIX)) return R_OTHER;
  return R_USER;
}

// AnyValue kinds the fast path writes itself.
const V_NULL = 0, V_STRING = 1, V_BOOL = 2, V_NUMBER = 3, V_OTHER = 4;

/** Thrown (never out of this module) when the record must take the object path. */
const BAIL = new Error('object path');

// Per-record scratch, reused (transcoding is synchronous).
var p: Buffer = Buffer.alloc(0);
var at = 0;
var lim = 0;
const keyFrom = new Int32Array(MAX_ATTRIBUTES);
const keyTo = new Int32Array(MAX_ATTRIBUTES);
const keyHash = new Int32Array(MAX_ATTRIBUTES);
const valFrom = new Int32Array(MAX_ATTRIBUTES);
const valTo = new Int32Array(MAX_ATTRIBUTES);
const valKind = new Uint8Array(MAX_ATTRIBUTES);
const valNum = new Float64Array(MAX_ATTRIBUTES);
/** Where the last value scanned by scanValue is. */
var vFrom = 0, vTo = 0, vNum = 0;

function varint(): number {
  if (at >= lim) throw BAIL;
  let b = p[at++]!;
  if (b < 0x80) return b;
  let n = b & 0x7f;
  let mul = 0x80;
  for (let i = 1; i < 8; i++) {
    if (at >= lim) throw BAIL;
    b = p[at++]!;
    n += (b & 0x7f) * mul;
    if (b < 0x80) return n;
    mul *= 0x80;
  }
  throw BAIL; // past 2^56: not a length, count or small integer of ours
}

/** Little-endian uint32 at i (bounds checked by the caller). */
function u32(i: number): number {
  return (p[i]! | (p[i + 1]! << 8) | (p[i + 2]! << 16)) + p[i + 3]! * 0x1000000;
}

function len(): number {
  const n = varint();
  if (n > lim - at) throw BAIL;
  return n;
}

function skip(wireType: number): void {
  switch (wireType) {
    case 0: varint(); return;
    case 1: at += 8; break;
    case 2: { const n = len(); at += n; return; }
    case 5: at += 4; break;
    default: throw BAIL;
  }
  if (at > lim) throw BAIL;
}

/**
 * Classifies the AnyValue at [from, to): one string, bool, safe integer or
 * double field is taken here; anything else (arrays, maps, bytes, a big
 * int64, several fields) is V_OTHER, left to the object reader.
 */
function scanValue(from: number, to: number): number {
  if (from === to) return V_NULL;
  const saveAt = at, saveLim = lim;
  at = from;
  lim = to;
  let kind = V_OTHER;
  const tag = varint();
  if (tag === 0x0a) {
    const n = len();
    vFrom = at;
    vTo = at + n;
    at += n;
    kind = V_STRING;
  } else if (tag === 0x10) {
    vNum = varint() !== 0 ? 1 : 0;
    kind = V_BOOL;
  } else if (tag === 0x18) {
    // int64: up to 8 varint bytes (< 2^56) read here; a safe integer is exact. Longer
    // ones (negatives take 10 bytes) and big ones are left to the object reader.
    let x = 0, mul = 1, b = 0x80, k = 0;
    for (; k < 8 && at < to && b >= 0x80; k++) {
      b = p[at++]!;
      x += (b & 0x7f) * mul;
      mul *= 0x80;
    }
    if (b < 0x80 && Number.isSafeInteger(x)) {
      vNum = x;
      kind = V_NUMBER;
    } else at = -1; // not whole: V_OTHER
  } else if (tag === 0x21) {
    if (to - at >= 8) {
      vNum = p.readDoubleLE(at);
      at += 8;
      kind = V_NUMBER;
    }
  }
  const whole = at === to;
  at = saveAt;
  lim = saveLim;
  return whole ? kind : V_OTHER;
}

const EVENT_WORDS = [ascii('enter'), ascii('exit'), ascii('fail')];
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
const K_ATTRIBUTES = ascii(',"attributes":{');
const K_KEY = ascii('"key":');
const K_SEQ = ascii(',"seq":');
const K_PARENT = ascii(',"parentSpan":');
const K_EVENT = ascii(',"event":"');
const K_DURATION = ascii(',"durationMs":');
const K_DROPPED = ascii(',"droppedAttributesCount":');
const K_EVENT_NAME = ascii(',"eventName":');
const K_OBSERVED = ascii(',"observedTimeUnixNano":"');
const K_FROM_SEVERITY = ascii(',"levelFromSeverity":true');
const K_EXCEPTION = ascii(',"exception":{"message":');
const K_X_TYPE = ascii(',"type":');
const K_X_STACK = ascii(',"stack":');
const K_BODY = ascii(',"body":');
const EMPTY_STRING = ascii('""');

const VALUE_WRITER = new JsonLineWriter({ initialBytes: 4096 });

/**
 * Writes the line of the LogRecord at payload[start, end) into `out`. Returns
 * the record's kind as a char code, or 0 when it must take the object path
 * (then `out` holds a partial line: the caller rewinds it).
 */
export function transcodeRecord(payload: Buffer, start: number, end: number, kindDefault: string, ctx: LineContext, out: LineBuffer): number {
  p = payload;
  at = start;
  lim = end;
  try {
    return record(ctx, out, kindDefault.charCodeAt(0));
  } catch (err) {
    if (err === BAIL) return 0;
    throw err;
  } finally {
    p = EMPTY_PAYLOAD;
  }
}
const EMPTY_PAYLOAD = Buffer.alloc(0);

function record(ctx: LineContext, out: LineBuffer, kindDefault: number): number {
  let timeLo = 0, timeHi = 0, obsLo = 0, obsHi = 0, hasObserved = false;
  let severity = 0, levelFrom = -1, levelTo = -1;
  let bodyKind = V_NULL, bodyFrom = 0, bodyTo = 0;
  let dropped = 0, flags = 0;
  let traceFrom = 0, traceTo = 0, spanFrom = 0, spanTo = 0;
  let eventNameFrom = -1, eventNameTo = -1;
  let msgFrom = -1, msgTo = -1, keyFrom_ = -1, keyTo_ = -1, pathFrom = -1, pathTo = -1, parentFrom = -1, parentTo = -1;
  let seq = -1, event = -1, durationKind = V_NULL, duration = 0, kind = kindDefault;
  let xType = -1, xTypeTo = -1, xMsg = -1, xMsgTo = -1, xStack = -1, xStackTo = -1;
  let n = 0; // user attributes
  while (at < lim) {
    const tag = varint();
    switch (tag) {
      case 0x09:
        if (lim - at < 8) throw BAIL;
        timeLo = u32(at); timeHi = u32(at + 4); at += 8;
        break;
      case 0x59:
        if (lim - at < 8) throw BAIL;
        obsLo = u32(at); obsHi = u32(at + 4); at += 8; hasObserved = true;
        break;
      case 0x10: severity = varint(); break;
      case 0x1a: { const l = len(); levelFrom = at; levelTo = at + l; at += l; break; }
      case 0x2a: {
        const l = len();
        bodyKind = scanValue(at, at + l);
        if (bodyKind !== V_STRING && bodyKind !== V_NULL) throw BAIL; // structured body
        bodyFrom = vFrom; bodyTo = vTo;
        at += l;
        break;
      }
      case 0x32: {
        const kvEnd = len() + at;
        let kf = 0, kt = 0, vf = -1, vt = -1;
        while (at < kvEnd) {
          const t = varint();
          if (t === 0x0a) { const l = len(); kf = at; kt = at + l; at += l; }
          else if (t === 0x12) {
            // A second value: the decoder reads (and may refuse) the first too.
            if (vf >= 0) throw BAIL;
            const l = len(); vf = at; vt = at + l; at += l;
          }
          else skip(t & 7);
        }
        if (at !== kvEnd) throw BAIL;
        const h = hashOf(p, kf, kt);
        // A non-ASCII key: two byte sequences may decode to one string (U+FFFD), which one object key holds.
        if (hashedNonAscii) throw BAIL;
        const id = reservedId(p, kf, kt, h);
        const vk = vf < 0 ? V_NULL : scanValue(vf, vt);
        if (id === R_USER || ((id === R_XTYPE || id === R_XMESSAGE || id === R_XSTACK) && vk !== V_STRING)) {
          if (n === MAX_ATTRIBUTES) throw BAIL;
          for (let i = 0; i < n; i++) if (keyHash[i] === h && keyTo[i]! - keyFrom[i]! === kt - kf && p.compare(p, kf, kt, keyFrom[i]!, keyTo[i]!) === 0) throw BAIL;
          keyFrom[n] = kf; keyTo[n] = kt; keyHash[n] = h; valKind[n] = vk;
          if (vk === V_STRING) { valFrom[n] = vFrom; valTo[n] = vTo; }
          else if (vk === V_OTHER) { valFrom[n] = vf; valTo[n] = vt; }
          else valNum[n] = vNum;
          n++;
          break;
        }
        switch (id) {
          case R_MESSAGE: if (vk !== V_STRING) throw BAIL; msgFrom = vFrom; msgTo = vTo; break;
          case R_KEY: if (vk !== V_STRING) throw BAIL; keyFrom_ = vFrom; keyTo_ = vTo; break;
          case R_PATH: if (vk !== V_STRING) throw BAIL; pathFrom = vFrom; pathTo = vTo; break;
          case R_PARENT: if (vk !== V_STRING) throw BAIL; parentFrom = vFrom; parentTo = vTo; break;
          case R_SEQ: if (vk !== V_NUMBER || vNum < 0 || !Number.isSafeInteger(vNum)) throw BAIL; seq = vNum; break;
          case R_EVENT: {
            if (vk !== V_STRING) throw BAIL;
            event = EVENT_WORDS.findIndex((w) => sameBytes(p, vFrom, vTo, w));
            if (event < 0) throw BAIL;
            break;
          }
          case R_DURATION: if (vk !== V_NUMBER) throw BAIL; durationKind = V_NUMBER; duration = vNum; break;
          case R_KIND: {
            if (vk !== V_STRING || vTo - vFrom !== 1 || (p[vFrom] !== 0x4c && p[vFrom] !== 0x50)) throw BAIL;
            kind = p[vFrom]!;
            break;
          }
          case R_XTYPE: xType = vFrom; xTypeTo = vTo; break;
          case R_XMESSAGE: xMsg = vFrom; xMsgTo = vTo; break;
          case R_XSTACK: xStack = vFrom; xStackTo = vTo; break;
          // A newer writer's distlog.* name: not user data, not ours to read; but the
          // decoder reads its value, so one it cannot read makes the record's error.
          case R_OTHER: if (vk === V_OTHER) throw BAIL; break;
          default: throw BAIL; // distlog.task / distlog.span
        }
        break;
      }
      case 0x38: dropped = varint(); break;
      case 0x45: if (lim - at < 4) throw BAIL; flags = u32(at); at += 4; break;
      // An empty id leaves the one read before (the decoder sets ids only when non-empty).
      case 0x4a: { const l = len(); if (l) { traceFrom = at; traceTo = at + l; } at += l; break; }
      case 0x52: { const l = len(); if (l) { spanFrom = at; spanTo = at + l; } at += l; break; }
      case 0x62: { const l = len(); eventNameFrom = at; eventNameTo = at + l; at += l; break; }
      default: skip(tag & 7);
    }
  }
  if (at !== lim || severity > 24) throw BAIL;

  // v, time, level, severity, logger, message
  const noTime = timeLo === 0 && timeHi === 0;
  if (noTime) writeTimeHead(out, obsLo, obsHi);
  else writeTimeHead(out, timeLo, timeHi);
  const levelFromSeverity = levelTo <= levelFrom;
  out.raw(levelChunk(p, ctx, severity, levelFrom, levelTo));
  const hasMessage = msgFrom >= 0;
  if (hasMessage) out.utf8String(p, msgFrom, msgTo);
  else if (bodyKind === V_STRING) out.utf8String(p, bodyFrom, bodyTo);
  else out.raw(EMPTY_STRING);

  // attributes, then the resource's and the kind
  out.raw(K_ATTRIBUTES);
  for (let i = 0; i < n; i++) {
    if (i > 0) out.byte(0x2c);
    out.utf8String(p, keyFrom[i]!, keyTo[i]!);
    out.byte(0x3a);
    writeValue(out, valKind[i]!, i);
  }

  // distlog's own records of a scope: seq, then what the scope's records share
  // (path, ids, flags; the derived key's tail, the line's end) as two chunks.
  if (keyFrom_ < 0 && seq >= 0 && pathFrom >= 0 && traceTo > traceFrom && event < 0 && parentFrom < 0 &&
      durationKind === V_NULL && dropped === 0 && eventNameTo <= eventNameFrom && !levelFromSeverity &&
      (noTime || !hasObserved || (obsLo === timeLo && obsHi === timeHi)) && xType < 0 && xMsg < 0 && xStack < 0 &&
      !(hasMessage && bodyKind === V_STRING)) {
    const c = commonTail(p, ctx, pathFrom, pathTo, traceFrom, traceTo, spanFrom, spanTo, flags);
    if (c === undefined) throw BAIL;
    if (kind === 0x4c) out.raw(ctx.afterAttributesLSeq);
    else {
      writeKind(out, ctx, kind);
      out.raw(K_SEQ);
    }
    out.uint(seq);
    out.raw(c.middle);
    out.uint(seq);
    out.raw(c.end);
    return kind;
  }
  writeKind(out, ctx, kind);
  // the record's own optional fields, in the decoder's order for distlog's records
  if (keyFrom_ >= 0) {
    out.byte(0x2c);
    out.raw(K_KEY);
    out.utf8String(p, keyFrom_, keyTo_);
  }
  if (seq >= 0) { out.raw(K_SEQ); out.uint(seq); }
  if (pathFrom >= 0) out.raw(pathChunks(p, pathFrom, pathTo).path);
  if (event >= 0) { out.raw(K_EVENT); out.raw(EVENT_WORDS[event]!); out.byte(0x22); }
  if (parentFrom >= 0) { out.raw(K_PARENT); out.utf8String(p, parentFrom, parentTo); }
  if (durationKind === V_NUMBER) { out.raw(K_DURATION); out.number(duration); }
  const hasTask = traceTo > traceFrom;
  if (hasTask || spanTo > spanFrom) out.raw(idsChunk(p, traceFrom, traceTo, spanFrom, spanTo));
  if (dropped !== 0) { out.raw(K_DROPPED); out.uint(dropped); }
  if (flags !== 0) { out.raw(K_FLAGS); out.uint(flags); }
  if (eventNameTo > eventNameFrom) { out.raw(K_EVENT_NAME); out.utf8String(p, eventNameFrom, eventNameTo); }
  if (!noTime && hasObserved && (obsLo !== timeLo || obsHi !== timeHi)) {
    out.raw(K_OBSERVED);
    out.u64(obsLo, obsHi);
    out.byte(0x22);
  }
  if (levelFromSeverity) out.raw(K_FROM_SEVERITY);
  if (xType >= 0 || xMsg >= 0 || xStack >= 0) {
    out.raw(K_EXCEPTION);
    if (xMsg >= 0) out.utf8String(p, xMsg, xMsgTo);
    else out.raw(EMPTY_STRING);
    if (xType >= 0) { out.raw(K_X_TYPE); out.utf8String(p, xType, xTypeTo); }
    if (xStack >= 0) { out.raw(K_X_STACK); out.utf8String(p, xStack, xStackTo); }
    out.byte(0x7d);
  }
  // distlog's exporter leaves distlog.key out when it is <seq>@<task>/<path> of the fields beside it.
  if (keyFrom_ < 0 && seq >= 0 && pathFrom >= 0 && hasTask) {
    if (!writeDerivedKey(p, out, seq, pathFrom, pathTo)) throw BAIL;
  }
  if (hasMessage && bodyKind === V_STRING) { out.raw(K_BODY); out.utf8String(p, bodyFrom, bodyTo); }
  out.raw(ctx.tail);
  return kind;
}

/** The end of the attributes through the kind's value. */
function writeKind(out: LineBuffer, ctx: LineContext, kind: number): void {
  if (kind === 0x4c) out.raw(ctx.afterAttributesL);
  else {
    out.raw(ctx.afterAttributes);
    out.byte(kind);
    out.byte(0x22);
  }
}

function writeValue(out: LineBuffer, kind: number, i: number): void {
  switch (kind) {
    case V_STRING: out.utf8String(p, valFrom[i]!, valTo[i]!); return;
    case V_NUMBER: out.number(valNum[i]!); return;
    case V_BOOL: out.raw(valNum[i] ? TRUE : FALSE); return;
    case V_NULL: out.raw(NULL); return;
    default: {
      // Arrays, maps, bytes, big integers: the decoder's reader, the object writer.
      let v: unknown;
      try {
        v = readAnyValue(new Reader(p, valFrom[i]!, valTo[i]!), valTo[i]!, 1);
      } catch {
        throw BAIL; // too deep or malformed: the object path names the error
      }
      VALUE_WRITER.reset();
      VALUE_WRITER.appendValue(v);
      out.copy(VALUE_WRITER.buf, 0, VALUE_WRITER.pos);
    }
  }
}

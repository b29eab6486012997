/**
 * What the records of one scope share, written once and reused per line by
 * the JSON-lines transcoder (otlp-line-record.ts): the time's seconds, the
 * level-to-message run, the task and span ids in hex, the path and the
 * derived key's tail. Each memo is checked against the record's own bytes,
 * so a record that differs gets its own chunk, never a stale one.
 */
import { LineBuffer, ascii } from './line-buffer.js';
import { levelNameFromSeverity } from './levels.js';
import { U64_SPLIT, splitU64 } from './proto-wire.js';
import type { ResourceFacts, ScopeFacts } from './otlp-facts.js';

/** What every line of one ScopeLogs (within its ResourceLogs) shares. */
export interface LineContext {
  /** The resource's system, as a char code. */
  system: number;
  resourceFacts: ResourceFacts;
  scopeFacts: ScopeFacts;
  /** The logger name as a JSON string. */
  loggerJson: Uint8Array;
  /** `},"resource":{...},"system":"T","kind":"`: from the end of the attributes to the kind's value. */
  afterAttributes: Uint8Array;
  /** afterAttributes with `L"`: the kind of almost every record. */
  afterAttributesL: Uint8Array;
  /** afterAttributesL with `,"seq":`: one copy instead of two for a scope's own record. */
  afterAttributesLSeq: Uint8Array;
  /** The scope's and resource's optional fields, `}` and the newline. */
  tail: Uint8Array;
  /**
   * `","level":"INFO","severity":9,"logger":"app","message":` for the last level
   * text and severity met in this scope: records of one scope mostly share them.
   */
  chunk: Uint8Array | undefined;
  chunkLevel: Uint8Array;
  chunkSeverity: number;
}

const LEVEL_JSON: Uint8Array[] = [];
for (let s = 0; s <= 24; s++) LEVEL_JSON.push(ascii(`"${levelNameFromSeverity(s)}"`));
const K_HEAD = ascii('{"v":2,"timeUnixNano":"');
const K_LEVEL = ascii('","level":');
const K_SEVERITY = ascii(',"severity":');
const K_LOGGER = ascii(',"logger":');
const K_MESSAGE = ascii(',"message":');
const K_PATH = ascii(',"path":');
const K_TASK = ascii(',"task":');
const K_SPAN = ascii(',"span":');
export const K_FLAGS = ascii(',"traceFlags":');

/**
 * `{"v":2,"timeUnixNano":"<19 digits>`. The seconds part changes once a second:
 * its digits (with the line's head) are kept, and only the nine digits of the
 * nanoseconds are written per record.
 */
export function writeTimeHead(out: LineBuffer, lo: number, hi: number): void {
  splitU64(lo, hi);
  const sec = U64_SPLIT.q;
  const ns = U64_SPLIT.r;
  if (sec === 0 || hi >= 0x80000000) {
    // before 1970-01-01T00:00:01 or past 2^63: no fixed nine-digit tail; rare enough to write plainly
    out.raw(K_HEAD);
    out.u64(lo, hi);
    return;
  }
  if (sec !== TIME.sec) {
    CHUNK.pos = 0;
    CHUNK.raw(K_HEAD);
    CHUNK.uint(sec);
    TIME.head = new Uint8Array(CHUNK.take());
    TIME.sec = sec;
  }
  out.raw(TIME.head);
  out.digits9(ns);
}
const TIME = { sec: -1, head: new Uint8Array(0) };

/**
 * `,"task":"<hex>","span":"<hex>"` of the last ids met: the records of one scope
 * share them, so 24 bytes are compared instead of 48 hex digits written.
 */
export function idsChunk(p: Buffer, traceFrom: number, traceTo: number, spanFrom: number, spanTo: number): Uint8Array {
  const m = IDS;
  const tn = traceTo - traceFrom;
  const sn = spanTo - spanFrom;
  if (m.chunk !== undefined && m.trace.length === tn && m.span.length === sn) {
    let i = 0;
    while (i < tn && m.trace[i] === p[traceFrom + i]) i++;
    let j = 0;
    if (i === tn) while (j < sn && m.span[j] === p[spanFrom + j]) j++;
    if (i === tn && j === sn) return m.chunk;
  }
  CHUNK.pos = 0;
  if (tn > 0) {
    CHUNK.raw(K_TASK);
    CHUNK.hexString(p, traceFrom, traceTo);
  }
  if (sn > 0) {
    CHUNK.raw(K_SPAN);
    CHUNK.hexString(p, spanFrom, spanTo);
  }
  m.chunk = new Uint8Array(CHUNK.take());
  m.trace = p.slice(traceFrom, traceTo);
  m.span = p.slice(spanFrom, spanTo);
  CHUNK.pos = 0;
  CHUNK.hexDigits(p, traceFrom, traceTo);
  m.taskHex = new Uint8Array(CHUNK.take());
  return m.chunk;
}
const IDS = { chunk: undefined as Uint8Array | undefined, trace: new Uint8Array(0), span: new Uint8Array(0), taskHex: new Uint8Array(0) };

/** The bytes from the end of the time to the message's value (see LineContext.chunk). */
export function levelChunk(p: Buffer, ctx: LineContext, severity: number, levelFrom: number, levelTo: number): Uint8Array {
  const n = levelTo > levelFrom ? levelTo - levelFrom : 0;
  const memo = ctx.chunkLevel;
  if (ctx.chunk !== undefined && ctx.chunkSeverity === severity && memo.length === n) {
    let i = 0;
    while (i < n && memo[i] === p[levelFrom + i]) i++;
    if (i === n) return ctx.chunk;
  }
  CHUNK.pos = 0;
  CHUNK.raw(K_LEVEL);
  if (n === 0) CHUNK.raw(LEVEL_JSON[severity]!);
  else CHUNK.utf8String(p, levelFrom, levelTo);
  CHUNK.raw(K_SEVERITY);
  CHUNK.uint(severity);
  CHUNK.raw(K_LOGGER);
  CHUNK.raw(ctx.loggerJson);
  CHUNK.raw(K_MESSAGE);
  ctx.chunk = new Uint8Array(CHUNK.take());
  ctx.chunkLevel = p.slice(levelFrom, levelFrom + n);
  ctx.chunkSeverity = severity;
  return ctx.chunk;
}
const CHUNK = new LineBuffer(256);


/**
 * For a record of the common shape (see record()): `middle` is
 * `,"path":"…","task":"…","span":"…"[,"traceFlags":N],"key":"` and `end` the
 * derived key's `@<task>/<path>"` with the scope's and resource's fields and
 * `}\n` (the seq goes before each: fewer, larger copies per line).
 */
export function commonTail(p: Buffer, ctx: LineContext, pathFrom: number, pathTo: number, traceFrom: number, traceTo: number, spanFrom: number, spanTo: number, flags: number): { middle: Uint8Array; end: Uint8Array } | undefined {
  const path = pathChunks(p, pathFrom, pathTo);
  const ids = idsChunk(p, traceFrom, traceTo, spanFrom, spanTo);
  const m = COMMON;
  if (m.path === path.path && m.ids === ids && m.flags === flags && m.tail === ctx.tail && path.keyIds === ids) return m;
  keyTailOf(p, path, pathFrom, pathTo);
  if (path.keyTail === undefined) return undefined;
  CHUNK.pos = 0;
  CHUNK.raw(path.path);
  CHUNK.raw(ids);
  if (flags !== 0) {
    CHUNK.raw(K_FLAGS);
    CHUNK.uint(flags);
  }
  CHUNK.raw(K_KEY_OPEN);
  m.middle = new Uint8Array(CHUNK.take());
  CHUNK.pos = 0;
  CHUNK.raw(path.keyTail);
  CHUNK.raw(ctx.tail);
  m.end = new Uint8Array(CHUNK.take());
  m.path = path.path;
  m.ids = ids;
  m.flags = flags;
  m.tail = ctx.tail;
  return m;
}
const COMMON = { path: undefined as Uint8Array | undefined, ids: undefined as Uint8Array | undefined, flags: -1, tail: undefined as Uint8Array | undefined, middle: new Uint8Array(0), end: new Uint8Array(0) };

/** `,"key":"<seq>@<task hex>[/<path>]"`; false (nothing written) for a path with anything to escape: the object path writes it. */
export function writeDerivedKey(p: Buffer, out: LineBuffer, seq: number, pathFrom: number, pathTo: number): boolean {
  const m = pathChunks(p, pathFrom, pathTo);
  keyTailOf(p, m, pathFrom, pathTo);
  if (m.keyTail === undefined) return false;
  out.raw(K_KEY_OPEN);
  out.uint(seq);
  out.raw(m.keyTail);
  return true;
}

/** Makes `m.keyTail` for the path and the task last met (IDS), unless it is already theirs. */
function keyTailOf(p: Buffer, m: PathChunks, pathFrom: number, pathTo: number): void {
  if (m.keyIds !== IDS.chunk) {
    // The path's chunks were made for another task (or before this record's ids were read).
    m.keyTail = undefined;
    let plain = true;
    for (let i = pathFrom; i < pathTo; i++) {
      const c = p[i]!;
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) plain = false;
    }
    if (plain) {
      CHUNK.pos = 0;
      CHUNK.byte(0x40);
      CHUNK.raw(IDS.taskHex);
      if (pathTo > pathFrom) {
        CHUNK.byte(0x2f);
        CHUNK.copy(p, pathFrom, pathTo);
      }
      CHUNK.byte(0x22);
      m.keyTail = new Uint8Array(CHUNK.take());
    }
    m.keyIds = IDS.chunk;
  }
}
const K_KEY_OPEN = ascii(',"key":"');

/**
 * `,"path":"<path>"` for the last path met (a scope's records share it), and
 * the derived key's `@<task hex>/<path>"` for it and the task in `keyIds`.
 */
export function pathChunks(p: Buffer, pathFrom: number, pathTo: number): PathChunks {
  const m = PATHS;
  const n = pathTo - pathFrom;
  if (m.bytes !== undefined && m.bytes.length === n) {
    let i = 0;
    while (i < n && m.bytes[i] === p[pathFrom + i]) i++;
    if (i === n) return m;
  }
  CHUNK.pos = 0;
  CHUNK.raw(K_PATH);
  CHUNK.utf8String(p, pathFrom, pathTo);
  m.path = new Uint8Array(CHUNK.take());
  m.bytes = p.slice(pathFrom, pathTo);
  m.keyIds = undefined;
  m.keyTail = undefined;
  return m;
}
interface PathChunks { bytes: Uint8Array | undefined; path: Uint8Array; keyIds: Uint8Array | undefined; keyTail: Uint8Array | undefined }
const PATHS: PathChunks = { bytes: undefined, path: new Uint8Array(0), keyIds: undefined, keyTail: undefined };

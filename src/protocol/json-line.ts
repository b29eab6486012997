/**
 * LogEntry → one JSON line, written straight into a reusable byte buffer.
 *
 * `JSON.stringify(entry)` + `join` + `Buffer.from` made one string per record,
 * then a joined string per batch, then its UTF-8 copy: three allocations the
 * size of the output and a quarter of the collector's CPU. This writer encodes
 * each value into one growing Buffer that the caller writes out and reuses:
 *
 * - short strings (keys, levels, ids) are copied byte by byte while checked;
 *   longer ones go in with one native UTF-8 write, and if that was all ASCII the
 *   written bytes are checked for anything to escape four at a time (non-ASCII
 *   ones by a regex); the rest take `JSON.stringify(string)`, which cannot
 *   recurse and escapes exactly as JSON.stringify does;
 * - integers are written digit by digit, other numbers through `String(n)`;
 * - object keys are taken in their own order (for-in), so the output is the same
 *   as `JSON.stringify`'s whatever order a decoder built the entry in, and a
 *   field added to LogEntry later is written without touching this file;
 * - one `resource` object is shared by every record of a message: its bytes
 *   are encoded once and copied for the records after it.
 *
 * The output is byte for byte `JSON.stringify(entry) + '\n'` (tested on random
 * entries), except in two cases where JSON.stringify has no good answer:
 * - nesting deeper than `maxDepth` (a hostile 10,000-deep attribute overflows
 *   JSON.stringify's stack): the record is refused with a JsonDepthError;
 * - a bigint is written as its decimal string (JSON.stringify throws).
 * Values that are not plain data (class instances, boxed primitives, objects
 * with toJSON such as Date) go through JSON.stringify itself, so they read the
 * same; a getter that throws refuses the record. A refused record leaves the
 * buffer as it was before it: the caller drops and counts that record alone.
 */

import { MAP_PROTOTYPE } from './plain-object.js';
import { plainJsonAscii, writeUintDigits } from './ascii-bytes.js';

/** Nesting levels a value may have below the entry (the entry's own fields are level 1). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** A value nested deeper than the writer's bound. */
export class JsonDepthError extends Error {
  constructor(readonly maxDepth: number) {
    super(`value nested deeper than ${maxDepth} levels`);
    this.name = 'JsonDepthError';
  }
}

type FastBuffer = Buffer & { utf8Write(s: string, offset: number): number };

// Anything JSON must escape, plus surrogates (a lone one is escaped by JSON.stringify;
// a valid pair is not, but it is rare enough to take the slow path too).
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const Q = 0x22; // "
const COLON = 0x3a;
const COMMA = 0x2c;
/** Strings up to this length are copied by a JS loop (see string()). */
const SHORT_STRING = 48;
const NL = 0x0a;
const OBJECT_PROTO = Object.prototype;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
/**
 * Objects are walked with for-in, whose `o[k]` V8 reads through the enumeration
 * cache (twice as fast as Object.keys + a keyed load here). for-in would also
 * list enumerable properties inherited from a polluted Object.prototype, which
 * JSON.stringify leaves out; if that ever happens the writer hands whole values
 * to JSON.stringify instead (checked per reset(), i.e. per batch).
 */
/** A buffer at offset 0 of its own ArrayBuffer, so an Int32Array view sees it word-aligned. */
function ownBuffer(bytes: number): FastBuffer {
  return Buffer.from(new ArrayBuffer((bytes + 3) & ~3)) as FastBuffer;
}

function objectPrototypeHasEnumerables(): boolean {
  for (const _ in OBJECT_PROTO) return true;
  return false;
}

/** Growing past this keeps the buffer; `trim()` gives a larger one back. */
const KEEP_BYTES = 8 * 1024 * 1024;

export interface JsonLineOptions {
  /** Starting size of the buffer; it grows as needed. */
  initialBytes?: number;
  maxDepth?: number;
}

export class JsonLineWriter {
  /** The bytes written so far are `buf.subarray(0, pos)`; valid until the next append/reset. */
  buf: FastBuffer;
  pos = 0;
  /** `buf` as 32-bit words (see plainAscii). */
  private words: Int32Array;
  private readonly initialBytes: number;
  private readonly maxDepth: number;
  /** The last `resource` object written, and its encoded bytes. */
  private resourceRef: object | undefined;
  private resourceBytes: Buffer | undefined;
  /** Someone added an enumerable property to Object.prototype: for-in would list it (see reset()). */
  private inheritedKeys = objectPrototypeHasEnumerables();

  constructor(options: JsonLineOptions = {}) {
    this.initialBytes = options.initialBytes ?? 64 * 1024;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
    this.buf = ownBuffer(this.initialBytes);
    this.words = new Int32Array(this.buf.buffer);
  }

  /** Empties the buffer (keeps its memory) and forgets the cached resource. */
  reset(): void {
    this.pos = 0;
    this.resourceRef = undefined;
    this.resourceBytes = undefined;
    this.inheritedKeys = objectPrototypeHasEnumerables();
  }

  /** Gives back a buffer that a batch of huge records grew past KEEP_BYTES. */
  trim(): void {
    if (this.buf.length > KEEP_BYTES && this.pos === 0) {
      this.buf = ownBuffer(this.initialBytes);
      this.words = new Int32Array(this.buf.buffer);
    }
  }

  /**
   * Appends `JSON.stringify(entry) + '\n'`. Throws (JsonDepthError, or whatever a
   * getter or toJSON threw) with the buffer rewound to where this line began.
   */
  appendLine(entry: object): void {
    const start = this.pos;
    try {
      if (this.inheritedKeys) this.jsonText(JSON.stringify(entry));
      else this.entry(entry);
      this.byte(NL);
    } catch (err) {
      this.pos = start;
      // A partly written resource must not be reused.
      this.resourceRef = undefined;
      throw err;
    }
  }

  /** Appends one JSON value (no newline); the same rules as appendLine. */
  appendValue(value: unknown): void {
    const start = this.pos;
    try {
      if (this.inheritedKeys) this.jsonText(JSON.stringify(value) ?? 'null');
      else if (!this.value(value, 1)) this.raw(NULL);
    } catch (err) {
      this.pos = start;
      throw err;
    }
  }

  /** The written bytes as a string (for callers that need text, e.g. a console). */
  text(start = 0): string {
    return this.buf.toString('utf8', start, this.pos);
  }

  private entry(e: object): void {
    this.byte(0x7b);
    let first = true;
    for (const k in e) {
      const v = (e as Record<string, unknown>)[k];
      const at = this.pos;
      if (!first) this.byte(COMMA);
      this.key(k);
      if (k === 'resource' && typeof v === 'object' && v !== null) {
        this.resource(v);
        first = false;
        continue;
      }
      if (this.value(v, 1)) first = false;
      else this.pos = at; // undefined / function / symbol: no key, as JSON.stringify
    }
    this.byte(0x7d);
  }

  private resource(v: object): void {
    if (v === this.resourceRef) {
      const b = this.resourceBytes!;
      this.ensure(b.length);
      b.copy(this.buf, this.pos);
      this.pos += b.length;
      return;
    }
    const from = this.pos;
    if (!this.value(v, 1)) this.raw(NULL);
    this.resourceBytes = Buffer.from(this.buf.subarray(from, this.pos));
    this.resourceRef = v;
  }

  /** Writes `v`; returns false (writing nothing) where JSON.stringify would omit it. */
  private value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return true;
      case 'number':
        this.number(v);
        return true;
      case 'boolean':
        this.raw(v ? TRUE : FALSE);
        return true;
      case 'object':
        if (v === null) this.raw(NULL);
        else this.object(v, depth);
        return true;
      case 'bigint':
        this.string(v.toString());
        return true;
      default:
        return false; // undefined, function, symbol
    }
  }

  private object(o: object, depth: number): void {
    if (depth > this.maxDepth) throw new JsonDepthError(this.maxDepth);
    if (Array.isArray(o)) {
      this.byte(0x5b);
      for (let i = 0; i < o.length; i++) {
        if (i > 0) this.byte(COMMA);
        if (!this.value(o[i], depth + 1)) this.raw(NULL);
      }
      this.byte(0x5d);
      return;
    }
    const proto = Object.getPrototypeOf(o) as unknown;
    // MAP_PROTOTYPE: the OTLP decoder's maps (attributes, resource, bodies), plain
    // data with an empty frozen null-prototype object in their chain; without it
    // here every decoded attribute map took the JSON.stringify path.
    if ((proto !== OBJECT_PROTO && proto !== null && proto !== MAP_PROTOTYPE) || typeof (o as { toJSON?: unknown }).toJSON === 'function') {
      // Not plain data: let JSON.stringify apply its own rules (toJSON, boxed values).
      const text = JSON.stringify(o) as string | undefined;
      if (text === undefined) this.raw(NULL);
      else this.jsonText(text);
      return;
    }
    this.byte(0x7b);
    let first = true;
    for (const k in o) {
      const at = this.pos;
      if (!first) this.byte(COMMA);
      this.key(k);
      if (this.value((o as Record<string, unknown>)[k], depth + 1)) first = false;
      else this.pos = at;
    }
    this.byte(0x7d);
  }

  private key(k: string): void {
    this.string(k);
    this.byte(COLON);
  }

  private string(s: string): void {
    const n = s.length;
    if (n <= SHORT_STRING) {
      // Short strings (keys, levels, ids, most values): byte by byte in JS beats a
      // regex plus a native call; the first character that needs care bails out.
      this.ensure(n + 2);
      const buf = this.buf;
      let p = this.pos;
      buf[p++] = Q;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === Q || c === 0x5c) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[p++] = Q;
        this.pos = p;
        return;
      }
    }
    // Long strings (messages, stack traces): one native UTF-8 write, then, if it
    // was all ASCII (as many bytes as characters), a check of the written bytes
    // four at a time. A regex over the string cost 3 ns per character (14 % of
    // the collector's CPU with 2 KB messages); the word check costs ~0.05.
    this.ensure(n * 3 + 2);
    const start = this.pos;
    const buf = this.buf;
    buf[start] = Q;
    const written = buf.utf8Write(s, start + 1);
    if (written === n ? plainJsonAscii(buf, this.words, start + 1, start + 1 + n) : !NEEDS_ESCAPE.test(s)) {
      this.pos = start + 1 + written;
      buf[this.pos++] = Q;
      return;
    }
    this.pos = start;
    this.jsonText(JSON.stringify(s));
  }

  private number(n: number): void {
    if (n >= 0 && n <= 0xffffffff && n === Math.floor(n)) {
      // Digits straight into the buffer: no string for the common integers (severity, seq, pid).
      this.ensure(10);
      this.pos = writeUintDigits(this.buf, this.pos, n);
      return;
    }
    this.jsonText(Number.isFinite(n) ? String(n) : 'null');
  }

  /** Text already in JSON form (escaped); may hold non-ASCII characters. */
  private jsonText(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.utf8Write(s, this.pos);
  }

  private raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  private byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = ownBuffer(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    this.words = new Int32Array(grown.buffer);
  }
}

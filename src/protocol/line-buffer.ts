/**
 * The output side of the OTLP → JSON-lines transcoder (otlp-lines.ts): one
 * growing byte buffer that JSON text is written into straight from protobuf
 * bytes, without a JS string in between.
 *
 * Strings come from the payload as UTF-8 bytes. Plain ASCII with nothing to
 * escape (the common case: keys, ids, messages) is copied as bytes; anything
 * else — a byte JSON must escape, or any non-ASCII byte — is decoded and written
 * through JSON.stringify, so the output is exactly what JSON.stringify writes for
 * the string the object decoder would have built (invalid UTF-8 included: both
 * see U+FFFD).
 */

import { plainJsonAscii, writeUintDigits } from './ascii-bytes.js';
import { U64_SPLIT, splitU64 } from './proto-wire.js';

type FastBuffer = Buffer & { utf8Write(s: string, offset: number): number; utf8Slice(start: number, end: number): string };

const Q = 0x22;
/** Strings up to this many bytes are copied by a JS loop; longer ones by memcpy, then checked. */
const SHORT_BYTES = 32;
/** Growing past this keeps the buffer; trim() gives a larger one back. */
const KEEP_BYTES = 8 * 1024 * 1024;

const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, '0');
  HEX[i * 2] = s.charCodeAt(0);
  HEX[i * 2 + 1] = s.charCodeAt(1);
}

function ownBuffer(bytes: number): FastBuffer {
  return Buffer.from(new ArrayBuffer((bytes + 3) & ~3)) as FastBuffer;
}

/** Text constant as bytes, for LineBuffer.raw(). */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export class LineBuffer {
  buf: FastBuffer;
  pos = 0;
  /** Where the current piece of output starts (see adopt()); ensure() keeps [base, pos). */
  base = 0;
  /** `buf` as 32-bit words, for checking copied bytes four at a time. */
  private words: Int32Array;
  private readonly initialBytes: number;

  constructor(initialBytes = 256 * 1024) {
    this.initialBytes = initialBytes;
    this.buf = ownBuffer(initialBytes);
    this.words = new Int32Array(this.buf.buffer);
  }

  /**
   * Writes on into `buf` (a Buffer over an ArrayBuffer of its own, so the word
   * view is aligned) from `pos`: the transcoder's output slab.
   */
  adopt(buf: Buffer, pos: number): void {
    this.buf = buf as FastBuffer;
    this.words = new Int32Array(buf.buffer);
    this.pos = pos;
    this.base = pos;
  }

  /** A Buffer of `bytes` bytes over an ArrayBuffer of its own (see adopt()). */
  static ownBuffer(bytes: number): Buffer {
    return ownBuffer(bytes);
  }

  /** Gives back a buffer that a huge message grew past KEEP_BYTES. */
  trim(): void {
    if (this.buf.length > KEEP_BYTES && this.pos === 0) {
      this.buf = ownBuffer(this.initialBytes);
      this.words = new Int32Array(this.buf.buffer);
    }
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // Only what was written since `base` moves (to offset 0): in a slab, what
    // lies before it belongs to earlier messages, which keep the old buffer.
    const used = this.pos - this.base;
    const grown = ownBuffer(Math.max((this.buf.length - this.base) * 2, used + n));
    this.buf.copy(grown, 0, this.base, this.pos);
    this.buf = grown;
    this.words = new Int32Array(grown.buffer);
    this.pos = used;
    this.base = 0;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    // A native copy costs ~40 ns whatever the size here; a JS loop ~2.5 ns a byte.
    if (n <= 8) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** Bytes [from, to) of `src` as they are (already JSON). */
  copy(src: Uint8Array, from: number, to: number): void {
    this.ensure(to - from);
    if (to - from <= SHORT_BYTES) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = from; i < to; i++) buf[p++] = src[i]!;
      this.pos = p;
    } else {
      this.buf.set(src.subarray(from, to), this.pos);
      this.pos += to - from;
    }
  }

  /** A JSON string of the UTF-8 bytes src[from, to). */
  utf8String(src: Buffer, from: number, to: number): void {
    const n = to - from;
    this.ensure(n + 2);
    const buf = this.buf;
    const start = this.pos;
    buf[start] = Q;
    if (n <= SHORT_BYTES) {
      let p = start + 1;
      let i = from;
      for (; i < to; i++) {
        const c = src[i]!;
        if (c < 0x20 || c > 0x7e || c === Q || c === 0x5c) break;
        buf[p++] = c;
      }
      if (i === to) {
        buf[p++] = Q;
        this.pos = p;
        return;
      }
    } else {
      buf.set(src.subarray(from, to), start + 1);
      if (plainJsonAscii(buf, this.words, start + 1, start + 1 + n)) {
        buf[start + 1 + n] = Q;
        this.pos = start + 2 + n;
        return;
      }
    }
    // Rare: something to escape, or non-ASCII text. JSON.stringify of the decoded
    // string is, by definition, what the object path writes.
    this.pos = start;
    this.jsonText(JSON.stringify((src as FastBuffer).utf8Slice(from, to)));
  }

  /** Text already in JSON form; may hold non-ASCII characters. */
  jsonText(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.utf8Write(s, this.pos);
  }

  /** A JSON string of lower-case hex digits of src[from, to). */
  hexString(src: Uint8Array, from: number, to: number): void {
    this.ensure((to - from) * 2 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = Q;
    for (let i = from; i < to; i++) {
      const b = src[i]! * 2;
      buf[p++] = HEX[b]!;
      buf[p++] = HEX[b + 1]!;
    }
    buf[p++] = Q;
    this.pos = p;
  }

  /** Lower-case hex digits of src[from, to), no quotes. */
  hexDigits(src: Uint8Array, from: number, to: number): void {
    this.ensure((to - from) * 2);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) {
      const b = src[i]! * 2;
      buf[p++] = HEX[b]!;
      buf[p++] = HEX[b + 1]!;
    }
    this.pos = p;
  }

  /** A non-negative integer below 2^53, in decimal. */
  uint(n: number): void {
    this.ensure(16);
    this.pos = writeUintDigits(this.buf, this.pos, n);
  }

  /** A number as JSON.stringify writes it (non-finite numbers as null). */
  number(n: number): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && n === Math.floor(n) && !Object.is(n, -0)) this.uint(n);
    else this.jsonText(Number.isFinite(n) ? String(n) : 'null');
  }

  /** n < 1e9 as exactly nine digits (leading zeros kept). */
  digits9(n: number): void {
    this.ensure(9);
    const buf = this.buf;
    let p = this.pos + 9;
    this.pos = p;
    let x = n | 0;
    for (let k = 0; k < 9; k++) {
      const d = (x / 10) | 0;
      buf[--p] = 0x30 + x - d * 10;
      x = d;
    }
  }

  /** A uint64 given as 32-bit halves, in decimal digits (no quotes), exact. */
  u64(lo: number, hi: number): void {
    if (hi < 0x200000) {
      this.uint(hi * 4294967296 + lo);
      return;
    }
    splitU64(lo, hi);
    this.uint(U64_SPLIT.q);
    this.digits9(U64_SPLIT.r);
  }

  /** The written bytes [from, pos) as a Buffer of their own (exact size). */
  take(from = 0): Buffer {
    const out = Buffer.allocUnsafe(this.pos - from);
    this.buf.copy(out, 0, from, this.pos);
    return out;
  }
}

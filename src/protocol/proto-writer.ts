/**
 * The writing half of the protobuf wire format (proto-wire.ts re-exports it):
 * a growable Writer of varints, fixed-width numbers, length-delimited fields and
 * UTF-8, shared by every OTLP encoder (otlp-codec.ts, otlp-value-writer.ts and
 * the exporter's).
 */

const TWO_32 = 4294967296;

/** Node's Buffer has utf8Write (what write(s, 'utf8') calls, minus argument checks); @types omits it. */
type NodeBuffer = Buffer & { utf8Write(s: string, offset: number, length?: number): number };

/** Below this many UTF-16 units a JS loop writes UTF-8 faster than the native call. */
const NATIVE_UTF8_FROM = 16;

/**
 * Grows by doubling. One scratch Writer is reused by the encoder (JS is single
 * threaded and encoding is synchronous), and `finish()` copies out exactly the
 * written bytes, so callers own their result.
 */
export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /**
   * The written bytes, the caller's to keep, like finish(); then the writer starts
   * over. When they fill at least half the buffer (a full batch), the buffer
   * itself is handed over and a fresh one of the same size takes its place: no
   * copy, and at most twice the bytes held. A small result is copied out.
   */
  take(): Buffer {
    const n = this.pos;
    this.pos = 0;
    if (n * 2 < this.buf.length) {
      const out = Buffer.allocUnsafe(n);
      this.buf.copy(out, 0, 0, n);
      return out;
    }
    const out = this.buf.subarray(0, n);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    return out;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint of a non-negative integer up to 2^53. */
  uvarint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (n >= 0x80) {
      buf[pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** int64 varint: negatives are 10-byte two's complement, as protobuf demands. */
  int64(n: number): void {
    if (n >= 0) {
      this.uvarint(n);
      return;
    }
    // Split |n| into 32-bit halves and negate in two's complement.
    const abs = -n;
    let lo = abs % TWO_32;
    let hi = Math.floor(abs / TWO_32);
    lo = ~lo >>> 0;
    hi = ~hi >>> 0;
    lo += 1;
    if (lo === TWO_32) {
      lo = 0;
      hi = (hi + 1) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 4; i++) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    // 5th byte: 4 bits of lo, 3 bits of hi.
    buf[pos++] = (lo & 0x0f) | ((hi & 0x07) << 4) | 0x80;
    hi >>>= 3;
    for (let i = 0; i < 4; i++) {
      buf[pos++] = (hi & 0x7f) | 0x80;
      hi >>>= 7;
    }
    buf[pos++] = hi & 0x01;
    this.pos = pos;
  }

  /** int64 varint of any 64-bit integer (two's complement for negatives); exact beyond 2^53. */
  int64Big(x: bigint): void {
    let v = BigInt.asUintN(64, x);
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }

  double(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(lo, this.pos);
    this.buf.writeUInt32LE(hi, this.pos + 4);
    this.pos += 8;
  }

  /**
   * Starts a length-delimited field whose length is not known yet: reserves one
   * length byte (most KeyValue / AnyValue / LogRecord fit in 127 bytes or less) and
   * returns where the content starts. `join` moves the content if it grew longer.
   */
  fork(): number {
    this.ensure(1);
    this.pos++;
    return this.pos;
  }

  join(start: number): void {
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[start - 1] = len;
      return;
    }
    let extra = 1;
    for (let n = len >>> 14; n > 0; n >>>= 7) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    let pos = start - 1;
    let n = len;
    while (n >= 0x80) {
      this.buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[pos] = n;
    this.pos += extra;
  }

  /** Length-prefixed UTF-8 string (without tag). */
  string(s: string): void {
    const n = s.length;
    if (n < 64) {
      // Short strings: encode by hand into a 1-byte length slot; cheaper than a native call.
      this.ensure(1 + n * 3);
      const start = this.pos + 1;
      this.pos = writeUtf8(this.buf, start, s);
      this.join(start);
      return;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uvarint(len);
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  bytes(b: Uint8Array): void {
    this.uvarint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/**
 * UTF-8 of `s` into `buf` at `p` (the caller made room for 3 bytes per UTF-16
 * unit); returns the end. Lone surrogates become U+FFFD, as Buffer.from(s) and
 * TextEncoder do. Short strings by a JS loop; longer ones by Node's native
 * writer, which is faster for them, above all for strings just built by
 * concatenation (a JS loop reads those through their rope of pieces).
 */
export function writeUtf8(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n >= NATIVE_UTF8_FROM) return p + (buf as NodeBuffer).utf8Write(s, p);
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      buf[p++] = 0xf0 | (c >> 18);
      buf[p++] = 0x80 | ((c >> 12) & 0x3f);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

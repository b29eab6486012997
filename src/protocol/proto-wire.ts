/**
 * Minimal protobuf wire format (varint, fixed64, length-delimited) for the OTLP
 * logs messages in otlp-codec.ts. Hand-written because the package carries no
 * protobuf runtime, and because a generic one (protobufjs) builds intermediate
 * message objects that we would then copy into LogEntry: writing straight from
 * LogEntry and reading straight into it is what keeps the codec cheap.
 */

/** Thrown on malformed input; the codec turns it into ProtocolError / EntryError with a location. */
export class WireError extends Error {
  /** Byte offset in the payload where reading failed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.offset = offset;
  }
}

const TWO_32 = 4294967296;

/** Node's Buffer has utf8Slice (what toString('utf8') calls, minus argument checks); @types omits it. */
type NodeBuffer = Buffer & { utf8Slice(start: number, end: number): string; utf8Write(s: string, offset: number, length?: number): number };

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

/** Reads one message's fields between pos and end. */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Unsigned varint as a number; exact up to 2^53. */
  uvarint(): number {
    const buf = this.buf;
    if (this.pos >= this.end) throw new WireError('truncated varint', this.pos);
    let b = buf[this.pos++]!;
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let mul = 0x80;
    for (let i = 1; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint', this.pos);
      b = buf[this.pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
    throw new WireError('varint longer than 10 bytes', this.pos);
  }

  /** int64 varint (two's complement for negatives) as a number. */
  int64(): number {
    const start = this.pos;
    const n = this.uvarint();
    if (this.pos - start < 10) return n;
    // 10 bytes: a negative number. Re-read as 64-bit halves.
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 4; i++) lo |= (buf[start + i]! & 0x7f) << (7 * i);
    const b4 = buf[start + 4]!;
    lo = (lo | ((b4 & 0x0f) << 28)) >>> 0;
    hi = (b4 & 0x70) >> 4;
    for (let i = 0; i < 5; i++) hi |= (buf[start + 5 + i]! & 0x7f) << (3 + 7 * i);
    hi >>>= 0;
    if (hi < 0x80000000) return hi * TWO_32 + lo;
    return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /**
   * Exact decimal of the int64 varint that starts at `start` (already read once by
   * int64(), which is exact only within +-2^53). Rare path: BigInt is fine here.
   */
  int64DecimalAt(start: number): string {
    const buf = this.buf;
    let x = 0n;
    let shift = 0n;
    for (let p = start; p < start + 10; p++) {
      const b = buf[p]!;
      x |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
    }
    return BigInt.asIntN(64, x).toString();
  }

  /** fixed64 as its two 32-bit halves (the caller formats it; a number cannot hold it). */
  fixed64lo(): number {
    this.need(8);
    const v = this.buf.readUInt32LE(this.pos);
    return v;
  }

  fixed64hi(): number {
    const v = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  /** Length of a length-delimited field; checks it fits in the current message. */
  len(): number {
    const n = this.uvarint();
    if (n > this.end - this.pos) throw new WireError(`length ${n} runs past the end of its message`, this.pos);
    return n;
  }

  string(): string {
    const n = this.len();
    const start = this.pos;
    this.pos += n;
    if (n < 16) {
      // Short ASCII strings: fromCharCode beats a native utf8Slice call.
      const buf = this.buf;
      let out = '';
      for (let i = start; i < start + n; i++) {
        const c = buf[i]!;
        if (c >= 0x80) return (buf as NodeBuffer).utf8Slice(start, start + n);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return (this.buf as NodeBuffer).utf8Slice(start, start + n);
  }

  /** UTF-8 string of n bytes at start (the caller has bounds-checked and advanced pos). */
  stringAt(start: number, n: number): string {
    return (this.buf as NodeBuffer).utf8Slice(start, start + n);
  }

  bytes(): Buffer {
    const n = this.len();
    const start = this.pos;
    this.pos += n;
    return this.buf.subarray(start, start + n);
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw new WireError('truncated field', this.pos);
  }

  /** Skips a field of an unknown number (forward compatibility). */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uvarint();
        return;
      case 1:
        this.need(8);
        this.pos += 8;
        return;
      case 2: {
        // Read the length first: `this.pos += this.len()` would add it to the
        // position from *before* the length varint, landing one byte short.
        const n = this.len();
        this.pos += n;
        return;
      }
      case 5:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new WireError(`unsupported wire type ${wireType}`, this.pos);
    }
  }
}

/** Decimal string of a uint64 given as 32-bit halves, without BigInt (exact). */
export function u64ToDecimal(lo: number, hi: number): string {
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a number
  // value = q * 1e9 + r, with 2^32 = 4*1e9 + 294967296 and 2^48 = 281474*1e9 + 976710656.
  const hH = Math.floor(hi / 65536);
  const hL = hi % 65536;
  let q = hH * 281474 + hL * 4;
  let r = hH * 976710656 + hL * 294967296 + lo;
  q += Math.floor(r / 1e9);
  r %= 1e9;
  return String(q) + String(r).padStart(9, '0');
}

/** 32-bit halves of a canonical uint64 decimal string (validated by the caller). */
export function decimalToU64(s: string): [lo: number, hi: number] {
  if (s.length <= 15) {
    const v = Number(s);
    return [v % TWO_32, Math.floor(v / TWO_32)];
  }
  // value = a * 1e9 + b with a < 2^35; split a to keep every product below 2^53.
  const a = Number(s.slice(0, -9));
  const b = Number(s.slice(-9));
  const aH = Math.floor(a / 65536);
  const aL = a % 65536;
  const B = aH * 1e9; // < 2^49; value = B * 2^16 + aL * 1e9 + b
  const bL = B % 65536;
  const bH = Math.floor(B / 65536);
  const C = bL * 65536 + aL * 1e9 + b; // < 2^53
  return [C % TWO_32, (bH + Math.floor(C / TWO_32)) >>> 0];
}

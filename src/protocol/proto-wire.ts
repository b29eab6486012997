/**
 * Minimal protobuf wire format (varint, fixed64, length-delimited) for the OTLP
 * logs messages in otlp-codec.ts. Hand-written because the package carries no
 * protobuf runtime, and because a generic one (protobufjs) builds intermediate
 * message objects that we would then copy into LogEntry: writing straight from
 * LogEntry and reading straight into it is what keeps the codec cheap.
 * The Reader lives here; the Writer in proto-writer.ts (re-exported).
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
type NodeBuffer = Buffer & { utf8Slice(start: number, end: number): string };

export { Writer, writeUtf8 } from './proto-writer.js';

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

/**
 * A uint64 given as 32-bit halves, split exactly as U64_SPLIT.q * 1e9 + U64_SPLIT.r
 * (seconds and nanoseconds of a timestamp). The result goes into U64_SPLIT, not a
 * new object: the JSON-lines transcoder calls this per record.
 */
export const U64_SPLIT = { q: 0, r: 0 };

export function splitU64(lo: number, hi: number): void {
  // 2^32 = 4 * 1e9 + 294967296 and 2^48 = 281474 * 1e9 + 976710656.
  const hH = Math.floor(hi / 65536);
  const hL = hi % 65536;
  const r = hH * 976710656 + hL * 294967296 + lo;
  U64_SPLIT.q = hH * 281474 + hL * 4 + Math.floor(r / 1e9);
  U64_SPLIT.r = r % 1e9;
}

/** Decimal string of a uint64 given as 32-bit halves, without BigInt (exact). */
export function u64ToDecimal(lo: number, hi: number): string {
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a number
  splitU64(lo, hi);
  return String(U64_SPLIT.q) + String(U64_SPLIT.r).padStart(9, '0');
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

/**
 * Byte-level helpers of the exporter's OTLP writer: ready-made field bytes and
 * their caches, copies into the Writer, HrTime as fixed64, and a length prefix
 * reserved for the common 2-byte case.
 */
import type { HrTime } from '@opentelemetry/api';
import type { Writer } from '../protocol/proto-wire.js';
import { writeRaw } from '../protocol/otlp-value-writer.js';

export { writeRaw };

const TWO_32 = 4294967296;

/**
 * Strings that repeat across records, as ready bytes. Bounded: past MAX_ENTRIES
 * new strings are encoded every time (a process with unbounded distinct attribute
 * names must not grow this map).
 */
export class BytesCache {
  private static readonly MAX_ENTRIES = 4096;
  private readonly map = new Map<string, Uint8Array>();

  constructor(private readonly make: (s: string) => Uint8Array | undefined) {}

  get(s: string): Uint8Array | undefined {
    let b = this.map.get(s);
    if (b === undefined) {
      b = this.make(s);
      if (b !== undefined && this.map.size < BytesCache.MAX_ENTRIES) this.map.set(s, b);
    }
    return b;
  }
}

/** `tag, length, utf8` of a short string field, or undefined when it is not worth caching. */
export function shortStringField(tag: number, s: string): Uint8Array | undefined {
  if (s.length > 120) return undefined;
  const utf8 = Buffer.from(s, 'utf8');
  if (utf8.length > 127) return undefined;
  const out = Buffer.allocUnsafe(2 + utf8.length);
  out[0] = tag;
  out[1] = utf8.length;
  utf8.copy(out, 2);
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** `tag, n, bytes` of a hex id of n bytes, or undefined when it is not valid (wrong length, not hex, all zero). */
export function idField(tag: number, hex: string, n: number): Uint8Array | undefined {
  if (hex.length !== n * 2) return undefined;
  const out = Buffer.allocUnsafe(2 + n);
  out[0] = tag;
  out[1] = n;
  let any = 0;
  for (let i = 0; i < n; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[2 + i] = (hi << 4) | lo;
    any |= out[2 + i]!;
  }
  return any === 0 ? undefined : out;
}

/**
 * time_unix_nano (field 1) and observed_time_unix_nano (field 11), both fixed64
 * nanoseconds of an HrTime [s, ns], exact without BigInt or decimal strings.
 */
export function writeHrTimePair(w: Writer, time: HrTime, observed: HrTime): void {
  w.ensure(18);
  const buf = w.buf;
  const p = w.pos;
  buf[p] = 0x09;
  fixed64At(buf, p + 1, time[0], time[1]);
  buf[p + 9] = 0x59;
  if (observed === time || (observed[0] === time[0] && observed[1] === time[1])) {
    // Same instant (distlog's own records share one HrTime): copy the 8 bytes.
    for (let i = 1; i < 9; i++) buf[p + 9 + i] = buf[p + i]!;
  } else {
    fixed64At(buf, p + 10, observed[0], observed[1]);
  }
  w.pos = p + 18;
}

function fixed64At(buf: Uint8Array, p: number, s: number, ns: number): void {
  // value = s*1e9 + ns = A*2^16 + B, with A = floor(s/2^16)*1e9 and B = (s mod 2^16)*1e9 + ns;
  // every term stays below 2^53.
  const sH = Math.floor(s / 65536);
  const A = sH * 1e9;
  const B = (s - sH * 65536) * 1e9 + ns;
  const aH = Math.floor(A / 65536);
  let lo = (A - aH * 65536) * 65536 + B;
  const carry = Math.floor(lo / TWO_32);
  lo -= carry * TWO_32;
  const hi = aH + carry;
  buf[p] = lo & 0xff;
  buf[p + 1] = (lo >>> 8) & 0xff;
  buf[p + 2] = (lo >>> 16) & 0xff;
  buf[p + 3] = lo >>> 24;
  buf[p + 4] = hi & 0xff;
  buf[p + 5] = (hi >>> 8) & 0xff;
  buf[p + 6] = (hi >>> 16) & 0xff;
  buf[p + 7] = hi >>> 24;
}

/**
 * Starts a length-delimited field whose content is most likely 128..16383 bytes
 * (a LogRecord): reserves two length bytes so that join2 usually writes the
 * length in place instead of moving the content as Writer.join would.
 */
export function fork2(w: Writer): number {
  w.ensure(2);
  w.pos += 2;
  return w.pos;
}

/** Ends a fork2 field with the canonical (shortest) length varint. */
export function join2(w: Writer, start: number): void {
  const len = w.pos - start;
  const buf = w.buf;
  if (len >= 0x80 && len < 0x4000) {
    buf[start - 2] = (len & 0x7f) | 0x80;
    buf[start - 1] = len >>> 7;
    return;
  }
  if (len < 0x80) {
    buf.copyWithin(start - 1, start, w.pos);
    buf[start - 2] = len;
    w.pos -= 1;
    return;
  }
  // 16 KiB or more: Writer.join's general path, from a one-byte reservation.
  buf.copyWithin(start - 1, start, w.pos);
  w.pos -= 1;
  w.join(start - 1);
}

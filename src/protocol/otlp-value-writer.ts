/**
 * The one writer of OTLP `AnyValue` / `KeyValue` / attribute lists, shared by
 * both OTLP encoders: encodeOtlp (LogEntry -> OTLP, otlp-codec.ts: the
 * collector's otlp and zmq-pub plugins) and the exporter's (SDK record -> OTLP,
 * src/exporter/otlp-writer.ts). One mapping of JS values to AnyValue, so a value
 * reads back the same whichever side wrote it.
 *
 *   AnyValue { string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7 }
 *   KeyValue { key=1, value=2 }
 *
 * What keeps it cheap (bench/sdk-emit, bench/codec): keys repeat in every record,
 * so each key's `KeyValue.key` field is UTF-8 encoded once and copied as bytes
 * afterwards; the common values (short strings, small non-negative integers) are
 * written with their lengths known up front, without the fork/join of a nested
 * message; and a record attribute whose value repeats record after record (a
 * request's user id, a scope's path) is copied as one ready KeyValue.
 *
 * The two users differ in what a LogEntry holds and an SDK record does not, set
 * by ValueWriterOptions: LogEntry carries bytes and big integers as tagged
 * objects (tagged-values.ts); an SDK record may hold any object graph, so depth
 * is bounded there.
 */
import { writeUtf8, type Writer } from './proto-wire.js';
import { taggedBytes, taggedInt } from './tagged-values.js';

/** A value no OTLP AnyValue can carry (nested too deep, an int beyond int64). */
export class UnwritableValueError extends Error {
  override readonly name = 'UnwritableValueError';
}

export interface ValueWriterOptions {
  /** Read `{"$bytes"}` / `{"$int"}` objects as bytes / int64 (LogEntry's form of them). */
  taggedValues: boolean;
  /** Deepest nesting of arrays and maps written; deeper throws UnwritableValueError (a cycle ends here too). */
  maxDepth: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Attribute names remembered, at most: a process with unbounded distinct names must not grow the map. */
const MAX_CACHED_KEYS = 4096;
/** A repeated string KeyValue longer than this is written each time, not kept. */
const MAX_REPEAT_BYTES = 256;
/** After this many changed values in a row, a name's values are no longer compared... */
const GIVE_UP_AFTER_MISSES = 8;
/** ...except once every RETRY_EVERY + 1 records (a power of two, minus one). */
const RETRY_EVERY = 255;

/** What is known of one attribute name: its key field bytes, and its last string value with that KeyValue. */
interface KeyEntry {
  readonly key: string;
  /** `KeyValue.key` field bytes (0x0a, length, UTF-8). */
  readonly field: Uint8Array;
  /** The string value last written under this name as a record attribute. */
  last: string | undefined;
  /** The whole record-attribute KeyValue for `last`, once it was written twice in a row. */
  kv: Uint8Array | undefined;
  /** Records in a row whose value differed from the one before. */
  misses: number;
}

export class OtlpValueWriter {
  private readonly tagged: boolean;
  private readonly maxDepth: number;
  private readonly keys = new Map<string, KeyEntry>();
  /**
   * The entries of the last attribute map written, by position. Records from one
   * call site list the same names in the same order, so a name is usually found
   * here by one pointer compare, without a Map lookup.
   */
  private shape: KeyEntry[] = [];

  constructor(options: ValueWriterOptions) {
    this.tagged = options.taggedValues;
    this.maxDepth = options.maxDepth;
  }

  private entry(key: string): KeyEntry {
    let e = this.keys.get(key);
    if (e === undefined) {
      e = { key, field: stringField(0x0a, key), last: undefined, kv: undefined, misses: 0 };
      // Bounded: past MAX_CACHED_KEYS a new name is encoded each time it comes.
      if (this.keys.size < MAX_CACHED_KEYS) this.keys.set(key, e);
    }
    return e;
  }

  /** The `KeyValue.key` field of `key`, ready to copy. */
  keyField(key: string): Uint8Array {
    return this.entry(key).field;
  }

  /**
   * A record's attribute map, as KeyValues under `tag` (0x32 in a LogRecord);
   * undefined and null values are left out, and `skip` (the caller writes it
   * itself). Throws UnwritableValueError.
   */
  attributes(w: Writer, tag: number, attrs: Record<string, unknown>, skip?: string): void {
    const shape = this.shape;
    let i = 0;
    for (const k in attrs) {
      const v = attrs[k];
      let e = shape[i];
      if (e === undefined || e.key !== k) {
        e = this.entry(k);
        shape[i] = e;
      }
      i++;
      if (v === undefined || v === null || k === skip) continue;
      if (typeof v === 'string') this.repeatable(w, tag, e, v);
      else this.entryValue(w, tag, e, v, 0);
    }
  }

  /**
   * One attribute of a flat map (a Resource's, a scope's, a kvlist's) as a
   * `KeyValue` under `tag`; undefined, functions and symbols are left out, as
   * JSON.stringify does. Throws UnwritableValueError.
   */
  keyValue(w: Writer, tag: number, key: string, v: unknown, depth: number): void {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return;
    this.entryValue(w, tag, this.entry(key), v, depth);
  }

  /** A string KeyValue under `tag`, its key field cached. */
  stringAttribute(w: Writer, tag: number, key: string, v: string): void {
    this.stringKeyValue(w, tag, this.entry(key).field, v);
  }

  private entryValue(w: Writer, tag: number, e: KeyEntry, v: unknown, depth: number): void {
    const kf = e.field;
    switch (typeof v) {
      case 'string':
        this.stringKeyValue(w, tag, kf, v);
        return;
      case 'number':
        if (v >= 0 && v <= 0x0fffffff && (v | 0) === v && !(v === 0 && 1 / v < 0)) {
          // A small non-negative integer: int_value, a varint of 1-4 bytes.
          const vl = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : 4;
          if (kf.length + 3 + vl >= 0x80) break;
          let p = smallKeyValueHead(w, tag, kf, 1 + vl);
          const buf = w.buf; // after the head: it may have grown the buffer
          buf[p++] = 0x18;
          while (v >= 0x80) {
            buf[p++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
          buf[p++] = v;
          w.pos = p;
          return;
        }
        if ((Number.isSafeInteger(v) && !Object.is(v, -0)) || kf.length + 11 >= 0x80) break;
        {
          // A double (a fraction, -0, NaN, an infinity): double_value, 8 bytes.
          const p = smallKeyValueHead(w, tag, kf, 9);
          w.buf[p] = 0x21;
          w.buf.writeDoubleLE(v, p + 1);
          w.pos = p + 9;
          return;
        }
      case 'boolean': {
        // bool_value, one byte.
        if (kf.length + 4 >= 0x80) break;
        const p = smallKeyValueHead(w, tag, kf, 2);
        w.buf[p] = 0x10;
        w.buf[p + 1] = v ? 1 : 0;
        w.pos = p + 2;
        return;
      }
      case 'undefined':
      case 'function':
      case 'symbol':
        return;
    }
    w.byte(tag);
    const kv = w.fork();
    writeRaw(w, kf);
    w.byte(0x12);
    const val = w.fork();
    this.anyValue(w, v, depth);
    w.join(val);
    w.join(kv);
  }

  /**
   * A string record attribute. A value that repeats under its name record after
   * record (a request's user id, a scope's path) is copied as the KeyValue made
   * the second time it was seen in a row.
   */
  private repeatable(w: Writer, tag: number, e: KeyEntry, v: string): void {
    if (e.misses >= GIVE_UP_AFTER_MISSES && (++e.misses & RETRY_EVERY) !== 0) {
      // A name whose value changes record after record (a record key, a request
      // id): comparing would cost more than it saves (a comparison of two freshly
      // concatenated strings flattens both), so it is only retried now and then.
      this.stringKeyValue(w, tag, e.field, v);
      return;
    }
    if (e.last !== v) {
      // A new value (or the first): not worth a copy until it repeats.
      e.last = v;
      e.kv = undefined;
      e.misses++;
      this.stringKeyValue(w, tag, e.field, v);
      return;
    }
    e.misses = 0;
    const kv = e.kv;
    if (kv !== undefined && kv[0] === tag) {
      writeRaw(w, kv);
      return;
    }
    const start = w.pos;
    this.stringKeyValue(w, tag, e.field, v);
    if (w.pos - start <= MAX_REPEAT_BYTES) e.kv = Buffer.from(w.buf.subarray(start, w.pos));
  }

  /** KeyValue{key, string_value} under `tag`. */
  stringKeyValue(w: Writer, tag: number, keyField: Uint8Array, v: string): void {
    const n = v.length;
    const kl = keyField.length;
    // Short value: the AnyValue is 0x0a, len, utf8 (<= 3n bytes) and all lengths fit one byte.
    if (n <= 36 && kl + 4 + 3 * n < 0x80) {
      w.ensure(kl + 6 + 3 * n);
      const buf = w.buf;
      const at = w.pos;
      let p = at + 2;
      p = copyInto(buf, p, keyField);
      buf[p++] = 0x12;
      const anyAt = p++;
      buf[p++] = 0x0a;
      const strAt = p++;
      const end = writeUtf8(buf, p, v);
      buf[strAt] = end - p;
      buf[anyAt] = end - anyAt - 1;
      buf[at] = tag;
      buf[at + 1] = end - at - 2;
      w.pos = end;
      return;
    }
    w.byte(tag);
    const kvAt = w.fork();
    writeRaw(w, keyField);
    w.byte(0x12);
    const val = w.fork();
    w.byte(0x0a);
    w.string(v);
    w.join(val);
    w.join(kvAt);
  }

  /** AnyValue content (the message's fields, without its own tag and length). Throws UnwritableValueError. */
  anyValue(w: Writer, v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        w.byte(0x0a);
        w.string(v);
        return;
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          w.byte(0x18);
          w.int64(v);
        } else {
          w.byte(0x21);
          w.double(v);
        }
        return;
      case 'boolean':
        w.byte(0x10);
        w.byte(v ? 1 : 0);
        return;
      case 'bigint':
        this.bigint(w, v);
        return;
      case 'object': {
        if (v === null) return; // empty AnyValue
        if (depth >= this.maxDepth) {
          throw new UnwritableValueError(`a value is nested deeper than ${this.maxDepth} levels (or refers to itself)`);
        }
        if (v instanceof Uint8Array) {
          w.byte(0x3a);
          w.bytes(v);
          return;
        }
        if (Array.isArray(v)) {
          w.byte(0x2a);
          const arr = w.fork();
          for (let i = 0; i < v.length; i++) {
            const item: unknown = v[i];
            w.byte(0x0a);
            const at = w.fork();
            // JSON turns unrepresentable array items into null; so do we (an empty AnyValue).
            if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') this.anyValue(w, item, depth + 1);
            w.join(at);
          }
          w.join(arr);
          return;
        }
        const toJSON = (v as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') {
          // A Date or similar: what JSON.stringify would write.
          this.anyValue(w, toJSON.call(v), depth + 1);
          return;
        }
        const obj = v as Record<string, unknown>;
        if (this.tagged && this.taggedValue(w, obj)) return;
        w.byte(0x32);
        const list = w.fork();
        for (const k in obj) this.keyValue(w, 0x0a, k, obj[k], depth + 1);
        w.join(list);
        return;
      }
      default:
        return; // undefined, function, symbol: an empty AnyValue
    }
  }

  private bigint(w: Writer, v: bigint): void {
    if (v >= -9007199254740991n && v <= 9007199254740991n) {
      w.byte(0x18);
      w.int64(Number(v));
      return;
    }
    if (v < INT64_MIN || v > INT64_MAX) throw new UnwritableValueError(`a bigint value (${v}) does not fit an OTLP int64`);
    w.byte(0x18);
    w.int64Big(v);
  }

  /** `{"$bytes"}` / `{"$int"}` written as what they stand for; false when `obj` is a plain map. */
  private taggedValue(w: Writer, obj: Record<string, unknown>): boolean {
    if (obj.$bytes !== undefined) {
      const bytes = taggedBytes(obj);
      if (bytes === undefined) return false;
      w.byte(0x3a);
      w.bytes(bytes);
      return true;
    }
    if (obj.$int !== undefined) {
      const n = taggedInt(obj);
      if (n === undefined) return false;
      w.byte(0x18);
      w.int64Big(n);
      return true;
    }
    return false;
  }
}

/** `tag, length, utf8` of a string field. */
export function stringField(tag: number, s: string): Uint8Array {
  const utf8 = Buffer.from(s, 'utf8');
  let n = utf8.length;
  const len: number[] = [];
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  const out = Buffer.allocUnsafe(1 + len.length + utf8.length);
  out[0] = tag;
  out.set(len, 1);
  utf8.copy(out, 1 + len.length);
  return out;
}

/** Copies ready bytes (a cached field) into the writer. */
export function writeRaw(w: Writer, b: Uint8Array): void {
  const n = b.length;
  w.ensure(n);
  w.pos = copyInto(w.buf, w.pos, b);
}

/**
 * Copies `b` to `buf` at `p` (room checked by the caller); returns the end. A loop
 * beats TypedArray.set below about 16 bytes; above, set wins (33 bytes: 26 vs 51 ns).
 */
export function copyInto(buf: Uint8Array, p: number, b: Uint8Array): number {
  const n = b.length;
  if (n <= 16) {
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    return p;
  }
  buf.set(b, p);
  return p + n;
}

/**
 * Starts a KeyValue under `tag` whose AnyValue content takes `anyLen` bytes,
 * the whole under 128 bytes (every length one byte: the caller checks), room
 * made for it: tag, length, key field, the AnyValue's tag and length. Returns
 * where the AnyValue's content goes; the caller writes it and sets w.pos. The
 * common values (small integers, booleans, doubles) need no fork and join.
 */
function smallKeyValueHead(w: Writer, tag: number, keyField: Uint8Array, anyLen: number): number {
  const kvLen = keyField.length + 2 + anyLen;
  w.ensure(kvLen + 2);
  const buf = w.buf;
  let p = w.pos;
  buf[p++] = tag;
  buf[p++] = kvLen;
  p = copyInto(buf, p, keyField);
  buf[p++] = 0x12;
  buf[p++] = anyLen;
  return p;
}

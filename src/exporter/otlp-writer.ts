/**
 * Writes one OpenTelemetry SDK log record as an OTLP `LogRecord`, straight from
 * the `ReadableLogRecord` (no intermediate LogEntry: the record is converted once,
 * here, and the collector makes the LogEntry when it decodes).
 *
 * What makes it cheap, per record (bench/codec, bench/sdk-emit):
 * - attribute keys and severity texts are UTF-8 encoded once and cached as ready
 *   `KeyValue.key` bytes (keys repeat in every record);
 * - trace and span ids are converted from hex once per id (cached by the id string:
 *   every record of a scope shares them);
 * - HrTime goes to fixed64 with exact double arithmetic, no decimal strings.
 *
 * Attributes go out as the SDK record holds them: the ScopeProcessor already
 * stamped the `distlog.*` facts (src/protocol/attributes.ts), which the collector's
 * decoder reads back into LogEntry fields.
 *
 * LogRecord fields: time_unix_nano=1 (fixed64), severity_number=2, severity_text=3,
 * body=5, attributes=6, dropped_attributes_count=7, flags=8 (fixed32), trace_id=9,
 * span_id=10, observed_time_unix_nano=11 (fixed64), event_name=12.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Writer } from '../protocol/proto-wire.js';
import { BytesCache, idField, stringField, writeHrTime, writeRaw } from './otlp-bytes.js';

/** Deepest nesting of arrays/maps written; deeper values make the record unencodable (dropped and counted). */
export const MAX_VALUE_DEPTH = 64;

/** Thrown for a record no OTLP message can carry; the exporter drops that record alone. */
export class UnencodableRecordError extends Error {
  override readonly name = 'UnencodableRecordError';
}

/** Attribute names whose repeat values are remembered, at most. */
const MAX_CACHED_NAMES = 4096;

interface StringAttrEntry {
  keyField: Uint8Array | undefined;
  /** The value last written under this name. */
  last: string | undefined;
  /** The whole KeyValue for `last`, once it was seen twice in a row. */
  kv: Uint8Array | undefined;
}

export class OtlpRecordWriter {
  /** `KeyValue.key` field bytes per attribute name. */
  private readonly keys = new BytesCache((k) => stringField(0x0a, k));
  /** `LogRecord.severity_text` field bytes. */
  private readonly severityTexts = new BytesCache((t) => stringField(0x1a, t));
  private readonly traceIds = new BytesCache((id) => idField(0x4a, id, 16));
  private readonly spanIds = new BytesCache((id) => idField(0x52, id, 8));
  private readonly stringAttrs = new Map<string, StringAttrEntry>();
  private lastSpanContext: SpanContext | undefined;
  private lastTraceId = '';
  private lastSpanId = '';
  private lastFlags = -1;
  private lastSpanBytes: Uint8Array | undefined;

  /** Writes the content of one LogRecord (without its own tag and length). Throws UnencodableRecordError. */
  writeRecord(w: Writer, r: ReadableLogRecord): void {
    const time = r.hrTime;
    const timeAt = w.pos;
    writeHrTime(w, 0x09, time);
    const observed = r.hrTimeObserved ?? time;
    // Always written: a Collector shows 1970 for a record without it.
    if (observed === time || (observed[0] === time[0] && observed[1] === time[1])) {
      // Same instant (distlog's own records share one HrTime): copy the 8 bytes.
      w.ensure(9);
      const buf = w.buf;
      buf[w.pos] = 0x59;
      buf.copyWithin(w.pos + 1, timeAt + 1, timeAt + 9);
      w.pos += 9;
    } else {
      writeHrTime(w, 0x59, observed);
    }
    const sev = r.severityNumber;
    if (sev !== undefined && sev > 0) {
      w.byte(0x10);
      w.uvarint(sev);
    }
    const text = r.severityText;
    if (text !== undefined) {
      const cached = this.severityTexts.get(text);
      if (cached !== undefined) writeRaw(w, cached);
      else {
        w.byte(0x1a);
        w.string(text);
      }
    }
    const body = r.body;
    if (body !== undefined && body !== null) {
      w.byte(0x2a);
      const at = w.fork();
      if (typeof body === 'string') {
        w.byte(0x0a);
        w.string(body);
      } else {
        this.writeAnyValue(w, body, 0);
      }
      w.join(at);
    }
    const attrs = r.attributes as Record<string, unknown>;
    for (const k in attrs) {
      const v = attrs[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'string') this.writeStringAttribute(w, k, v);
      else this.writeKeyValue(w, 0x32, k, v, 0);
    }
    const dropped = r.droppedAttributesCount;
    if (dropped > 0) {
      w.byte(0x38);
      w.uvarint(dropped);
    }
    const sc = r.spanContext;
    if (sc !== undefined) this.writeSpanContext(w, sc);
    const eventName = r.eventName;
    if (eventName !== undefined && eventName !== '') {
      w.byte(0x62);
      w.string(eventName);
    }
  }

  private writeSpanContext(w: Writer, sc: SpanContext): void {
    // Every record of a scope carries the same SpanContext object: its three
    // fields are written as one copy of bytes made once.
    if (sc === this.lastSpanContext && sc.traceId === this.lastTraceId && sc.spanId === this.lastSpanId && sc.traceFlags === this.lastFlags) {
      if (this.lastSpanBytes !== undefined) writeRaw(w, this.lastSpanBytes);
      return;
    }
    const trace = this.traceIds.get(sc.traceId);
    let bytes: Uint8Array | undefined;
    if (trace !== undefined) {
      const span = this.spanIds.get(sc.spanId);
      // flags (fixed32): the W3C trace flags, as OTel's own exporters write them.
      const out = Buffer.allocUnsafe(5 + trace.length + (span?.length ?? 0));
      out[0] = 0x45;
      out.writeUInt32LE(sc.traceFlags & 0xff, 1);
      out.set(trace, 5);
      if (span !== undefined) out.set(span, 5 + trace.length);
      bytes = out;
    } // else: not a valid trace id, the record has no trace context
    this.lastSpanContext = sc;
    this.lastTraceId = sc.traceId;
    this.lastSpanId = sc.spanId;
    this.lastFlags = sc.traceFlags;
    this.lastSpanBytes = bytes;
    if (bytes !== undefined) writeRaw(w, bytes);
  }

  /**
   * A string attribute. Values that repeat record after record under one name
   * (the scope's path, a request's user id) are written as one copy of the whole
   * KeyValue, made the second time the value is seen in a row.
   */
  private writeStringAttribute(w: Writer, key: string, v: string): void {
    let e = this.stringAttrs.get(key);
    if (e === undefined) {
      e = { keyField: stringField(0x0a, key), last: undefined, kv: undefined };
      if (this.stringAttrs.size < MAX_CACHED_NAMES) this.stringAttrs.set(key, e);
    }
    if (e.last === v) {
      if (e.kv !== undefined) {
        writeRaw(w, e.kv);
        return;
      }
    } else {
      e.last = v;
      e.kv = undefined;
      // A value seen once is not worth a copy yet.
      this.writeStringKeyValue(w, e.keyField, key, v);
      return;
    }
    const start = w.pos;
    this.writeStringKeyValue(w, e.keyField, key, v);
    if (w.pos - start <= 256) e.kv = Buffer.from(w.buf.subarray(start, w.pos));
  }

  private writeStringKeyValue(w: Writer, keyField: Uint8Array | undefined, key: string, v: string): void {
    w.byte(0x32);
    const kv = w.fork();
    if (keyField !== undefined) writeRaw(w, keyField);
    else {
      w.byte(0x0a);
      w.string(key);
    }
    w.byte(0x12);
    const val = w.fork();
    w.byte(0x0a);
    w.string(v);
    w.join(val);
    w.join(kv);
  }

  /** KeyValue{key=1, value=2} under `tag` (0x32 in a LogRecord, 0x0a in a Resource / scope / map). */
  writeKeyValue(w: Writer, tag: number, key: string, v: unknown, depth: number): void {
    w.byte(tag);
    const kv = w.fork();
    const k = this.keys.get(key);
    if (k !== undefined) writeRaw(w, k);
    else {
      w.byte(0x0a);
      w.string(key);
    }
    w.byte(0x12);
    const val = w.fork();
    this.writeAnyValue(w, v, depth);
    w.join(val);
    w.join(kv);
  }

  /** AnyValue content: string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7. */
  writeAnyValue(w: Writer, v: unknown, depth: number): void {
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
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new UnencodableRecordError(`a bigint value (${v}) does not fit an OTLP int64 exactly enough`);
        }
        w.byte(0x18);
        w.int64(Number(v));
        return;
      case 'object': {
        if (v === null) return; // empty AnyValue
        if (depth >= MAX_VALUE_DEPTH) {
          throw new UnencodableRecordError(`a value is nested deeper than ${MAX_VALUE_DEPTH} levels (or refers to itself)`);
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
            if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') this.writeAnyValue(w, item, depth + 1);
            w.join(at);
          }
          w.join(arr);
          return;
        }
        const toJSON = (v as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') {
          // A Date or similar: what JSON.stringify would write (OTel's own transformer drops it).
          this.writeAnyValue(w, toJSON.call(v), depth + 1);
          return;
        }
        w.byte(0x32);
        const list = w.fork();
        const obj = v as Record<string, unknown>;
        for (const k in obj) {
          const item = obj[k];
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
          this.writeKeyValue(w, 0x0a, k, item, depth + 1);
        }
        w.join(list);
        return;
      }
      default:
        return; // undefined, function, symbol: an empty AnyValue
    }
  }
}

/**
 * Writes one OpenTelemetry SDK log record as an OTLP `LogRecord`, straight from
 * the `ReadableLogRecord` (no intermediate LogEntry: the record is converted once,
 * here, and the collector makes the LogEntry when it decodes).
 *
 * What makes it cheap, per record (bench/codec, bench/sdk-emit):
 * - attributes go through the shared OtlpValueWriter (src/protocol/otlp-value-writer.ts):
 *   keys UTF-8 encoded once, short strings and small integers written with their
 *   lengths known up front, values that repeat under a name copied as ready bytes;
 * - severity texts are cached as ready field bytes;
 * - trace id, span id and flags are converted from hex once per scope (every record
 *   of a scope shares its SpanContext object) and copied as one run of bytes;
 * - HrTime goes to fixed64 with exact double arithmetic, no decimal strings, both
 *   times in one go.
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
import { ATTR_KEY, ATTR_PATH, ATTR_SEQ } from '../protocol/attributes.js';
import { KEY_SEQ, KEY_TAIL, KEY_TEXT, type KeyStamped } from '../protocol/key-stamp.js';
import { copyInto, OtlpValueWriter, UnwritableValueError, writeRaw } from '../protocol/otlp-value-writer.js';
import type { Writer } from '../protocol/proto-wire.js';
import { BytesCache, idField, shortStringField, writeHrTimePair } from './otlp-bytes.js';

/** Deepest nesting of arrays/maps written; deeper values make the record unencodable (dropped and counted). */
export const MAX_VALUE_DEPTH = 64;

/** Thrown for a record no OTLP message can carry; the exporter drops that record alone. */
export class UnencodableRecordError extends Error {
  override readonly name = 'UnencodableRecordError';
}

export class OtlpRecordWriter {
  /** AnyValue / KeyValue / attributes: the writer shared with encodeOtlp. */
  readonly values = new OtlpValueWriter({ taggedValues: false, maxDepth: MAX_VALUE_DEPTH });
  /** `LogRecord.severity_text` field bytes. */
  private readonly severityTexts = new BytesCache((t) => shortStringField(0x1a, t));
  private readonly traceIds = new BytesCache((id) => idField(0x4a, id, 16));
  private readonly spanIds = new BytesCache((id) => idField(0x52, id, 8));
  private lastSpanContext: SpanContext | undefined;
  private lastTraceId = '';
  private lastSpanId = '';
  private lastFlags = -1;
  private lastSpanBytes: Uint8Array | undefined;
  private lastSeverityText: string | undefined;
  private lastSeverityBytes: Uint8Array | undefined;
  /** `KeyValue.key` of distlog.key, and the last key tail with its bytes (`@<tail>`). */
  private readonly keyKeyField = this.values.keyField(ATTR_KEY);
  private lastTail: string | undefined;
  private lastTailBytes: Uint8Array | undefined;
  /** The last (tail, path, trace id) checked by keyDerivable, and its answer. */
  private derivTail: string | undefined;
  private derivPath: string | undefined;
  private derivTrace: string | undefined;
  private derivOk = false;

  /** Writes the content of one LogRecord (without its own tag and length). Throws UnencodableRecordError. */
  writeRecord(w: Writer, r: ReadableLogRecord): void {
    try {
      this.writeFields(w, r);
    } catch (err) {
      if (err instanceof UnwritableValueError) throw new UnencodableRecordError(err.message);
      throw err;
    }
  }

  private writeFields(w: Writer, r: ReadableLogRecord): void {
    // time_unix_nano and observed_time_unix_nano (always written: a Collector
    // shows 1970 for a record without it), both fixed64, in one go.
    writeHrTimePair(w, r.hrTime, r.hrTimeObserved ?? r.hrTime);
    const sev = r.severityNumber;
    if (sev !== undefined && sev > 0) {
      w.byte(0x10);
      w.uvarint(sev);
    }
    const text = r.severityText;
    if (text !== undefined) {
      // Mostly the same text record after record: remembered without a Map lookup.
      let cached = this.lastSeverityBytes;
      if (text !== this.lastSeverityText) {
        cached = this.severityTexts.get(text);
        this.lastSeverityText = text;
        this.lastSeverityBytes = cached;
      }
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
        this.values.anyValue(w, body, 0);
      }
      w.join(at);
    }
    const attrs = r.attributes as Record<string, unknown>;
    const stamped = r as KeyStamped;
    const keyText = stamped[KEY_TEXT];
    // The key is left out while it is still the string the SDK stamped and the
    // collector can make it again from the seq, path and trace id written beside
    // it (otlp-decode.ts); else written in parts, else as the attribute it is.
    if (keyText !== undefined && attrs[ATTR_KEY] === keyText && this.keyDerivable(stamped, attrs, r.spanContext)) {
      this.values.attributes(w, 0x32, attrs, ATTR_KEY);
    } else if (keyText !== undefined && attrs[ATTR_KEY] === keyText && this.writeStampedKey(w, stamped[KEY_SEQ], stamped[KEY_TAIL])) {
      this.values.attributes(w, 0x32, attrs, ATTR_KEY);
    } else {
      this.values.attributes(w, 0x32, attrs);
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

  /**
   * True when `distlog.key` is `<seq>@<trace id>[/<path>]` of the record's own
   * distlog.seq, distlog.path and trace id, so the decoder can rebuild it. The
   * tail, path and trace id are the same strings record after record of a
   * scope: checked once per change, by identity after that.
   */
  private keyDerivable(stamped: KeyStamped, attrs: Record<string, unknown>, sc: SpanContext | undefined): boolean {
    const seq = stamped[KEY_SEQ];
    const tail = stamped[KEY_TAIL];
    const path = attrs[ATTR_PATH];
    if (seq === undefined || attrs[ATTR_SEQ] !== seq || sc === undefined || typeof path !== 'string') return false;
    const traceId = sc.traceId;
    if (tail !== this.derivTail || path !== this.derivPath || traceId !== this.derivTrace) {
      this.derivTail = tail;
      this.derivPath = path;
      this.derivTrace = traceId;
      this.derivOk = tail === (path === '' ? traceId : `${traceId}/${path}`);
    }
    return this.derivOk;
  }

  /**
   * `distlog.key` = `<seq>@<tail>` as a KeyValue from its parts: the seq's digits
   * and the tail's bytes, encoded once per scope. False when the parts do not
   * make a short key (the attribute is then written as it is).
   */
  private writeStampedKey(w: Writer, seq: number | undefined, tail: string | undefined): boolean {
    if (seq === undefined || tail === undefined || !(seq >= 0 && seq <= 0x7fffffff && (seq | 0) === seq)) return false;
    if (tail !== this.lastTail) {
      this.lastTail = tail;
      this.lastTailBytes = Buffer.from(`@${tail}`, 'utf8');
    }
    const tailBytes = this.lastTailBytes!;
    const digits = decimalDigits(seq);
    const valueLen = digits + tailBytes.length;
    const keyField = this.keyKeyField;
    const anyLen = 2 + valueLen;
    const kvLen = keyField.length + 2 + anyLen;
    if (kvLen >= 0x80) return false;
    w.ensure(kvLen + 2);
    const buf = w.buf;
    let p = w.pos;
    buf[p++] = 0x32;
    buf[p++] = kvLen;
    p = copyInto(buf, p, keyField);
    buf[p++] = 0x12;
    buf[p++] = anyLen;
    buf[p++] = 0x0a;
    buf[p++] = valueLen;
    // int32 division by a constant: a multiply, not a float division.
    let n = seq;
    for (let i = digits - 1; i > 0; i--) {
      const q = (n / 10) | 0;
      buf[p + i] = 0x30 + n - q * 10;
      n = q;
    }
    buf[p] = 0x30 + n;
    p += digits;
    p = copyInto(buf, p, tailBytes);
    w.pos = p;
    return true;
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
      // flags (fixed32): the W3C trace flags, as OTel's own exporters write them;
      // 0 is proto3's default, left out as OTel's serializer does.
      const flags = sc.traceFlags & 0xff;
      const head = flags === 0 ? 0 : 5;
      const out = Buffer.allocUnsafe(head + trace.length + (span?.length ?? 0));
      if (head > 0) {
        out[0] = 0x45;
        out.writeUInt32LE(flags, 1);
      }
      out.set(trace, head);
      if (span !== undefined) out.set(span, head + trace.length);
      bytes = out;
    } // else: not a valid trace id, the record has no trace context
    this.lastSpanContext = sc;
    this.lastTraceId = sc.traceId;
    this.lastSpanId = sc.spanId;
    this.lastFlags = sc.traceFlags;
    this.lastSpanBytes = bytes;
    if (bytes !== undefined) writeRaw(w, bytes);
  }

  /** KeyValue{key=1, value=2} under `tag` (0x0a in a Resource / scope / map, 0x1a in a scope's attributes). */
  writeKeyValue(w: Writer, tag: number, key: string, v: unknown, depth: number): void {
    try {
      this.values.keyValue(w, tag, key, v, depth);
    } catch (err) {
      if (err instanceof UnwritableValueError) throw new UnencodableRecordError(err.message);
      throw err;
    }
  }
}

/** Decimal digits of a non-negative int32. */
function decimalDigits(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  if (n < 100000) return 5;
  if (n < 1000000) return 6;
  if (n < 10000000) return 7;
  if (n < 100000000) return 8;
  if (n < 1000000000) return 9;
  return 10;
}

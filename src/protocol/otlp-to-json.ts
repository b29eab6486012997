/**
 * OTLP/JSON from OTLP protobuf: an ExportLogsServiceRequest's bytes written as
 * the JSON the OTLP/HTTP specification defines (camelCase field names, trace and
 * span ids as hex, other bytes as base64, 64-bit integers as decimal strings,
 * enums as numbers). Working on the bytes, not on LogEntry, makes one JSON form
 * for everything the otlp plugin sends: records it encoded and requests it
 * passes through as they came. Unknown fields are skipped, as protobuf readers do.
 */
import { Reader, u64ToDecimal, WireError } from './proto-wire.js';

type Json = Record<string, unknown>;

/** The request's JSON text. Throws WireError for bytes that are not protobuf. */
export function otlpLogsToJson(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new Reader(buf);
  const resourceLogs: Json[] = [];
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag === 0x0a) resourceLogs.push(readMessage(r, readResourceLogs));
    else r.skip(tag & 7);
  }
  return JSON.stringify({ resourceLogs });
}

/** Reads a length-delimited sub-message with `read`, leaving the reader after it. */
function readMessage(r: Reader, read: (r: Reader, end: number) => Json): Json {
  const n = r.len();
  const end = r.pos + n;
  const outerEnd = r.end;
  r.end = end;
  const out = read(r, end);
  if (r.pos !== end) throw new WireError('message runs past its length', r.pos);
  r.end = outerEnd;
  return out;
}

function readResourceLogs(r: Reader, end: number): Json {
  const out: Json = {};
  const scopeLogs: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) out.resource = readMessage(r, readResource);
    else if (tag === 0x12) scopeLogs.push(readMessage(r, readScopeLogs));
    else if (tag === 0x1a) out.schemaUrl = r.string();
    else r.skip(tag & 7);
  }
  out.scopeLogs = scopeLogs;
  return out;
}

function readResource(r: Reader, end: number): Json {
  const attributes: Json[] = [];
  const out: Json = { attributes };
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) attributes.push(readMessage(r, readKeyValue));
    else if (tag === 0x10) out.droppedAttributesCount = r.uvarint();
    else r.skip(tag & 7);
  }
  return out;
}

function readScopeLogs(r: Reader, end: number): Json {
  const out: Json = {};
  const logRecords: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) out.scope = readMessage(r, readScope);
    else if (tag === 0x12) logRecords.push(readMessage(r, readLogRecord));
    else if (tag === 0x1a) out.schemaUrl = r.string();
    else r.skip(tag & 7);
  }
  out.logRecords = logRecords;
  return out;
}

function readScope(r: Reader, end: number): Json {
  const out: Json = {};
  const attributes: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) out.name = r.string();
    else if (tag === 0x12) out.version = r.string();
    else if (tag === 0x1a) attributes.push(readMessage(r, readKeyValue));
    else if (tag === 0x20) out.droppedAttributesCount = r.uvarint();
    else r.skip(tag & 7);
  }
  if (attributes.length) out.attributes = attributes;
  return out;
}

function fixed64(r: Reader): string {
  const lo = r.fixed64lo();
  return u64ToDecimal(lo, r.fixed64hi());
}

function readLogRecord(r: Reader, end: number): Json {
  const out: Json = {};
  const attributes: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    switch (tag) {
      case 0x09: out.timeUnixNano = fixed64(r); break;
      case 0x59: out.observedTimeUnixNano = fixed64(r); break;
      case 0x10: out.severityNumber = r.uvarint(); break;
      case 0x1a: out.severityText = r.string(); break;
      case 0x2a: out.body = readMessage(r, readAnyValue); break;
      case 0x32: attributes.push(readMessage(r, readKeyValue)); break;
      case 0x38: out.droppedAttributesCount = r.uvarint(); break;
      case 0x45: out.flags = r.fixed32(); break;
      case 0x4a: out.traceId = r.bytes().toString('hex'); break;
      case 0x52: out.spanId = r.bytes().toString('hex'); break;
      case 0x62: out.eventName = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  out.attributes = attributes;
  return out;
}

function readKeyValue(r: Reader, end: number): Json {
  const out: Json = { key: '' };
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) out.key = r.string();
    else if (tag === 0x12) out.value = readMessage(r, readAnyValue);
    else r.skip(tag & 7);
  }
  return out;
}

function readAnyValue(r: Reader, end: number): Json {
  let out: Json = {};
  while (r.pos < end) {
    const tag = r.uvarint();
    switch (tag) {
      case 0x0a: out = { stringValue: r.string() }; break;
      case 0x10: out = { boolValue: r.uvarint() !== 0 }; break;
      case 0x18: {
        const start = r.pos;
        const n = r.int64();
        out = { intValue: Number.isSafeInteger(n) ? String(n) : r.int64DecimalAt(start) };
        break;
      }
      case 0x21: {
        const d = r.double();
        // JSON has no NaN or infinities; the protobuf JSON mapping spells them as strings.
        out = { doubleValue: Number.isFinite(d) ? d : String(d) };
        break;
      }
      case 0x2a: out = { arrayValue: readMessage(r, readValues) }; break;
      case 0x32: out = { kvlistValue: readMessage(r, readKeyValues) }; break;
      case 0x3a: out = { bytesValue: r.bytes().toString('base64') }; break;
      default: r.skip(tag & 7);
    }
  }
  return out;
}

function readValues(r: Reader, end: number): Json {
  const values: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) values.push(readMessage(r, readAnyValue));
    else r.skip(tag & 7);
  }
  return { values };
}

function readKeyValues(r: Reader, end: number): Json {
  const values: Json[] = [];
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) values.push(readMessage(r, readKeyValue));
    else r.skip(tag & 7);
  }
  return { values };
}

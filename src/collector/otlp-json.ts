/**
 * OTLP/JSON (the protobuf JSON mapping with OTLP's exceptions: trace and span
 * ids as hex, enums as integers, lowerCamelCase keys) → the protobuf bytes of the
 * same ExportLogsServiceRequest. Transcoding instead of a second decoder means
 * every record passes the one decoder (decodeOtlp) with its checks and limits.
 * Throws OtlpJsonError naming the path of what is malformed.
 */
import { Writer, decimalToU64 } from '../protocol/proto-wire.js';

export class OtlpJsonError extends Error {}

type Obj = Record<string, unknown>;

function obj(v: unknown, at: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OtlpJsonError(`${at}: expected an object`);
  return v as Obj;
}

function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${at}: expected an array`);
  return v;
}

function str(w: Writer, field: number, v: unknown, at: string): void {
  if (v === undefined || v === null || v === '') return;
  if (typeof v !== 'string') throw new OtlpJsonError(`${at}: expected a string`);
  w.uvarint((field << 3) | 2);
  w.string(v);
}

/** int64/uint64 fields come as a decimal string or a number. */
function u64(v: unknown, at: string): [number, number] | undefined {
  if (v === undefined || v === null || v === '0' || v === 0) return undefined;
  const s = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,20}$/.test(s)) throw new OtlpJsonError(`${at}: expected an unsigned integer (a decimal string)`);
  return decimalToU64(s);
}

function varintField(w: Writer, field: number, v: unknown, at: string): void {
  if (v === undefined || v === null || v === 0) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new OtlpJsonError(`${at}: expected an integer`);
  w.uvarint(field << 3);
  w.int64(v);
}

function hexId(w: Writer, field: number, v: unknown, bytes: number, at: string): void {
  if (v === undefined || v === null || v === '') return;
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v)) throw new OtlpJsonError(`${at}: expected ${bytes * 2} hex digits`);
  w.uvarint((field << 3) | 2);
  w.bytes(Buffer.from(v, 'hex'));
}

function nested(w: Writer, field: number, body: () => void): void {
  w.uvarint((field << 3) | 2);
  const start = w.fork();
  body();
  w.join(start);
}

function anyValue(w: Writer, v: unknown, at: string): void {
  const o = obj(v, at);
  if ('stringValue' in o) {
    // A oneof member is present even when empty: "" is a string, not a missing value.
    if (typeof o.stringValue !== 'string') throw new OtlpJsonError(`${at}.stringValue: expected a string`);
    w.uvarint((1 << 3) | 2);
    w.string(o.stringValue);
  }
  else if ('boolValue' in o) {
    if (typeof o.boolValue !== 'boolean') throw new OtlpJsonError(`${at}.boolValue: expected a boolean`);
    w.uvarint(2 << 3);
    w.uvarint(o.boolValue ? 1 : 0);
  } else if ('intValue' in o) {
    const iv = o.intValue;
    const n = typeof iv === 'string' && /^-?\d{1,19}$/.test(iv) ? Number(iv) : iv;
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      w.uvarint(3 << 3);
      w.int64(n);
    } else {
      // int64 travels as a decimal string in OTLP/JSON: exact past 2^53 too.
      const big = typeof iv === 'string' && /^-?\d{1,19}$/.test(iv) ? BigInt(iv) : undefined;
      if (big === undefined || big !== BigInt.asIntN(64, big)) throw new OtlpJsonError(`${at}.intValue: expected a 64-bit integer`);
      w.uvarint(3 << 3);
      w.int64Big(big);
    }
  } else if ('doubleValue' in o) {
    // The protobuf JSON mapping spells the doubles JSON has no number for as strings.
    const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
    const d = typeof o.doubleValue === 'string' && o.doubleValue in special ? special[o.doubleValue] : o.doubleValue;
    if (typeof d !== 'number') throw new OtlpJsonError(`${at}.doubleValue: expected a number`);
    w.uvarint((4 << 3) | 1);
    w.double(d);
  } else if ('arrayValue' in o) {
    nested(w, 5, () => list(obj(o.arrayValue, `${at}.arrayValue`).values, `${at}.arrayValue.values`).forEach((x, i) => nested(w, 1, () => anyValue(w, x, `${at}.arrayValue.values[${i}]`))));
  } else if ('kvlistValue' in o) {
    nested(w, 6, () => keyValues(w, 1, obj(o.kvlistValue, `${at}.kvlistValue`).values, `${at}.kvlistValue.values`));
  } else if ('bytesValue' in o) {
    if (typeof o.bytesValue !== 'string') throw new OtlpJsonError(`${at}.bytesValue: expected base64`);
    w.uvarint((7 << 3) | 2);
    w.bytes(Buffer.from(o.bytesValue, 'base64'));
  }
}

function keyValues(w: Writer, field: number, v: unknown, at: string): void {
  list(v, at).forEach((kv, i) => {
    const o = obj(kv, `${at}[${i}]`);
    nested(w, field, () => {
      str(w, 1, o.key, `${at}[${i}].key`);
      if (o.value !== undefined && o.value !== null) nested(w, 2, () => anyValue(w, o.value, `${at}[${i}].value`));
    });
  });
}

function fixed64Field(w: Writer, field: number, v: unknown, at: string): void {
  const u = u64(v, at);
  if (!u) return;
  w.uvarint((field << 3) | 1);
  w.fixed64(u[0], u[1]);
}

function logRecord(w: Writer, r: Obj, at: string): void {
  fixed64Field(w, 1, r.timeUnixNano, `${at}.timeUnixNano`);
  varintField(w, 2, r.severityNumber, `${at}.severityNumber`);
  str(w, 3, r.severityText, `${at}.severityText`);
  if (r.body !== undefined && r.body !== null) nested(w, 5, () => anyValue(w, r.body, `${at}.body`));
  keyValues(w, 6, r.attributes, `${at}.attributes`);
  varintField(w, 7, r.droppedAttributesCount, `${at}.droppedAttributesCount`);
  if (r.flags !== undefined && r.flags !== 0) {
    if (typeof r.flags !== 'number' || !Number.isInteger(r.flags) || r.flags < 0 || r.flags > 0xffffffff) throw new OtlpJsonError(`${at}.flags: expected a 32-bit unsigned integer`);
    w.uvarint((8 << 3) | 5);
    w.fixed32(r.flags);
  }
  hexId(w, 9, r.traceId, 16, `${at}.traceId`);
  hexId(w, 10, r.spanId, 8, `${at}.spanId`);
  fixed64Field(w, 11, r.observedTimeUnixNano, `${at}.observedTimeUnixNano`);
  str(w, 12, r.eventName, `${at}.eventName`);
}

/** Transcodes a parsed OTLP/JSON ExportLogsServiceRequest into protobuf. */
export function otlpJsonToProtobuf(json: unknown): Buffer {
  const w = new Writer(16 * 1024);
  const req = obj(json, 'request');
  list(req.resourceLogs, 'resourceLogs').forEach((rlv, i) => {
    const rl = obj(rlv, `resourceLogs[${i}]`);
    const at = `resourceLogs[${i}]`;
    nested(w, 1, () => {
      if (rl.resource !== undefined && rl.resource !== null) {
        const res = obj(rl.resource, `${at}.resource`);
        nested(w, 1, () => {
          keyValues(w, 1, res.attributes, `${at}.resource.attributes`);
          varintField(w, 2, res.droppedAttributesCount, `${at}.resource.droppedAttributesCount`);
        });
      }
      list(rl.scopeLogs, `${at}.scopeLogs`).forEach((slv, j) => {
        const sl = obj(slv, `${at}.scopeLogs[${j}]`);
        const sat = `${at}.scopeLogs[${j}]`;
        nested(w, 2, () => {
          if (sl.scope !== undefined && sl.scope !== null) {
            const sc = obj(sl.scope, `${sat}.scope`);
            nested(w, 1, () => {
              str(w, 1, sc.name, `${sat}.scope.name`);
              str(w, 2, sc.version, `${sat}.scope.version`);
              keyValues(w, 3, sc.attributes, `${sat}.scope.attributes`);
              varintField(w, 4, sc.droppedAttributesCount, `${sat}.scope.droppedAttributesCount`);
            });
          }
          list(sl.logRecords, `${sat}.logRecords`).forEach((lr, k) => nested(w, 2, () => logRecord(w, obj(lr, `${sat}.logRecords[${k}]`), `${sat}.logRecords[${k}]`)));
          str(w, 3, sl.schemaUrl, `${sat}.schemaUrl`);
        });
      });
      str(w, 3, rl.schemaUrl, `${at}.schemaUrl`);
    });
  });
  return w.finish();
}

/**
 * Protobuf bytes by hand, for OTLP payloads no encoder of ours would write
 * (repeated fields, odd wire types, broken framing). Every builder returns a
 * Buffer; `ld(field, ...parts)` frames its parts as one length-delimited field.
 */
export type Part = Buffer | Uint8Array | number[];

/** Varint of a non-negative integer or a bigint (negatives as 10-byte two's complement). */
export function varint(n: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

export function cat(...parts: Part[]): Buffer {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p as number[]))));
}

export function tag(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

/** Length-delimited field. */
export function ld(field: number, ...parts: Part[]): Buffer {
  const body = cat(...parts);
  return cat(tag(field, 2), varint(body.length), body);
}

/** Varint field. */
export function vi(field: number, n: number | bigint): Buffer {
  return cat(tag(field, 0), varint(n));
}

export function str(field: number, s: string | Buffer): Buffer {
  return ld(field, typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
}

export function fixed64(field: number, n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, n));
  return cat(tag(field, 1), b);
}

export function fixed32(field: number, n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return cat(tag(field, 5), b);
}

export function double(field: number, x: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return cat(tag(field, 1), b);
}

// ---- AnyValue (string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7)
export const any = {
  s: (s: string | Buffer) => str(1, s),
  b: (v: boolean) => vi(2, v ? 1 : 0),
  i: (n: number | bigint) => vi(3, n),
  d: (x: number) => double(4, x),
  arr: (...values: Buffer[]) => ld(5, ...values.map((v) => ld(1, v))),
  map: (...kvs: Buffer[]) => ld(6, ...kvs.map((k) => ld(1, k))),
  bytes: (b: number[]) => ld(7, b),
  empty: () => Buffer.alloc(0),
};

/** KeyValue{key=1, value=2} body (not framed). */
export function keyValue(key: string | Buffer, value?: Buffer): Buffer {
  return value === undefined ? str(1, key) : cat(str(1, key), ld(2, value));
}

/** A LogRecord attribute (field 6), a Resource attribute (field 1), a scope attribute (field 3). */
export const attr = (key: string | Buffer, value?: Buffer) => ld(6, keyValue(key, value));
export const resAttr = (key: string | Buffer, value?: Buffer) => ld(1, keyValue(key, value));
export const scopeAttr = (key: string | Buffer, value?: Buffer) => ld(3, keyValue(key, value));

/** `depth` nested single-element arrays around `leaf`: depth 1 is `[leaf]`. */
export function nestedArray(depth: number, leaf: Buffer = any.s('x')): Buffer {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = any.arr(v);
  return v;
}

/** `depth` nested single-key maps around `leaf`. */
export function nestedMap(depth: number, leaf: Buffer = any.i(1)): Buffer {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = any.map(keyValue('k', v));
  return v;
}

// ---- LogRecord fields (time=1 fixed64, severity=2, text=3, body=5, attrs=6, dropped=7, flags=8 fixed32,
// trace=9, span=10, observed=11 fixed64, event_name=12)
export const rec = {
  time: (n: bigint) => fixed64(1, n),
  observed: (n: bigint) => fixed64(11, n),
  severity: (n: number | bigint) => vi(2, n),
  text: (s: string | Buffer) => str(3, s),
  body: (v: Buffer) => ld(5, v),
  dropped: (n: number | bigint) => vi(7, n),
  flags: (n: number) => fixed32(8, n),
  trace: (hex: string) => ld(9, Buffer.from(hex, 'hex')),
  span: (hex: string) => ld(10, Buffer.from(hex, 'hex')),
  eventName: (s: string) => str(12, s),
};

/** ScopeLogs field: a LogRecord (2). */
export const record = (...fields: Buffer[]) => ld(2, ...fields);
/** ScopeLogs field: the scope (1), InstrumentationScope{name=1, version=2, attributes=3, dropped=4}. */
export const scope = (...fields: Buffer[]) => ld(1, ...fields);
/** ResourceLogs field: the resource (1), Resource{attributes=1, dropped=2}. */
export const resource = (...fields: Buffer[]) => ld(1, ...fields);
/** ResourceLogs field: ScopeLogs (2). */
export const scopeLogs = (...fields: Buffer[]) => ld(2, ...fields);
/** Request field: ResourceLogs (1). */
export const resourceLogs = (...fields: Buffer[]) => ld(1, ...fields);

/** A request of one resource (service.name "svc") and one scope "app" around these records. */
export function oneScope(...records: Buffer[]): Buffer {
  return resourceLogs(resource(resAttr('service.name', any.s('svc'))), scopeLogs(scope(str(1, 'app')), ...records));
}

/** A plain record with these extra fields (time, severity 9). */
export function plainRecord(...fields: Buffer[]): Buffer {
  return record(rec.time(1700000000000000001n), rec.severity(9), rec.body(any.s('hello')), ...fields);
}

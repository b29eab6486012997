/**
 * The two values an OTLP AnyValue can hold that JSON cannot: bytes, and int64
 * beyond +-(2^53 - 1). LogEntry stays plain JSON (it is written to files, sent
 * as `J`, shown by viewers), so they travel as one-key tagged objects:
 *
 *   {"$bytes": "<base64>"}      OTLP bytes_value
 *   {"$int": "<decimal>"}       OTLP int_value outside the safe-integer range
 *
 * Tagged objects rather than plain strings so that forwarding a record to an
 * OpenTelemetry Collector gives back the producer's types. The one ambiguity:
 * a producer's map whose only key is `$bytes` or `$int` with a string value of
 * the right form is read back as that value (OTLP has no such maps in practice).
 */
export const BYTES_TAG = '$bytes';
export const INT_TAG = '$int';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** LogEntry form of a bytes value (e.g. a Uint8Array attribute of an SDK record). */
export function bytesValue(bytes: Uint8Array): { $bytes: string } {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { $bytes: b.toString('base64') };
}

/** LogEntry form of an integer: a number when exact, else `{"$int": decimal}`. */
export function intValue(n: bigint): number | { $int: string } {
  if (n >= -9007199254740991n && n <= 9007199254740991n) return Number(n);
  return { $int: n.toString() };
}

/** True when `obj` has exactly one own enumerable key, `key`. */
function onlyKey(obj: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in obj) {
    if (k !== key || ++n > 1) return false;
  }
  return n === 1;
}

/** The bytes of a `{"$bytes": base64}` object, or undefined when `obj` is not one. */
export function taggedBytes(obj: Record<string, unknown>): Buffer | undefined {
  const s = obj[BYTES_TAG];
  if (typeof s !== 'string' || !onlyKey(obj, BYTES_TAG)) return undefined;
  return Buffer.from(s, 'base64');
}

/** The integer of a `{"$int": decimal}` object within int64, or undefined when `obj` is not one. */
export function taggedInt(obj: Record<string, unknown>): bigint | undefined {
  const s = obj[INT_TAG];
  if (typeof s !== 'string' || !onlyKey(obj, INT_TAG) || !/^-?(0|[1-9][0-9]{0,19})$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/**
 * OTLP common.proto readers shared by the logs decoder (otlp-decode.ts): AnyValue,
 * KeyValue and attribute keys, with the two bounds untrusted input needs. Maps are
 * objects without Object.prototype, so a `__proto__` key is data; nesting deeper than
 * maxDepth throws DepthError, which names its path as it unwinds.
 */
import { Reader, WireError } from './proto-wire.js';
import { MAP_PROTOTYPE } from './plain-object.js';
import {
  ATTR_DURATION_MS, ATTR_EVENT, ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE,
  ATTR_KEY, ATTR_KIND, ATTR_MESSAGE, ATTR_PARENT_SPAN, ATTR_PATH, ATTR_SEQ, ATTR_SPAN, ATTR_TASK,
} from './attributes.js';

/** Default bound on AnyValue nesting (maps in maps, arrays in arrays). */
export const DEFAULT_MAX_DEPTH = 32;

/** A record-level problem: which field, and what. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

function expectWire(r: Reader, field: number, got: number, want: number): void {
  if (got !== want) throw new WireError(`field ${field} has wire type ${got}, expected ${want}`, r.pos);
}

// Attribute keys repeat in every record ('user.id', 'distlog.key', ...): a small
// cache, verified byte by byte, returns the same string without allocating, and
// tags the reserved names once so the record reader dispatches on a number.
export const K_USER = 0, K_MESSAGE = 1, K_KEY = 2, K_SEQ = 3, K_PATH = 4, K_PARENT = 5, K_EVENT = 6,
  K_DURATION = 7, K_KIND = 8, K_TASK = 9, K_SPAN = 10, K_XTYPE = 11, K_XMESSAGE = 12, K_XSTACK = 13, K_OTHER_RESERVED = 14;
// Null prototype: a key named `__proto__` or `constructor` must not find Object.prototype's.
const RESERVED_IDS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  [ATTR_MESSAGE]: K_MESSAGE, [ATTR_KEY]: K_KEY, [ATTR_SEQ]: K_SEQ, [ATTR_PATH]: K_PATH,
  [ATTR_PARENT_SPAN]: K_PARENT, [ATTR_EVENT]: K_EVENT, [ATTR_DURATION_MS]: K_DURATION, [ATTR_KIND]: K_KIND,
  [ATTR_TASK]: K_TASK, [ATTR_SPAN]: K_SPAN, [ATTR_EXCEPTION_TYPE]: K_XTYPE,
  [ATTR_EXCEPTION_MESSAGE]: K_XMESSAGE, [ATTR_EXCEPTION_STACKTRACE]: K_XSTACK,
});
const CACHE_SIZE = 4096;
const cacheKeys: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const cacheIds = new Uint8Array(CACHE_SIZE);
/** Id of the key last returned by readKey. */
let keyId: number = K_USER;

function idOf(key: string): number {
  const id = RESERVED_IDS[key];
  if (id !== undefined) return id;
  return key.startsWith('distlog.') ? K_OTHER_RESERVED : K_USER;
}

function readKey(r: Reader): string {
  const n = r.len();
  const buf = r.buf;
  const start = r.pos;
  if (n > 40) {
    const k = r.stringAt(start, n);
    keyId = idOf(k);
    return k;
  }
  let h = n;
  for (let i = start; i < start + n; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  const slot = h & (CACHE_SIZE - 1);
  const cached = cacheKeys[slot];
  r.pos = start + n;
  if (cached !== undefined && cached.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      keyId = cacheIds[slot]!;
      return cached;
    }
  }
  const k = r.stringAt(start, n);
  keyId = idOf(k);
  // Only ASCII keys can be verified by the byte compare above.
  if (k.length === n) {
    cacheKeys[slot] = k;
    cacheIds[slot] = keyId;
  }
  return k;
}

/** Maximum nesting of AnyValue maps and arrays, set by decodeOtlp (decoding is synchronous). */
let maxDepth = DEFAULT_MAX_DEPTH;

export function setMaxDepth(n: number): void {
  maxDepth = n;
}

/**
 * A value nested deeper than maxDepth. Thrown at the depth limit; every map and
 * array level it unwinds through puts its key or index in front of `path`, so the
 * record-level catch can name where it was (`attributes["a"]["b"][0]`).
 */
export class DepthError extends Error {
  readonly segments: string[] = [];
  get path(): string {
    return this.segments.join('');
  }
}

/**
 * Map objects for decoded key-value lists: nothing of Object.prototype in their
 * chain, so a `__proto__` key is plain data (never a prototype) and `constructor`
 * or `toString` are absent unless the producer sent them. Their prototype is one
 * shared empty null-prototype object rather than null itself: V8 keeps such
 * objects in fast mode, where Object.create(null) objects start as dictionaries
 * (about 40% slower to build and to serialize, measured per record).
 */
function DecodedMap(this: Record<string, unknown>): void {}
DecodedMap.prototype = MAP_PROTOTYPE;
const MapCtor = DecodedMap as unknown as new () => Record<string, unknown>;

export function newMap(): Record<string, unknown> {
  return new MapCtor();
}

export function readAnyValue(r: Reader, end: number, depth: number): unknown {
  if (depth > maxDepth) throw new DepthError(`nested deeper than ${maxDepth} levels`);
  let v: unknown = null;
  while (r.pos < end) {
    const tag = r.uvarint();
    const f = tag >>> 3;
    const wt = tag & 7;
    switch (f) {
      case 1: expectWire(r, f, wt, 2); v = r.string(); break;
      case 2: expectWire(r, f, wt, 0); v = r.uvarint() !== 0; break;
      case 3: {
        expectWire(r, f, wt, 0);
        const at = r.pos;
        const n = r.int64();
        // Beyond 2^53 a number is not exact: keep the producer's integer as {"$int": decimal}.
        v = Number.isSafeInteger(n) ? n : { $int: r.int64DecimalAt(at) };
        break;
      }
      case 4: expectWire(r, f, wt, 1); v = r.double(); break;
      case 5: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const arr: unknown[] = [];
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const ie = r.len() + r.pos;
          try {
            arr.push(readAnyValue(r, ie, depth + 1));
          } catch (err) {
            if (err instanceof DepthError) err.segments.unshift(`[${arr.length}]`);
            throw err;
          }
        }
        v = arr;
        break;
      }
      case 6: {
        expectWire(r, f, wt, 2);
        const e = r.len() + r.pos;
        const obj = newMap();
        while (r.pos < e) {
          const t = r.uvarint();
          if (t !== 0x0a) { r.skip(t & 7); continue; }
          const kvEnd = r.len() + r.pos;
          const k = readKeyValue(r, kvEnd, depth + 1);
          obj[k] = kv.value;
        }
        v = obj;
        break;
      }
      case 7: expectWire(r, f, wt, 2); v = { $bytes: r.bytes().toString('base64') }; break;
      default: r.skip(wt);
    }
  }
  if (r.pos !== end) throw new WireError('AnyValue runs past its length', r.pos);
  return v;
}

/**
 * Value and reserved-name id of the KeyValue last read by readKeyValue (saves
 * allocating a pair per attribute; decoding is synchronous).
 */
export const kv: { value: unknown; id: number } = { value: null, id: K_USER };

/**
 * Reads KeyValue{key=1, value=2} whose value sits at `depth`: returns the key,
 * leaves the value in kvValue and its id in keyId.
 */
export function readKeyValue(r: Reader, end: number, depth: number): string {
  let key = '';
  let id = K_USER;
  let value: unknown = null;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      key = readKey(r);
      id = keyId;
    } else if (tag === 0x12) {
      const e = r.len() + r.pos;
      try {
        value = readAnyValue(r, e, depth);
      } catch (err) {
        // The key comes first on the wire from every known encoder; name it when we have it.
        if (err instanceof DepthError) err.segments.unshift(`[${JSON.stringify(key)}]`);
        throw err;
      }
    } else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new WireError('KeyValue runs past its length', r.pos);
  kv.value = value;
  kv.id = id;
  return key;
}

/**
 * Reads one KeyValue of a resource or scope attribute list into `into`. A value
 * nested too deep is skipped and returned as a FieldError named `where` + path:
 * the caller refuses the records that would carry it.
 */
export function readAttributeInto(r: Reader, into: Record<string, unknown>, where: string): FieldError | undefined {
  const kvEnd = r.len() + r.pos;
  try {
    const k = readKeyValue(r, kvEnd, 1);
    into[k] = kv.value;
    return undefined;
  } catch (err) {
    if (!(err instanceof DepthError)) throw err;
    r.pos = kvEnd;
    return new FieldError(where + err.path, err.message);
  }
}

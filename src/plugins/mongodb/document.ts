/**
 * LogEntry ⇄ MongoDB document. The shape must be accepted by every server that
 * speaks the MongoDB protocol and must give back the exact LogEntry:
 *
 * - `attributes` and `resource` become key/value arrays `[{ k, v }]`. OTel names
 *   are dotted (`service.name`, `http.status_code`); FerretDB refuses field names
 *   with `.` or a leading `$`, and MongoDB makes dotted names awkward to query.
 *   A k/v array keeps the names as *values*, so any attribute is queryable with
 *   one multikey index: `{ attributes: { $elemMatch: { k: 'http.status_code', v: 500 } } }`
 *   served by `{ 'attributes.k': 1, 'attributes.v': 1 }` (the attribute pattern).
 *   It also keeps the producer's attribute order.
 * - Keys inside nested values (an attribute holding an object, the body) are
 *   escaped reversibly: `%` → `%25`, `.` → `%2E`, a leading `$` → `%24`,
 *   NUL → `%00`, and the empty key → `%`. Nobody queries by those.
 * - Numbers that are not finite (NaN, ±Infinity: OTLP doubles can carry them)
 *   become `{ '%num': 'NaN' }`: FerretDB closes the connection on a NaN. An
 *   array directly inside an array becomes `{ '%arr': [...] }`: FerretDB
 *   refuses nested arrays. A user key `%num` is escaped to `%25num`, so these
 *   tags cannot be forged.
 * - `time` is a real BSON date (millisecond precision: TTL indexes and date
 *   queries need it); `timeUnixNano` keeps the exact nanoseconds.
 * - task, span, parentSpan, path, seq, key, level, logger, event and
 *   `service` (resource service.name, copied out for the service index) are
 *   top-level fields.
 * - `_id` is a hash of the record's content: a retried insertMany (after a
 *   timeout or a partial failure) produces the same ids and the server's
 *   duplicate-key error tells us the record is already stored.
 */
import { isPlainObject } from '../../protocol/plain-object.js';
import { createHash } from 'node:crypto';
import type { ExceptionInfo, KindCode, LogEntry, ScopeEvent, SystemCode } from '../../protocol/log-entry.js';

/** One attribute or resource entry. */
export interface KeyValue {
  k: string;
  v: unknown;
}

export interface LogDocument {
  _id: string;
  v: LogEntry['v'];
  time: Date;
  timeUnixNano: string;
  observedTimeUnixNano?: string;
  level: string;
  severity: number;
  logger: string;
  message: string;
  body?: unknown;
  attributes: KeyValue[];
  task?: string;
  span?: string;
  parentSpan?: string;
  path?: string;
  seq?: number;
  key?: string;
  event?: ScopeEvent;
  durationMs?: number;
  exception?: ExceptionInfo;
  resource: KeyValue[];
  /** LogEntry v2's OTLP facts, stored as they are (loggerAttributes as pairs, like attributes). */
  levelFromSeverity?: true;
  loggerVersion?: string;
  loggerSchemaUrl?: string;
  loggerAttributes?: KeyValue[];
  loggerDroppedAttributesCount?: number;
  eventName?: string;
  droppedAttributesCount?: number;
  traceFlags?: number;
  resourceSchemaUrl?: string;
  resourceDroppedAttributesCount?: number;
  /** resource['service.name'] when it is a string, for the service index. */
  service?: string;
  system: SystemCode;
  kind: KindCode;
}

const NUM_TAG = '%num';
const ARR_TAG = '%arr';

export function escapeKey(key: string): string {
  if (key === '') return '%';
  let out = key.replace(/[%.\0]/g, (c) => (c === '%' ? '%25' : c === '.' ? '%2E' : '%00'));
  if (out.startsWith('$')) out = '%24' + out.slice(1);
  return out;
}

export function unescapeKey(key: string): string {
  if (key === '%') return '';
  return key.replace(/%(25|2E|24|00)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A map of data, the decoder's own maps (MAP_PROTOTYPE) included: those must be escaped too. */
const isPlain = (v: unknown): v is Record<string, unknown> => !Array.isArray(v) && isPlainObject(v);

/** A JSON-like value made safe for any MongoDB-protocol server (see the file comment). */
export function toStored(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { [NUM_TAG]: String(v) };
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? { [ARR_TAG]: toStored(x) } : toStored(x)));
  if (isPlain(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // BSON drops undefined members; so does JSON, which is what a LogEntry is.
      if (x !== undefined) out[escapeKey(k)] = toStored(x);
    }
    return out;
  }
  return v;
}

export function fromStored(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromStored);
  if (isPlain(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === NUM_TAG && typeof v[NUM_TAG] === 'string') return Number(v[NUM_TAG]);
    if (keys.length === 1 && keys[0] === ARR_TAG && Array.isArray(v[ARR_TAG])) return fromStored(v[ARR_TAG]);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[unescapeKey(k)] = fromStored(v[k]);
    return out;
  }
  return v;
}

function toPairs(rec: Record<string, unknown>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [k, v] of Object.entries(rec)) if (v !== undefined) out.push({ k, v: toStored(v) });
  return out;
}

function fromPairs(pairs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(pairs)) return out;
  for (const p of pairs as KeyValue[]) {
    Object.defineProperty(out, p.k, { value: fromStored(p.v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Milliseconds of a decimal-ns time string; 0 when it is not one. */
function msOf(timeUnixNano: string): number {
  if (!/^\d{1,30}$/.test(timeUnixNano)) return 0;
  return timeUnixNano.length > 6 ? Number(timeUnixNano.slice(0, -6)) : 0;
}

/**
 * Deterministic id: the same record always hashes alike, so a retry never
 * stores it twice. 20 bytes of SHA-1 as base64url (27 chars) — collisions are
 * not a practical concern, and SHA-1 is the cheapest hash node offers natively.
 */
export function documentId(e: LogEntry): string {
  return createHash('sha1').update(JSON.stringify(e)).digest('base64url');
}

const OPTIONAL_TOP = [
  'observedTimeUnixNano', 'levelFromSeverity', 'loggerVersion', 'loggerSchemaUrl', 'loggerDroppedAttributesCount', 'eventName',
  'droppedAttributesCount', 'task', 'span', 'traceFlags', 'parentSpan', 'path', 'seq', 'key', 'event', 'durationMs',
  'resourceSchemaUrl', 'resourceDroppedAttributesCount',
] as const;

export function toDocument(e: LogEntry): LogDocument {
  const doc: LogDocument = {
    _id: documentId(e),
    v: e.v,
    time: new Date(msOf(e.timeUnixNano)),
    timeUnixNano: e.timeUnixNano,
    level: e.level,
    severity: e.severity,
    logger: e.logger,
    message: e.message,
    attributes: toPairs(e.attributes),
    resource: toPairs(e.resource),
    system: e.system,
    kind: e.kind,
  };
  for (const f of OPTIONAL_TOP) if (e[f] !== undefined) (doc as unknown as Record<string, unknown>)[f] = e[f];
  if (e.body !== undefined) doc.body = toStored(e.body);
  if (e.loggerAttributes !== undefined) doc.loggerAttributes = toPairs(e.loggerAttributes);
  if (e.exception !== undefined) doc.exception = toStored(e.exception) as ExceptionInfo;
  const service = e.resource['service.name'];
  if (typeof service === 'string') doc.service = service;
  return doc;
}

/** The stored document back as the exact LogEntry it was made from (field order as the protocol's). */
export function fromDocument(d: LogDocument): LogEntry {
  const e: Record<string, unknown> = { v: d.v, timeUnixNano: d.timeUnixNano };
  if (d.observedTimeUnixNano !== undefined) e.observedTimeUnixNano = d.observedTimeUnixNano;
  e.level = d.level;
  e.severity = d.severity;
  e.logger = d.logger;
  e.message = d.message;
  if (d.body !== undefined) e.body = fromStored(d.body);
  e.attributes = fromPairs(d.attributes);
  for (const f of OPTIONAL_TOP) if (d[f] !== undefined) e[f] = d[f];
  if (d.loggerAttributes !== undefined) e.loggerAttributes = fromPairs(d.loggerAttributes);
  if (d.exception !== undefined) e.exception = fromStored(d.exception);
  e.resource = fromPairs(d.resource);
  e.system = d.system;
  e.kind = d.kind;
  return e as unknown as LogEntry;
}

/**
 * One received ZeroMQ message -> records. Whole-message problems throw a
 * ProtocolError whose code the collector counts by and whose text names the
 * sender's topic; problems with single records are returned as `errors` beside
 * the records that were fine, so one bad record never costs its batch.
 *
 * Order of checks: frames, topic, encoding (pickle refused here, before any
 * payload byte is looked at), size, record count, then the payload.
 *
 * The topic's system byte is authoritative: every record of the message gets it,
 * whatever `system` its payload claims, so a sender on a T(est) topic can never
 * place records among P(roduction) ones. (The topic is what an endpoint's access
 * rules can see; the payload's own claim is only what the sender wrote.)
 */
import { ProtocolError, type EntryError } from './errors.js';
import type { BatchMeta, LogEntry } from './log-entry.js';
import { parseTopic, topicString, describeBytes, type Topic } from './topic.js';
import { DEFAULT_MAX_ENTRIES, decodeEnvelope, exceedsEntries, parseJsonPayload } from './json-codec.js';
import { MAX_VALUE_DEPTH, checkRecordValues, checkResource, checkValues } from './validate.js';
import { fromPythonRecord, looksLikePythonRecord } from './python.js';
import { DEFAULT_MAX_DEPTH, countOtlpRecords, decodeOtlp } from './otlp-decode.js';
import { WireError } from './proto-wire.js';

export interface DecodeLimits {
  /** Largest payload accepted, in bytes (default: no limit; the socket's maxMsgSize is the first line). */
  maxMessageBytes?: number;
  /**
   * Most records one message may carry (default DEFAULT_MAX_ENTRIES). A message
   * over it is refused whole (code `entry_count`) before its records are built: 16 MB
   * of empty OTLP records would otherwise become 8 million LogEntry objects.
   */
  maxEntries?: number;
  /** Deepest nesting of maps and arrays in an OTLP value (default 32); a deeper record is refused alone. */
  maxDepth?: number;
}

export { DEFAULT_MAX_ENTRIES };

export interface DecodedMessage {
  topic: Topic;
  entries: LogEntry[];
  meta: BatchMeta;
  /** Who produced it: a distlog exporter (envelope / OTLP) or the 2018 Python original. */
  source: 'distlog' | 'python-distlog';
  /** Records that were dropped, each named; the good records of the message are in `entries`. */
  errors: EntryError[];
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** The checks every message passes before its records are read: frames, topic, encoding, size. */
export function checkMessage(frames: readonly Uint8Array[], limits?: DecodeLimits): { topic: Topic; t: string; payload: Buffer } {
  if (frames.length !== 2) {
    const t = frames.length > 0 && frames[0]!.length === 3 ? describeBytes(frames[0]!) : undefined;
    throw new ProtocolError(
      'frames',
      `message has ${frames.length} frame${frames.length === 1 ? '' : 's'}, expected 2 [topic, payload]${t !== undefined ? ` (first frame "${t}")` : ''}`,
      t,
    );
  }
  const topic = parseTopic(frames[0]!);
  const t = topicString(topic);
  const payload = asBuffer(frames[1]!);

  if (topic.encoding === 'P') {
    throw new ProtocolError('pickle', `topic "${t}": pickle payloads are refused (never unpickled); send JSON (J)`, t);
  }
  if (topic.encoding !== 'J' && topic.encoding !== 'O') {
    throw new ProtocolError('encoding', `topic "${t}": unknown encoding "${topic.encoding}"; this reader decodes J (JSON) and O (OTLP protobuf)`, t);
  }
  const max = limits?.maxMessageBytes;
  if (max !== undefined && payload.length > max) {
    throw new ProtocolError('size', `topic "${t}": payload of ${payload.length} bytes exceeds the limit of ${max} bytes (maxMessageBytes)`, t);
  }
  return { topic, t, payload };
}

export function decodeMessage(frames: readonly Uint8Array[], limits?: DecodeLimits): DecodedMessage {
  const { topic, t, payload } = checkMessage(frames, limits);
  const maxEntries = limits?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (topic.encoding === 'O') {
    let d;
    try {
      tooManyOtlpRecords(payload, maxEntries, t);
      // Kind travels per record (`distlog.kind`, absent = log), never taken from the topic.
      const opts = limits?.maxDepth !== undefined ? { maxDepth: limits.maxDepth } : undefined;
      d = decodeOtlp(payload, { system: topic.system, kind: 'L' }, opts);
    } catch (err) {
      throw otlpFailure(err, t);
    }
    checkEntryCount(d.entries.length + d.errors.length, maxEntries, t);
    // The OTLP reader bounds nesting itself (maxDepth, default 32, no deeper than
    // MAX_VALUE_DEPTH allows) and builds only plain data in prototype-free maps:
    // its records need no second walk over their values, only the system check.
    const recheck = (limits?.maxDepth ?? DEFAULT_MAX_DEPTH) > MAX_VALUE_DEPTH;
    const entries = keepBounded(d.entries, d.errors, topic, recheck);
    return { topic, entries, meta: d.meta, source: 'distlog', errors: d.errors };
  }

  if (exceedsEntries(payload, maxEntries)) {
    throw new ProtocolError('entry_count', `topic "${t}": more than ${maxEntries} records in one message (maxEntries)`, t);
  }
  const value = parseJsonPayload(payload, t);
  if (looksLikePythonRecord(value)) {
    return { topic, entries: [fromPythonRecord(value, topic)], meta: {}, source: 'python-distlog', errors: [] };
  }
  const d = decodeEnvelope(value, t, maxEntries);
  const entries = keepBounded(d.entries, d.errors, topic, false);
  return { topic, entries, meta: d.meta, source: 'distlog', errors: d.errors };
}

/** A WireError (or a stack overflow in the AnyValue reader) as the ProtocolError of the message; anything else as it is. */
export function otlpFailure(err: unknown, t: string): unknown {
  if (err instanceof WireError) {
    return new ProtocolError('schema', `topic "${t}": malformed OTLP payload: ${err.message}`, t, { cause: err });
  }
  // The AnyValue reader recurses once per nesting level: a deep enough value overflows the stack.
  if (err instanceof RangeError) {
    return new ProtocolError('schema', `topic "${t}": malformed OTLP payload: ${err.message} (values nested too deep)`, t, { cause: err });
  }
  return err;
}

export function checkEntryCount(records: number, maxEntries: number, t: string): void {
  if (records > maxEntries) {
    throw new ProtocolError('entry_count', `topic "${t}": ${records} records, more than the limit of ${maxEntries} (maxEntries)`, t);
  }
}

/** The number of records of an OTLP payload, from its framing; throws when over maxEntries. */
export function tooManyOtlpRecords(payload: Buffer, maxEntries: number, t: string): number {
  const count = countOtlpRecords(payload);
  if (count > maxEntries) throw tooMany(t, count, maxEntries);
  return count;
}

/** Cuts error messages to MAX_ERROR_CHARS: they may quote the sender's value. */
export function boundErrorMessages(errors: EntryError[]): void {
  for (const x of errors) {
    if (x.message.length > MAX_ERROR_CHARS) x.message = `${x.message.slice(0, MAX_ERROR_CHARS)}... (${x.message.length} chars)`;
  }
}

/** Longest entry error message passed on; longer ones are cut (they quote sender data). */
const MAX_ERROR_CHARS = 300;

/**
 * Moves records a payload may not carry from `entries` to `errors`:
 * - a system other than the topic's: the topic byte decides where a record goes
 *   (a sender on `T` must not write into production files; JSON records carry
 *   `system` and OTLP resources `distlog.system`, and a mismatch is refused);
 * - (OTLP) values nested deeper or shaped otherwise than validation allows for
 *   JSON records (validate.ts checkValues), so every encoding has the same bounds.
 * `errors` keeps its order by index; indexes are positions in the message.
 */
function keepBounded(entries: LogEntry[], errors: EntryError[], topic: Topic, recheckValues: boolean): LogEntry[] {
  // An error message may quote the sender's value: keep what reaches the operator's log short.
  boundErrorMessages(errors);
  const json = topic.encoding === 'J';
  // JSON records were validated already; OTLP ones share a resource per ResourceLogs: check each once
  // (service.name / host.name must be strings, which the OTLP reader does not know about).
  let lastResource: unknown;
  const problem = (e: LogEntry): [string, string] | undefined => {
    if (json) return undefined;
    if (e.resource !== lastResource) {
      const r = checkResource(e.resource);
      if (r) return r;
      lastResource = e.resource;
    }
    return recheckValues ? checkRecordValues(e) : undefined;
  };
  let firstBad = -1;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.system !== topic.system || problem(e) !== undefined) { firstBad = i; break; }
  }
  if (firstBad < 0) return entries;
  // Rare path: rebuild both lists. A kept record's index in the message is its
  // position among kept records plus the records dropped before it.
  const dropped = [...errors].sort((a, b) => a.index - b.index);
  const kept: LogEntry[] = [];
  const out: EntryError[] = [];
  let di = 0;
  let index = 0;
  for (const e of entries) {
    while (di < dropped.length && dropped[di]!.index <= index) { out.push(dropped[di]!); di++; index++; }
    const where = `entries[${index}]`;
    const values = json ? undefined : checkValues(e);
    if (e.system !== topic.system) {
      out.push({ index, path: `${where}.system`, message: `"${e.system}" differs from the topic's system byte "${topic.system}"; a sender writes only to its own system` });
    } else if (values !== undefined) {
      out.push({ index, path: `${where}.${values[0]}`, message: values[1] });
    } else kept.push(e);
    index++;
  }
  while (di < dropped.length) out.push(dropped[di++]!);
  errors.length = 0;
  for (const x of out) errors.push(x);
  return kept;
}

function tooMany(topic: string, count: number, max: number): ProtocolError {
  return new ProtocolError('entry_count', `topic "${topic}": ${count} records in one message exceed the limit of ${max} (maxEntries)`, topic);
}

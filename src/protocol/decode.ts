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
import { decodeEnvelope, parseJsonPayload } from './json-codec.js';
import { fromPythonRecord, looksLikePythonRecord } from './python.js';
import { countOtlpRecords, decodeOtlp } from './otlp-decode.js';
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

/** Default DecodeLimits.maxEntries: 100 times the exporter's largest batch. */
export const DEFAULT_MAX_ENTRIES = 100_000;

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

export function decodeMessage(frames: readonly Uint8Array[], limits?: DecodeLimits): DecodedMessage {
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

  const maxEntries = limits?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (topic.encoding === 'O') {
    try {
      const count = countOtlpRecords(payload);
      if (count > maxEntries) throw tooMany(t, count, maxEntries);
      // Kind travels per record (`distlog.kind`, absent = log), never taken from the topic.
      const opts = limits?.maxDepth !== undefined ? { maxDepth: limits.maxDepth } : undefined;
      const d = decodeOtlp(payload, { system: topic.system, kind: 'L' }, opts);
      return { topic, entries: withTopicSystem(d.entries, topic), meta: d.meta, source: 'distlog', errors: d.errors };
    } catch (err) {
      if (err instanceof WireError) {
        throw new ProtocolError('schema', `topic "${t}": malformed OTLP payload: ${err.message}`, t, { cause: err });
      }
      throw err;
    }
  }

  const value = parseJsonPayload(payload, t);
  if (looksLikePythonRecord(value)) {
    return { topic, entries: [fromPythonRecord(value, topic)], meta: {}, source: 'python-distlog', errors: [] };
  }
  const d = decodeEnvelope(value, t, maxEntries);
  return { topic, entries: withTopicSystem(d.entries, topic), meta: d.meta, source: 'distlog', errors: d.errors };
}

function withTopicSystem(entries: LogEntry[], topic: Topic): LogEntry[] {
  const system = topic.system;
  for (let i = 0; i < entries.length; i++) entries[i]!.system = system;
  return entries;
}

function tooMany(topic: string, count: number, max: number): ProtocolError {
  return new ProtocolError('entry_count', `topic "${topic}": ${count} records in one message exceed the limit of ${max} (maxEntries)`, topic);
}

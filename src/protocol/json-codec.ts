/**
 * Encoding `J`: a JSON envelope `{"v":1,"entries":[LogEntry...]}` (envelope version
 * 1; each entry carries its own LogEntry version, see log-entry.ts) with optional
 * `producer` and `seq` (BatchMeta). The envelope is an object rather than a bare
 * array so that batch-level fields (producer id, batch sequence, later acks and
 * the like) are added beside `entries` without a new wire version: a reader ignores
 * envelope fields it does not know. `v` changes only for a change old readers would
 * misread.
 */
import { isUtf8 } from 'node:buffer';
import { ProtocolError, type EntryError } from './errors.js';
import type { BatchMeta, LogEntry } from './log-entry.js';
import { describeValue, isPlainObject, validateEntry } from './validate.js';
import { locateJsonError } from './json-error.js';

export const ENVELOPE_VERSION = 1 as const;

export function encodeJson(entries: readonly LogEntry[], meta?: BatchMeta): Buffer {
  // Fixed key order (v, batch facts, then the records) so a human reading a capture sees them first.
  const envelope: { v: 1; producer?: string; seq?: number; entries?: readonly LogEntry[] } = { v: ENVELOPE_VERSION };
  if (meta?.producer !== undefined) envelope.producer = meta.producer;
  if (meta?.seq !== undefined) envelope.seq = meta.seq;
  envelope.entries = entries;
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** Parses a JSON payload; errors say where (byte offset) and what. */
export function parseJsonPayload(payload: Buffer, topic: string): unknown {
  if (!isUtf8(payload)) {
    throw new ProtocolError('json', `topic "${topic}": invalid JSON: payload is not valid UTF-8`, topic);
  }
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    // Slow path only: V8's message gives a UTF-16 position at best; find the byte ourselves.
    const where = locateJsonError(payload);
    throw new ProtocolError('json', `topic "${topic}": invalid JSON at byte ${where.offset}: ${where.reason}`, topic, { cause: err });
  }
}

/** Checks the envelope and validates each entry; a bad entry is named and skipped. */
export function decodeEnvelope(value: unknown, topic: string, maxEntries = Infinity): { entries: LogEntry[]; meta: BatchMeta; errors: EntryError[] } {
  if (!isPlainObject(value)) {
    throw new ProtocolError('schema', `topic "${topic}": expected an envelope object {"v":1,"entries":[...]}, got ${describeValue(value)}`, topic);
  }
  if (value.v !== ENVELOPE_VERSION) {
    throw new ProtocolError('schema', `topic "${topic}": envelope.v: expected ${ENVELOPE_VERSION}, got ${describeValue(value.v)}`, topic);
  }
  const list = value.entries;
  if (!Array.isArray(list)) {
    throw new ProtocolError('schema', `topic "${topic}": envelope.entries: expected an array, got ${describeValue(list)}`, topic);
  }
  if (list.length > maxEntries) {
    // Refused before validating: 16 MB of `{}` entries would be millions of entry errors.
    throw new ProtocolError('entry_count', `topic "${topic}": ${list.length} records in one message exceed the limit of ${maxEntries} (maxEntries)`, topic);
  }
  const meta: BatchMeta = {};
  const { producer, seq } = value;
  if (producer !== undefined) {
    if (typeof producer !== 'string') throw new ProtocolError('schema', `topic "${topic}": envelope.producer: expected a string, got ${describeValue(producer)}`, topic);
    meta.producer = producer;
  }
  if (seq !== undefined) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw new ProtocolError('schema', `topic "${topic}": envelope.seq: expected a non-negative integer, got ${describeValue(seq)}`, topic);
    }
    meta.seq = seq;
  }
  const errors: EntryError[] = [];
  const entries: LogEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = validateEntry(list[i], i, errors);
    if (e !== undefined) entries.push(e);
  }
  return { entries, meta, errors };
}

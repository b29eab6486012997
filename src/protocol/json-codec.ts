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

/** Records accepted in one message unless the receiver says otherwise (DecodeLimits.maxEntries). */
export const DEFAULT_MAX_ENTRIES = 100_000;

export function encodeJson(entries: readonly LogEntry[], meta?: BatchMeta): Buffer {
  // Fixed key order (v, batch facts, then the records) so a human reading a capture sees them first.
  const envelope: { v: 1; producer?: string; seq?: number; entries?: readonly LogEntry[] } = { v: ENVELOPE_VERSION };
  if (meta?.producer !== undefined) envelope.producer = meta.producer;
  if (meta?.seq !== undefined) envelope.seq = meta.seq;
  envelope.entries = entries;
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/**
 * Parses a JSON payload; errors say where (byte offset) and what. Python's json
 * module writes the bare words NaN, Infinity and -Infinity for non-finite floats
 * (the 2018 Python distlog sent them in context values): accepted, as the strings
 * "NaN", "Infinity", "-Infinity" (proto3's JSON form for such doubles), so every
 * record stays plain JSON. Only a payload JSON.parse refused pays for that.
 */
export function parseJsonPayload(payload: Buffer, topic: string): unknown {
  if (!isUtf8(payload)) {
    throw new ProtocolError('json', `topic "${topic}": invalid JSON: payload is not valid UTF-8`, topic);
  }
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const quoted = quoteNonFinite(text);
    if (quoted !== undefined) {
      try {
        return JSON.parse(quoted);
      } catch {
        // fall through: report the first real error
      }
    }
    // Slow path only: V8's message gives a UTF-16 position at best; find the byte ourselves.
    const where = locateJsonError(payload);
    throw new ProtocolError('json', `topic "${topic}": invalid JSON at byte ${where.offset}: ${where.reason}`, topic, { cause: err });
  }
}

/**
 * `text` with every NaN, Infinity and -Infinity outside strings quoted, or
 * undefined when there is none. One forward scan.
 */
export function quoteNonFinite(text: string): string | undefined {
  const n = text.length;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) { inString = true; continue; }
    let word: string | undefined;
    if (c === 0x4e && text.startsWith('NaN', i)) word = 'NaN';
    else if (c === 0x49 && text.startsWith('Infinity', i)) word = 'Infinity';
    else if (c === 0x2d && text.startsWith('-Infinity', i)) word = '-Infinity';
    if (word === undefined) continue;
    out += `${text.slice(from, i)}"${word}"`;
    i += word.length - 1;
    from = i + 1;
  }
  return from === 0 ? undefined : out + text.slice(from);
}

/**
 * Does the payload hold more than `max` items in its top-level arrays (the
 * envelope's `entries`)? Answered by a byte scan before JSON.parse, because parsing
 * 16 MB of `{},` builds 5.6M objects (about 500 MB) only to be refused. A record
 * takes at least 3 bytes (`{},`), so smaller payloads skip the scan. UTF-8
 * continuation bytes never equal '"' or '\\', so scanning bytes is exact.
 */
export function exceedsEntries(payload: Uint8Array, max: number): boolean {
  if (payload.length <= max * 3) return false;
  let depth = 0;
  let inArray = false; // the open container at depth 2 is an array
  let items = 0;
  const n = payload.length;
  for (let i = 0; i < n; i++) {
    const c = payload[i]!;
    if (c === 0x22) {
      // skip the string, escapes included
      for (i++; i < n; i++) {
        const d = payload[i]!;
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth === 2) { inArray = c === 0x5b; items = 1; }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 2 && inArray && ++items > max) {
      return true;
    }
  }
  return false;
}

/** Checks the envelope and validates each entry; a bad entry is named and skipped. */
export function decodeEnvelope(value: unknown, topic: string, maxEntries = DEFAULT_MAX_ENTRIES): { entries: LogEntry[]; meta: BatchMeta; errors: EntryError[] } {
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

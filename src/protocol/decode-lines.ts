/**
 * decodeMessage's twin for collectors whose plugins all take JSON lines: the
 * same checks, limits, errors and meta, but the records come out as JsonLines.
 * OTLP payloads are transcoded straight to lines (otlp-lines.ts); JSON-topic
 * and Python-original messages are decoded as objects, then written.
 */
import type { BatchMeta } from './log-entry.js';
import type { EntryError } from './errors.js';
import type { Topic } from './topic.js';
import { DEFAULT_MAX_ENTRIES, boundErrorMessages, checkEntryCount, checkMessage, decodeMessage, otlpFailure, tooManyOtlpRecords, type DecodeLimits } from './decode.js';
import { jsonLinesOfMessage, lineCount, type JsonLines } from './json-lines.js';
import { DEFAULT_MAX_DEPTH } from './otlp-decode.js';
import { transcodeOtlp } from './otlp-lines.js';
import type { LineSlabs } from './line-slabs.js';
import { MAX_VALUE_DEPTH } from './validate.js';

export interface DecodedLines {
  topic: Topic;
  lines: JsonLines;
  meta: BatchMeta;
  source: 'distlog' | 'python-distlog';
  /** Records that were dropped, each named; the good ones are the lines. */
  errors: EntryError[];
}

/** Throws ProtocolError exactly where decodeMessage does. */
export function decodeMessageLines(frames: readonly Uint8Array[], limits?: DecodeLimits, slabs?: LineSlabs): DecodedLines {
  const { topic, t, payload } = checkMessage(frames, limits);
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  // Deeper than validation allows: decodeMessage re-checks every value; take its path.
  if (topic.encoding === 'O' && maxDepth <= MAX_VALUE_DEPTH) {
    const maxEntries = limits?.maxEntries ?? DEFAULT_MAX_ENTRIES;
    let d;
    try {
      const records = tooManyOtlpRecords(payload, maxEntries, t);
      // Kind travels per record (`distlog.kind`, absent = log), never taken from the topic.
      d = transcodeOtlp(payload, { system: topic.system, kind: 'L' }, maxDepth, topic.system, records, slabs);
    } catch (err) {
      throw otlpFailure(err, t);
    }
    if (d !== undefined) {
      checkEntryCount(lineCount(d.lines) + d.errors.length, maxEntries, t);
      boundErrorMessages(d.errors);
      return { topic, lines: d.lines, meta: d.meta, source: 'distlog', errors: d.errors };
    }
    // A resource the topic check refuses, or one the fast path does not take: the object path says which records.
  }
  const m = decodeMessage(frames, limits);
  const lines = jsonLinesOfMessage(m.entries, m.errors);
  return { topic, lines, meta: m.meta, source: m.source, errors: m.errors };
}

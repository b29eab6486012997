/**
 * decodeMessage's twin for collectors whose plugins all take JSON lines: the
 * same checks, limits, errors and meta, but the records come out as JsonLines.
 * (First version: decodes to entries and writes them; the direct transcoder replaces it.)
 */
import type { BatchMeta } from './log-entry.js';
import type { EntryError } from './errors.js';
import type { Topic } from './topic.js';
import { decodeMessage, type DecodeLimits } from './decode.js';
import { jsonLinesFromEntries, type JsonLines } from './json-lines.js';

export interface DecodedLines {
  topic: Topic;
  lines: JsonLines;
  meta: BatchMeta;
  source: 'distlog' | 'python-distlog';
  /** Records that were dropped, each named; the good ones are the lines. */
  errors: EntryError[];
}

/** Throws ProtocolError exactly where decodeMessage does. */
export function decodeMessageLines(frames: readonly Uint8Array[], limits?: DecodeLimits): DecodedLines {
  const d = decodeMessage(frames, limits);
  const lines = jsonLinesFromEntries(d.entries, (index, err) => d.errors.push({ index, path: `entries[${index}]`, message: `cannot be written as JSON: ${(err as Error).message}` }));
  return { topic: d.topic, lines, meta: d.meta, source: d.source, errors: d.errors };
}

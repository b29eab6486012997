/**
 * A batch of records already written as JSON lines: the form a plugin that
 * stores or ships JSON text (the file plugin) can take without a LogEntry
 * object per record. The collector makes it straight from an OTLP payload
 * (otlp-lines.ts) when no plugin of the message needs the objects; each line is
 * the JSON of the LogEntry that decodeMessage would have built (same fields and
 * values; field order follows LogEntry's declaration).
 */
import type { EntryError } from './errors.js';
import type { KindCode, LogEntry, SystemCode } from './log-entry.js';
import { JsonLineWriter } from './json-line.js';

export interface JsonLines {
  /** The lines back to back, each ending in '\n'. */
  readonly bytes: Buffer;
  /** ends[i] is the offset just past line i's '\n'; line i starts at ends[i - 1] (0 for the first). */
  readonly ends: Uint32Array;
  /** Each line's system code, as a char code ('T', 'S', 'P'), for routing by system. */
  readonly systems: Uint8Array;
  /** Each line's kind code, as a char code ('L', 'P'). */
  readonly kinds: Uint8Array;
  /**
   * Set when the bytes live in a slab the collector reuses (line-slabs.ts):
   * the number of the message they were transcoded from. The collector writes
   * over the slab only once no lane holds a batch of this message or an
   * earlier one, so every view of these bytes (a slice) carries it too.
   */
  readonly slabSeq?: number;
}

export const EMPTY_JSON_LINES: JsonLines = Object.freeze({
  bytes: Buffer.alloc(0),
  ends: new Uint32Array(0),
  systems: new Uint8Array(0),
  kinds: new Uint8Array(0),
});

export function lineCount(lines: JsonLines): number {
  return lines.ends.length;
}

export function lineStart(lines: JsonLines, i: number): number {
  return i === 0 ? 0 : lines.ends[i - 1]!;
}

/** Line i's text without its newline. */
export function lineText(lines: JsonLines, i: number): string {
  return lines.bytes.toString('utf8', lineStart(lines, i), lines.ends[i]! - 1);
}

export function systemOfLine(lines: JsonLines, i: number): SystemCode {
  return String.fromCharCode(lines.systems[i]!) as SystemCode;
}

export function kindOfLine(lines: JsonLines, i: number): KindCode {
  return String.fromCharCode(lines.kinds[i]!) as KindCode;
}

/** Lines [from, to) as a batch of their own; shares the bytes (no copy). */
export function sliceJsonLines(lines: JsonLines, from: number, to: number): JsonLines {
  const n = lines.ends.length;
  from = Math.max(0, Math.min(from, n));
  to = Math.max(from, Math.min(to, n));
  if (from === 0 && to === n) return lines;
  const base = lineStart(lines, from);
  const ends = new Uint32Array(to - from);
  for (let i = from; i < to; i++) ends[i - from] = lines.ends[i]! - base;
  const slice = {
    bytes: lines.bytes.subarray(base, to === 0 ? 0 : lines.ends[to - 1]!),
    ends,
    systems: lines.systems.subarray(from, to),
    kinds: lines.kinds.subarray(from, to),
  };
  // The slice shares the bytes: it holds their slab as the whole did.
  return lines.slabSeq === undefined ? slice : { ...slice, slabSeq: lines.slabSeq };
}

/** One batch of all the lines of `parts`, in order (copies the bytes once). */
export function concatJsonLines(parts: readonly JsonLines[]): JsonLines {
  if (parts.length === 1) return parts[0]!;
  let count = 0;
  let size = 0;
  for (const p of parts) {
    count += p.ends.length;
    size += p.bytes.length;
  }
  const bytes = Buffer.allocUnsafe(size);
  const ends = new Uint32Array(count);
  const systems = new Uint8Array(count);
  const kinds = new Uint8Array(count);
  let at = 0;
  let k = 0;
  for (const p of parts) {
    p.bytes.copy(bytes, at);
    for (let i = 0; i < p.ends.length; i++) ends[k + i] = p.ends[i]! + at;
    systems.set(p.systems, k);
    kinds.set(p.kinds, k);
    at += p.bytes.length;
    k += p.ends.length;
  }
  return { bytes, ends, systems, kinds };
}

/**
 * The JSON lines of a decoded message's entries. An entry the writer refuses
 * joins `errors` (which the decoder filled) under its index in the message,
 * kept in index order.
 */
export function jsonLinesOfMessage(entries: readonly LogEntry[], errors: EntryError[]): JsonLines {
  const refused: EntryError[] = [];
  const lines = jsonLinesFromEntries(entries, (i, err) => {
    const index = messageIndex(i, errors);
    refused.push({ index, path: `entries[${index}]`, message: `cannot be written as JSON: ${(err as Error).message}` });
  });
  if (refused.length) {
    errors.push(...refused);
    errors.sort((a, b) => a.index - b.index);
  }
  return lines;
}

/**
 * The position in its message of the `entry`-th kept record, given the records
 * of that message refused before (their `index`es): entries and errors share
 * one numbering, in wire order.
 */
export function messageIndex(entry: number, refused: readonly { index: number }[]): number {
  const taken = refused.map((e) => e.index).sort((a, b) => a - b);
  let index = entry;
  for (const t of taken) if (t <= index) index++;
  return index;
}

/**
 * Writes LogEntry objects as JSON lines (for messages that arrived as objects:
 * JSON topics, the Python original). An entry the writer refuses (nested deeper
 * than it allows, a throwing getter) is left out and reported through `refused`.
 */
export function jsonLinesFromEntries(entries: readonly LogEntry[], refused?: (index: number, err: unknown) => void): JsonLines {
  const w = new JsonLineWriter({ initialBytes: Math.max(1024, entries.length * 512) });
  const ends: number[] = [];
  const systems: number[] = [];
  const kinds: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    try {
      w.appendLine(e);
    } catch (err) {
      refused?.(i, err);
      continue;
    }
    ends.push(w.pos);
    systems.push(e.system.charCodeAt(0));
    kinds.push(e.kind.charCodeAt(0));
  }
  return {
    bytes: Buffer.from(w.buf.subarray(0, w.pos)),
    ends: Uint32Array.from(ends),
    systems: Uint8Array.from(systems),
    kinds: Uint8Array.from(kinds),
  };
}

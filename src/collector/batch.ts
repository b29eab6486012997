/**
 * What a lane carries: records as LogEntry objects, or already written as JSON
 * lines (protocol/json-lines.ts) for a plugin that takes them (consumeLines).
 * The lane, its queue and the bisection of a failed batch (isolate.ts) only
 * need a batch's length, a slice of it, its size in bytes and a way to join
 * batches of the same form: those are here, so none of them cares which form
 * it holds.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { concatJsonLines, lineText, sliceJsonLines, type JsonLines } from '../protocol/json-lines.js';

export type Batch = readonly LogEntry[] | JsonLines;

/** The slab message a batch's bytes belong to (JsonLines.slabSeq); Infinity for one that holds no slab. */
export function slabSeqOf(b: Batch): number {
  return isLines(b) ? (b.slabSeq ?? Infinity) : Infinity;
}

export function isLines(b: Batch): b is JsonLines {
  return !Array.isArray(b);
}

export function batchLength(b: Batch): number {
  return isLines(b) ? b.ends.length : b.length;
}

/** Records [from, to) of the batch, in the same form (lines share their bytes). */
export function sliceBatch<B extends Batch>(b: B, from: number, to: number): B {
  return (isLines(b) ? sliceJsonLines(b, from, to) : (b as readonly LogEntry[]).slice(from, to)) as B;
}

/**
 * Bytes the batch holds in the lane: the real size of lines; for entries, the
 * receiver's estimate per entry (its share of the wire bytes + object overhead).
 */
export function batchBytes(b: Batch, bytesEach: number): number {
  return isLines(b) ? b.bytes.length : b.length * bytesEach;
}

/** How many leading records of `b` fit in `room` bytes (lines: exactly; entries: by the estimate). */
export function recordsWithin(b: Batch, room: number, bytesEach: number): number {
  if (!isLines(b)) return bytesEach > 0 ? Math.max(0, Math.floor(room / bytesEach)) : Infinity;
  if (room <= 0) return 0;
  const ends = b.ends;
  // ends is increasing: the first line whose end passes `room` is where the room runs out.
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= room) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One batch of `parts`, all of the same form, in order. */
export function concatBatches(parts: readonly Batch[]): Batch {
  if (parts.length === 1) return parts[0]!;
  if (isLines(parts[0]!)) return concatJsonLines(parts as JsonLines[]);
  return (parts as (readonly LogEntry[])[]).flat();
}

/** Lines read back as entries: each line is the JSON of a LogEntry. */
export function entriesOfLines(b: JsonLines): LogEntry[] {
  const out: LogEntry[] = new Array(b.ends.length);
  for (let i = 0; i < out.length; i++) out[i] = JSON.parse(lineText(b, i)) as LogEntry;
  return out;
}

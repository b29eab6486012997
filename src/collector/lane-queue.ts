/**
 * A lane's queue of offered batches, entries or JSON lines (batch.ts), and how
 * they are taken out: consecutive batches of the same form are coalesced into
 * one consume() call of at most `max` records; a batch larger than that is
 * split (lines share their bytes, so a split copies nothing). The lane keeps
 * the counters; each batch remembers the bytes it was counted with, so what is
 * taken out subtracts exactly what was added.
 */
import { batchBytes, batchLength, concatBatches, isLines, sliceBatch, slabSeqOf, type Batch } from './batch.js';

interface Item {
  batch: Batch;
  /** Estimated bytes per entry (entries only; lines count their real bytes). */
  bytesEach: number;
}

export interface Taken {
  batch: Batch;
  records: number;
  /** What these records were counted as in the lane's queuedBytes. */
  bytes: number;
}

const EMPTY: Item = { batch: [], bytesEach: 0 };
/**
 * Line batches are joined into one consume() call only up to this size: a
 * fresh buffer costs 0.15-0.3 µs per record to fill (page faults, malloc),
 * more than the write call it saves for batches of hundreds of records.
 */
export const JOIN_LINES_BELOW_BYTES = 256 * 1024;

export class LaneQueue {
  private readonly items: Item[] = [];
  private head = 0;

  get empty(): boolean {
    return this.head === this.items.length;
  }

  push(batch: Batch, bytesEach: number): void {
    this.items.push({ batch, bytesEach });
  }

  /** Takes up to `max` records from the front, of one form; the queue must not be empty. */
  take(max: number): Taken {
    const first = this.items[this.head]!;
    const n = batchLength(first.batch);
    let out: Taken;
    if (n > max) {
      const part = sliceBatch(first.batch, 0, max);
      this.items[this.head] = { batch: sliceBatch(first.batch, max, n), bytesEach: first.bytesEach };
      out = { batch: part, records: max, bytes: batchBytes(part, first.bytesEach) };
    } else {
      // Each taken slot is emptied at once: the array is compacted only now and
      // then, and a slot still holding its batch would keep written records alive.
      this.items[this.head++] = EMPTY;
      const lines = isLines(first.batch);
      const parts: Batch[] = [first.batch];
      let records = n;
      let bytes = batchBytes(first.batch, first.bytesEach);
      while (this.head < this.items.length) {
        const next = this.items[this.head]!;
        const size = batchLength(next.batch);
        if (isLines(next.batch) !== lines || records + size > max) break;
        // Joining lines copies them into fresh memory, which costs more per record than
        // a write call saves once batches are large: only small ones are joined.
        if (lines && bytes + batchBytes(next.batch, 0) > JOIN_LINES_BELOW_BYTES) break;
        this.items[this.head++] = EMPTY;
        parts.push(next.batch);
        records += size;
        bytes += batchBytes(next.batch, next.bytesEach);
      }
      out = { batch: concatBatches(parts), records, bytes };
    }
    if (this.head > 1024 || this.head === this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return out;
  }

  /** The oldest slab message (JsonLines.slabSeq) among the queued batches; Infinity when none. */
  oldestSlabSeq(): number {
    let oldest = Infinity;
    for (let i = this.head; i < this.items.length; i++) oldest = Math.min(oldest, slabSeqOf(this.items[i]!.batch));
    return oldest;
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }
}

/**
 * Delivery accounting: every batch carries its producer id and a sequence
 * number (1, 2, 3, ... per exporter instance), so the collector can count, per
 * producer, the batches that never arrived (gaps in the sequence) whoever lost
 * them: the producer's libzmq, the network, or a collector that crashed.
 *
 * What it can tell, and what not:
 * - A gap after the first batch seen is counted exactly in batches
 *   (`missingBatches`); records are estimated from the producer's average batch
 *   size (the envelope carries no record offset).
 * - A producer whose first batch seen since this collector started has seq > 1
 *   lost its earlier batches *before this collector saw it*: counted apart as
 *   `missingBeforeFirstSeen` (= first seq - 1). After a collector restart this
 *   includes the batches the previous collector process stored, so it bounds
 *   the loss of a crash from above; it is exact only for a fresh producer.
 * - A batch that arrives after its gap was counted (reordering over several
 *   connections) fills the gap again (`lateBatches`); one seen before is a
 *   `duplicateBatches`. Seq 1 again from a known producer id is a restart.
 * - Batches without producer/seq (the 2018 Python producer, hand-made JSON) are
 *   counted as `unidentified`, without gaps.
 * - A producer that spreads its batches over several *collectors* shows the
 *   others' share as gaps here; gap counts assume one collector per producer.
 */
import type { BatchMeta } from '../protocol/log-entry.js';

export interface ProducerCounters {
  producer: string;
  /** System (T/S/P) of its latest batch. */
  system: string;
  batches: number;
  records: number;
  /** First and latest sequence numbers seen (latest = highest since the last restart). */
  firstSeq: number;
  lastSeq: number;
  /** Batches between firstSeq and lastSeq that never arrived. */
  missingBatches: number;
  /**
   * Records of the missing batches: exact when the producer's envelope carries
   * `recordsBefore` (distlog's OTLP exporter does), else missingBatches x its
   * average records per batch.
   */
  missingRecordsEstimate: number;
  /** Records the producer handed on before the first batch seen (exact with `recordsBefore`, else undefined). */
  missingRecordsBeforeFirstSeen?: number;
  /** firstSeq - 1 for the first instance seen: lost, or delivered to a previous collector process. */
  missingBeforeFirstSeen: number;
  lateBatches: number;
  duplicateBatches: number;
  restarts: number;
  /** Epoch ms of its latest batch. */
  lastSeenAt: number;
}

export interface DeliveryTotals {
  producers: number;
  batches: number;
  records: number;
  missingBatches: number;
  missingRecordsEstimate: number;
  missingBeforeFirstSeen: number;
  duplicateBatches: number;
  restarts: number;
  /** Batches with no producer id or seq, and their records. */
  unidentifiedBatches: number;
  unidentifiedRecords: number;
  /** Producers forgotten to keep the table bounded (least recently seen first). */
  evictedProducers: number;
}

export interface DeliveryStats {
  totals: DeliveryTotals;
  /** Most recently seen first. */
  producers: ProducerCounters[];
}

interface ProducerState extends ProducerCounters {
  /** Recent gaps as [from, to] seq ranges, so a late batch can fill one. Bounded. */
  gaps: [number, number][];
  /** recordsBefore the next in-order batch should carry, when the producer sends it. */
  nextRecordsBefore: number | undefined;
  /** Records of missing batches counted exactly from recordsBefore. */
  missingExact: number;
  /** Whether every gap so far was measured with recordsBefore. */
  exact: boolean;
}

/** Producers tracked at once; a sender inventing ids cannot grow the table past it. */
export const MAX_PRODUCERS = 10_000;
/** Gap ranges remembered per producer for late arrivals. */
const MAX_GAP_RANGES = 64;

export class DeliveryAccounting {
  /** Map order = least recently seen first (re-inserted on every batch). */
  private readonly table = new Map<string, ProducerState>();
  private unidentifiedBatches = 0;
  private unidentifiedRecords = 0;
  private evicted = 0;

  constructor(
    private readonly maxProducers = MAX_PRODUCERS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one received batch (after decoding; `records` = entries it carried, bad ones included). */
  observe(meta: BatchMeta, system: string, records: number): void {
    const { producer, seq } = meta;
    if (producer === undefined || seq === undefined || seq < 1) {
      this.unidentifiedBatches++;
      this.unidentifiedRecords += records;
      return;
    }
    let p = this.table.get(producer);
    if (p === undefined) {
      p = {
        producer, system, batches: 0, records: 0, firstSeq: seq, lastSeq: seq,
        missingBatches: 0, missingRecordsEstimate: 0, missingBeforeFirstSeen: seq - 1,
        lateBatches: 0, duplicateBatches: 0, restarts: 0, lastSeenAt: 0, gaps: [],
        nextRecordsBefore: undefined, missingExact: 0, exact: meta.recordsBefore !== undefined,
      };
      if (meta.recordsBefore !== undefined) p.missingRecordsBeforeFirstSeen = meta.recordsBefore;
      if (this.table.size >= this.maxProducers) {
        const oldest = this.table.keys().next().value as string;
        this.table.delete(oldest);
        this.evicted++;
      }
    } else {
      this.table.delete(producer);
      const gapBefore = p.missingBatches;
      const inOrder = seq > p.lastSeq;
      this.sequence(p, seq);
      if (inOrder && p.missingBatches > gapBefore) {
        // a gap opened: its records are what the producer handed on in between
        if (meta.recordsBefore !== undefined && p.nextRecordsBefore !== undefined) p.missingExact += Math.max(0, meta.recordsBefore - p.nextRecordsBefore);
        else p.exact = false;
      } else if (p.missingBatches < gapBefore) {
        // a late batch filled part of a gap: its records were not missing after all
        p.missingExact = Math.max(0, p.missingExact - records);
      }
    }
    this.table.set(producer, p);
    if (seq === p.lastSeq) p.nextRecordsBefore = meta.recordsBefore === undefined ? undefined : meta.recordsBefore + records;
    p.system = system;
    p.batches++;
    p.records += records;
    p.lastSeenAt = this.now();
    p.missingRecordsEstimate = p.exact ? p.missingExact : Math.round(p.missingBatches * (p.records / p.batches));
  }

  private sequence(p: ProducerState, seq: number): void {
    if (seq === p.lastSeq + 1) {
      p.lastSeq = seq;
    } else if (seq > p.lastSeq) {
      p.missingBatches += seq - p.lastSeq - 1;
      p.gaps.push([p.lastSeq + 1, seq - 1]);
      if (p.gaps.length > MAX_GAP_RANGES) p.gaps.shift();
      p.lastSeq = seq;
    } else if (this.fillGap(p, seq)) {
      p.missingBatches--;
      p.lateBatches++;
    } else if (seq === 1) {
      // A new exporter instance with the same producer id: a new sequence.
      p.restarts++;
      p.lastSeq = 1;
      p.gaps = [];
    } else {
      p.duplicateBatches++;
    }
  }

  private fillGap(p: ProducerState, seq: number): boolean {
    const i = p.gaps.findIndex(([a, b]) => seq >= a && seq <= b);
    if (i < 0) return false;
    const [a, b] = p.gaps[i]!;
    const parts: [number, number][] = [];
    if (a < seq) parts.push([a, seq - 1]);
    if (seq < b) parts.push([seq + 1, b]);
    p.gaps.splice(i, 1, ...parts);
    return true;
  }

  stats(limit = Infinity): DeliveryStats {
    const totals: DeliveryTotals = {
      producers: this.table.size, batches: this.unidentifiedBatches, records: this.unidentifiedRecords,
      missingBatches: 0, missingRecordsEstimate: 0, missingBeforeFirstSeen: 0, duplicateBatches: 0, restarts: 0,
      unidentifiedBatches: this.unidentifiedBatches, unidentifiedRecords: this.unidentifiedRecords, evictedProducers: this.evicted,
    };
    const producers: ProducerCounters[] = [];
    for (const p of this.table.values()) {
      totals.batches += p.batches;
      totals.records += p.records;
      totals.missingBatches += p.missingBatches;
      totals.missingRecordsEstimate += p.missingRecordsEstimate;
      totals.missingBeforeFirstSeen += p.missingBeforeFirstSeen;
      totals.duplicateBatches += p.duplicateBatches;
      totals.restarts += p.restarts;
    }
    // Most recent last in the map; report most recent first.
    const all = [...this.table.values()];
    for (let i = all.length - 1; i >= 0 && producers.length < limit; i--) {
      const { gaps: _gaps, nextRecordsBefore: _next, missingExact: _exact, exact: _isExact, ...counters } = all[i]!;
      producers.push(counters);
    }
    return { totals, producers };
  }
}

/**
 * One plugin's lane: its compiled filter, its queue bounded in entries and in
 * bytes, a pump that feeds consume() one (coalesced) batch at a time, retries
 * with exponential backoff, isolation of the records a plugin cannot take, and
 * its counters. Lanes share nothing, so a plugin that hangs or throws only
 * fills its own queue.
 *
 * When full, or past BLOCK_HOLD_BYTES, a `block` lane (the default) holds the
 * receiver — backpressure through ZeroMQ's high-water marks to the producers —
 * as long as its plugin makes progress. One that has written nothing for
 * `blockTimeoutMs` (its plugin is down, hung or failing every batch) stops
 * holding, queues up to its bounds and then drops its newest entries, counted,
 * until it writes again: a dead plugin costs the others one pause of
 * blockTimeoutMs, never the stream. `drop_newest` lanes never hold.
 *
 * A lane whose plugin takes JSON lines (consumeLines) and which has no filter
 * `wantsLines`: when every lane does, the receivers make lines straight from
 * the wire and no LogEntry is built (router.ts). Either form travels through
 * the queue, retries and isolation alike (batch.ts); counters count records.
 *
 * Invariant (checked by tests): received = written + dropped + queued + inFlight.
 */
import type { ConsumeResult, PluginInstance } from '../plugins/api.js';
import { batchBytes, batchLength, entriesOfLines, isLines, recordsWithin, slabSeqOf, sliceBatch, type Batch } from './batch.js';
import type { PluginConfig } from './config-types.js';
import { compileFilter, type EntryPredicate } from './filter.js';
import { isolateFailures, type AttemptResult } from './isolate.js';
import { LaneQueue } from './lane-queue.js';

export interface PluginCounters {
  /** Entries that passed the filter and were offered to the queue. */
  received: number;
  /** Entries the filter turned away. */
  filtered: number;
  /** Entries a consume() call accepted. */
  written: number;
  /** Entries lost, for any reason (the `dropped*` and `rejected` counters below break it down). */
  dropped: number;
  /** Of dropped: at a full queue (drop_newest, or a stalled block lane). */
  droppedFull: number;
  /** Of dropped: records the plugin failed on alone, isolated from their batch (poison records). */
  rejected: number;
  /** Failed consume() attempts (each retry and each isolation try that fails counts). */
  errors: number;
  /** Entries waiting in the queue now. */
  queued: number;
  /** Bytes of the queued records: JSON lines' real size; entries' estimated heap size. */
  queuedBytes: number;
  /** Entries inside a consume() call now. */
  inFlight: number;
  /** Total time this lane held the receiver (block lanes at capacity). */
  heldMs: number;
  /** A block lane that gave up holding the receiver: its plugin wrote nothing for blockTimeoutMs. */
  stalled: boolean;
}

export type LineLogger = (line: string) => void;

const ERROR_LOG_INTERVAL_MS = 5_000;
/**
 * Queued bytes (estimated heap, see ENTRY_OVERHEAD_BYTES in receiver.ts) from
 * which a `block` lane whose plugin is making progress holds the receiver,
 * whatever its maxBytes. Queuing deeper buys no throughput when the plugin is
 * the slower side, and costs memory twice over: entries that wait long
 * survive into V8's old space, which grows to several times what is live
 * before it is collected (bench/e2e, small records, collector peak RSS
 * ~125 MB when lanes hold at 4 MiB, 155-170 MB at 16 MiB). maxBytes stays the
 * bound for what a stalled lane (a plugin that is down) keeps for later.
 */
export const BLOCK_HOLD_BYTES = 4 * 1024 * 1024;

export class PluginPipeline {
  readonly name: string;
  private readonly predicate: EntryPredicate | undefined;
  private readonly queue = new LaneQueue();
  private readonly c: PluginCounters = {
    received: 0, filtered: 0, written: 0, dropped: 0, droppedFull: 0, rejected: 0,
    errors: 0, queued: 0, queuedBytes: 0, inFlight: 0, heldMs: 0, stalled: false,
  };
  private pumping = false;
  private aborted = false;
  private wakeSleep: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private lastErrorLog = 0;
  /** Records the plugin refused alone (ConsumeResult.dropped) in the consume() calls of one delivery. */
  private refusedByPlugin = 0;
  private suppressedErrors = 0;
  /** Last time the plugin wrote, or the lane went from idle to busy: the stall clock. */
  private progressAt = Date.now();
  private droppedWhileStalled = 0;
  /** Slab message of the batch taken out for delivery (retries and isolation included); Infinity when none. */
  private deliveringSlab = Infinity;
  /**
   * Slab messages of the batches inside plugin calls that have not settled, a
   * call past consumeTimeoutMs included: the plugin may still read its bytes.
   */
  private readonly slabsInCalls: number[] = [];

  constructor(
    private readonly cfg: PluginConfig,
    private readonly instance: PluginInstance,
    private readonly log: LineLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.name = cfg.name;
    this.predicate = compileFilter(cfg.filter);
  }

  /** Its plugin takes JSON lines and it filters nothing: it can be given lines instead of entries. */
  get wantsLines(): boolean {
    return this.predicate === undefined && typeof this.instance.consumeLines === 'function';
  }

  /**
   * The oldest slab message (JsonLines.slabSeq) this lane holds: queued,
   * being delivered, or inside a plugin call not yet settled. Infinity when none.
   */
  oldestHeldSlab(): number {
    let oldest = Math.min(this.queue.oldestSlabSeq(), this.deliveringSlab);
    for (const s of this.slabsInCalls) oldest = Math.min(oldest, s);
    return oldest;
  }

  counters(): PluginCounters {
    return { ...this.c, stalled: this.isStalled() };
  }

  private get full(): boolean {
    return this.c.queued >= this.cfg.queue.maxEntries || this.c.queuedBytes >= this.cfg.queue.maxBytes;
  }

  /**
   * A `block` lane holds the receiver from BLOCK_HOLD_BYTES on (or when full),
   * not only at maxBytes: see BLOCK_HOLD_BYTES. A stalled lane then takes
   * records up to its full bounds (an outage fills the whole queue).
   */
  private get holding(): boolean {
    return this.full || this.c.queuedBytes >= BLOCK_HOLD_BYTES;
  }

  /**
   * Half full or more: the receiver should let the plugin run (yield to the event
   * loop) before reading on, rather than at the end of its time slice. Keeps a
   * small drop_newest lane whose plugin writes on a later turn from overflowing.
   */
  get filling(): boolean {
    const q = this.cfg.queue;
    return this.c.queued * 2 >= q.maxEntries || this.c.queuedBytes * 2 >= Math.min(q.maxBytes, BLOCK_HOLD_BYTES);
  }

  /** A full block lane whose plugin wrote nothing for blockTimeoutMs: it no longer holds the receiver. */
  private isStalled(): boolean {
    if (this.c.stalled) return true;
    const t = this.cfg.queue.blockTimeoutMs;
    if (this.cfg.queue.whenFull !== 'block' || t === 0 || !this.holding) return false;
    if (this.now() - this.progressAt < t) return false;
    this.c.stalled = true;
    this.droppedWhileStalled = 0;
    this.log(`plugin ${this.name}: wrote nothing for ${t} ms while its queue is full; no longer holding the receiver; queuing up to its bounds, then dropping newest entries until it writes again`);
    return true;
  }

  /** True when this lane is in `block` mode, at capacity and making progress: the receiver should wait. */
  get blocking(): boolean {
    return this.cfg.queue.whenFull === 'block' && !this.aborted && this.holding && !this.isStalled();
  }

  /**
   * Resolves when the lane has room, stalls (see blockTimeoutMs) or stops;
   * at once when it is not blocking.
   */
  waitForSpace(): Promise<void> {
    if (!this.blocking) return Promise.resolve();
    const since = this.now();
    return new Promise((resolve) => {
      const t = this.cfg.queue.blockTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.c.heldMs += this.now() - since;
        resolve();
      };
      this.spaceWaiters.push(done);
      if (t > 0) {
        // Re-checks at the stall deadline; a write in between moves it on.
        const check = () => {
          if (!this.blocking) {
            const i = this.spaceWaiters.indexOf(done);
            if (i >= 0) this.spaceWaiters.splice(i, 1);
            done();
          } else timer = setTimeout(check, Math.max(1, this.progressAt + t - this.now()));
        };
        timer = setTimeout(check, Math.max(1, this.progressAt + t - this.now()));
      }
    });
  }

  /**
   * Filters and enqueues; never awaits the plugin. `bytesEach` estimates one
   * entry's size (lines count their real bytes). Lines offered to a lane that
   * does not want them (the router never does that) are read back into entries.
   */
  offer(batch: Batch, bytesEach = 0): void {
    let accepted: Batch = isLines(batch) && !this.wantsLines ? entriesOfLines(batch) : batch;
    if (this.predicate && !isLines(accepted)) {
      const pred = this.predicate;
      const all = accepted;
      accepted = all.filter((e) => pred(e));
      this.c.filtered += all.length - accepted.length;
    }
    let n = batchLength(accepted);
    if (n === 0) return;
    this.c.received += n;
    if (this.aborted) {
      this.c.dropped += n;
      return;
    }
    if (!this.pumping && this.c.queued === 0) this.progressAt = this.now();
    // `block` lanes take the whole batch (the receiver waits before reading more);
    // `drop_newest` and stalled lanes keep what fits and drop the rest.
    if (this.cfg.queue.whenFull === 'drop_newest' || this.isStalled()) {
      const q = this.cfg.queue;
      const byBytes = recordsWithin(accepted, q.maxBytes - this.c.queuedBytes, bytesEach);
      const room = Math.max(0, Math.min(q.maxEntries - this.c.queued, byBytes));
      if (n > room) {
        const lost = n - room;
        this.c.dropped += lost;
        this.c.droppedFull += lost;
        if (this.c.stalled) this.droppedWhileStalled += lost;
        if (room === 0) return;
        accepted = sliceBatch(accepted, 0, room);
        n = room;
      }
    }
    this.queue.push(accepted, bytesEach);
    this.c.queued += n;
    this.c.queuedBytes += batchBytes(accepted, bytesEach);
    if (!this.pumping) void this.pump();
  }

  /** Takes up to batchMaxEntries queued records (of one form) as one batch. */
  private take(): Batch {
    const t = this.queue.take(this.cfg.queue.batchMaxEntries);
    this.c.queued -= t.records;
    this.c.queuedBytes = this.c.queued === 0 ? 0 : Math.max(0, this.c.queuedBytes - t.bytes);
    this.wakeSpaceWaiters();
    return t.batch;
  }

  private wakeSpaceWaiters(): void {
    if (this.spaceWaiters.length && !this.blocking) for (const w of this.spaceWaiters.splice(0)) w();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.aborted && this.c.queued > 0) {
        const batch = this.take();
        this.c.inFlight = batchLength(batch);
        this.deliveringSlab = slabSeqOf(batch);
        const r = await this.deliver(batch);
        this.deliveringSlab = Infinity;
        // An abort during a hung consume() has already counted the batch as dropped.
        if (this.aborted && this.c.inFlight === 0) break;
        this.c.inFlight = 0;
        this.c.written += r.written;
        this.c.dropped += r.dropped + r.rejected;
        this.c.rejected += r.rejected;
        if (r.written > 0) this.progressed();
      }
    } finally {
      this.pumping = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private progressed(): void {
    this.progressAt = this.now();
    if (this.c.stalled) {
      this.c.stalled = false;
      this.log(`plugin ${this.name}: writing again; ${this.droppedWhileStalled} entries were dropped while it was stalled`);
    }
    this.wakeSpaceWaiters();
  }

  /** Retries the batch with backoff; if it still fails, isolates the records at fault. */
  private async deliver(batch: Batch): Promise<{ written: number; dropped: number; rejected: number }> {
    const { maxAttempts, initialBackoffMs, maxBackoffMs } = this.cfg.queue.retry;
    const n = batchLength(batch);
    let last: AttemptResult = 'failed';
    this.refusedByPlugin = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      last = await this.attempt(batch, (err) => {
        const final = attempt === maxAttempts;
        const next = n > 1 ? 'isolating the entries at fault' : 'dropping the entry';
        return final ? `attempt ${attempt}/${maxAttempts} of ${n} entries; ${next}` : `attempt ${attempt}/${maxAttempts}, retrying`;
      });
      if (last === 'ok') {
        // the plugin took the batch but refused some records alone (ConsumeResult.dropped)
        const refused = Math.min(n, this.refusedByPlugin);
        return { written: n - refused, dropped: 0, rejected: refused };
      }
      if (attempt === maxAttempts || this.aborted) break;
      const base = Math.min(initialBackoffMs * 2 ** (attempt - 1), maxBackoffMs);
      // Jitter spreads retries of several lanes hitting the same backend.
      await this.sleep(base * (0.75 + Math.random() * 0.5));
      if (this.aborted) break;
    }
    if (last === 'timeout' || this.aborted) return { written: 0, dropped: n, rejected: 0 };
    this.refusedByPlugin = 0;
    const r = await isolateFailures(batch, (piece) => this.attempt(piece, () => 'isolating'), () => this.aborted);
    const refused = Math.min(r.written, this.refusedByPlugin);
    r.written -= refused;
    r.rejected += refused;
    const parts = [`${r.written} written`, `${r.rejected} rejected alone`];
    if (r.dropped) parts.push(`${r.dropped} dropped as a group (the failure is not about single records)`);
    this.log(`plugin ${this.name}: batch of ${n} after ${r.attempts} isolation tries: ${parts.join(', ')}`);
    if (r.written > 0) this.progressed();
    return r;
  }

  /** One consume() call; failures are counted and reported (rate-limited). */
  private async attempt(batch: Batch, what: (err: unknown) => string): Promise<AttemptResult> {
    try {
      const result = await this.consumeOnce(batch);
      const dropped = result?.dropped;
      if (typeof dropped === 'number' && dropped > 0) this.refusedByPlugin += Math.floor(dropped);
      return 'ok';
    } catch (err) {
      this.c.errors++;
      this.reportError(err, what(err));
      return err instanceof ConsumeTimeout ? 'timeout' : 'failed';
    }
  }

  private consumeOnce(batch: Batch): Promise<ConsumeResult | void> {
    const timeoutMs = this.cfg.queue.consumeTimeoutMs;
    const slab = slabSeqOf(batch);
    if (slab !== Infinity) this.slabsInCalls.push(slab);
    // Sync throws and rejections both land in the catch of attempt().
    const run = new Promise<ConsumeResult | void>((resolve, reject) => {
      try {
        // Lines reach only a lane that wantsLines (offer() reads them back otherwise).
        const result = isLines(batch) ? this.instance.consumeLines!(batch) : this.instance.consume(batch);
        Promise.resolve(result).then(resolve, reject);
      } catch (err) {
        reject(err);
      }
    });
    if (slab !== Infinity) {
      // Held until the plugin's own call settles, however long after a timeout that is.
      const release = () => {
        const i = this.slabsInCalls.indexOf(slab);
        if (i >= 0) this.slabsInCalls.splice(i, 1);
      };
      run.then(release, release);
    }
    if (!timeoutMs) return run;
    return new Promise<ConsumeResult | void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ConsumeTimeout(timeoutMs)), timeoutMs);
      run.then(
        (result) => (clearTimeout(timer), resolve(result)),
        (err: unknown) => (clearTimeout(timer), reject(err)),
      );
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((this.wakeSleep = undefined), resolve()), ms);
      this.wakeSleep = () => (clearTimeout(timer), (this.wakeSleep = undefined), resolve());
    });
  }

  private reportError(err: unknown, what: string): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) {
      this.suppressedErrors++;
      return;
    }
    const msg = err instanceof Error ? err.message : String(err);
    const extra = this.suppressedErrors ? ` (${this.suppressedErrors} more errors since last report)` : '';
    this.log(`plugin ${this.name}: consume failed: ${msg}; ${what}${extra}`);
    this.lastErrorLog = now;
    this.suppressedErrors = 0;
  }

  /**
   * Waits until the queue is empty or the deadline passes; then stops the lane,
   * counting whatever is left (queued and a hung in-flight batch) as dropped.
   */
  async drain(deadline: number): Promise<void> {
    const idle = new Promise<void>((resolve) => {
      if (!this.pumping && this.c.queued === 0) resolve();
      else this.idleWaiters.push(resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    await Promise.race([idle, late]);
    clearTimeout(timer);
    this.abort();
  }

  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.wakeSleep?.();
    const left = this.c.queued + this.c.inFlight;
    if (left) this.log(`plugin ${this.name}: shutdown deadline reached, dropping ${left} entries`);
    this.c.dropped += left;
    this.c.queued = 0;
    this.c.queuedBytes = 0;
    this.c.inFlight = 0;
    this.queue.clear();
    for (const w of this.spaceWaiters.splice(0)) w();
  }
}

class ConsumeTimeout extends Error {
  constructor(ms: number) {
    super(`consume() did not settle within ${ms} ms`);
    this.name = 'ConsumeTimeout';
  }
}

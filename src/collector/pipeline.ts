/**
 * One plugin's lane: its compiled filter, its bounded queue, a pump that feeds
 * consume() one (coalesced) batch at a time, retries with exponential backoff,
 * and its counters. Lanes share nothing, so a plugin that hangs or throws only
 * fills and drops its own queue; the receiver never awaits a plugin.
 *
 * Invariant (checked by tests): received = written + dropped + queued + inFlight.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import type { ConsumeResult, PluginInstance } from '../plugins/api.js';
import type { PluginConfig } from './config-types.js';
import { compileFilter, type EntryPredicate } from './filter.js';

export interface PluginCounters {
  /** Entries that passed the filter and were offered to the queue. */
  received: number;
  /** Entries the filter turned away. */
  filtered: number;
  /** Entries a consume() call accepted. */
  written: number;
  /** Entries lost: queue full, retries exhausted, or left over at the shutdown deadline. */
  dropped: number;
  /** Failed consume() attempts (each retry that fails counts). */
  errors: number;
  /** Entries waiting in the queue now. */
  queued: number;
  /** Entries inside a consume() call now. */
  inFlight: number;
}

export type LineLogger = (line: string) => void;

const ERROR_LOG_INTERVAL_MS = 5_000;
const EMPTY: readonly LogEntry[] = [];

export class PluginPipeline {
  readonly name: string;
  private readonly predicate: EntryPredicate | undefined;
  private readonly batches: (readonly LogEntry[])[] = [];
  private head = 0;
  private readonly c: PluginCounters = { received: 0, filtered: 0, written: 0, dropped: 0, errors: 0, queued: 0, inFlight: 0 };
  private pumping = false;
  private aborted = false;
  private wakeSleep: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private lastErrorLog = 0;
  private suppressedErrors = 0;

  constructor(
    private readonly cfg: PluginConfig,
    private readonly instance: PluginInstance,
    private readonly log: LineLogger,
  ) {
    this.name = cfg.name;
    this.predicate = compileFilter(cfg.filter);
  }

  counters(): PluginCounters {
    return { ...this.c };
  }

  /** True when this lane is in `block` mode and at capacity: the receiver should wait. */
  get blocking(): boolean {
    return this.cfg.queue.whenFull === 'block' && this.c.queued >= this.cfg.queue.maxEntries && !this.aborted;
  }

  waitForSpace(): Promise<void> {
    if (!this.blocking) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Filters and enqueues; never awaits the plugin. */
  offer(batch: readonly LogEntry[]): void {
    let accepted = batch;
    if (this.predicate) {
      const pred = this.predicate;
      accepted = batch.filter((e) => pred(e));
      this.c.filtered += batch.length - accepted.length;
    }
    const n = accepted.length;
    if (n === 0) return;
    this.c.received += n;
    if (this.aborted) {
      this.c.dropped += n;
      return;
    }
    const room = this.cfg.queue.maxEntries - this.c.queued;
    // `block` lanes take the whole batch (the receiver waits before reading more);
    // `drop_newest` lanes keep what fits and drop the rest.
    if (this.cfg.queue.whenFull === 'drop_newest' && n > room) {
      this.c.dropped += n - Math.max(room, 0);
      if (room <= 0) return;
      accepted = accepted.slice(0, room);
    }
    this.batches.push(accepted);
    this.c.queued += accepted.length;
    if (!this.pumping) void this.pump();
  }

  /** Takes up to batchMaxEntries queued entries as one batch. */
  private take(): readonly LogEntry[] {
    const max = this.cfg.queue.batchMaxEntries;
    const first = this.batches[this.head]!;
    let out: readonly LogEntry[];
    if (first.length > max) {
      out = first.slice(0, max);
      this.batches[this.head] = first.slice(max);
    } else {
      // Each taken slot is emptied at once: the array is compacted only now and
      // then, and a slot still holding its batch would keep written entries alive.
      this.batches[this.head++] = EMPTY;
      const parts: (readonly LogEntry[])[] = [first];
      let size = first.length;
      while (this.head < this.batches.length && size + this.batches[this.head]!.length <= max) {
        const next = this.batches[this.head]!;
        this.batches[this.head++] = EMPTY;
        parts.push(next);
        size += next.length;
      }
      out = parts.length === 1 ? first : parts.flat();
    }
    if (this.head > 1024 || this.head === this.batches.length) {
      this.batches.splice(0, this.head);
      this.head = 0;
    }
    this.c.queued -= out.length;
    if (this.spaceWaiters.length && !this.blocking) for (const w of this.spaceWaiters.splice(0)) w();
    return out;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.aborted && this.c.queued > 0) {
        const batch = this.take();
        this.c.inFlight = batch.length;
        // -1: failed after its retries; else how many entries the plugin dropped alone.
        const refused = await this.deliver(batch);
        // An abort during a hung consume() has already counted the batch as dropped.
        if (this.aborted && this.c.inFlight === 0) break;
        this.c.inFlight = 0;
        if (refused < 0) this.c.dropped += batch.length;
        else {
          this.c.written += batch.length - refused;
          this.c.dropped += refused;
        }
      }
    } finally {
      this.pumping = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async deliver(batch: readonly LogEntry[]): Promise<number> {
    const { maxAttempts, initialBackoffMs, maxBackoffMs } = this.cfg.queue.retry;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const result = await this.consumeOnce(batch);
        return Math.min(batch.length, Math.max(0, result?.dropped ?? 0));
      } catch (err) {
        this.c.errors++;
        const last = attempt === maxAttempts;
        this.reportError(err, last ? `dropping ${batch.length} entries after ${attempt} attempts` : `attempt ${attempt}/${maxAttempts}, retrying`);
        if (last || this.aborted) return -1;
        const base = Math.min(initialBackoffMs * 2 ** (attempt - 1), maxBackoffMs);
        // Jitter spreads retries of several lanes hitting the same backend.
        await this.sleep(base * (0.75 + Math.random() * 0.5));
        if (this.aborted) return -1;
      }
    }
    return -1;
  }

  private consumeOnce(batch: readonly LogEntry[]): Promise<ConsumeResult | void> {
    const timeoutMs = this.cfg.queue.consumeTimeoutMs;
    // Sync throws and rejections both land in the catch of deliver().
    const run = new Promise<ConsumeResult | void>((resolve, reject) => {
      try {
        Promise.resolve(this.instance.consume(batch)).then(resolve, reject);
      } catch (err) {
        reject(err);
      }
    });
    if (!timeoutMs) return run;
    return new Promise<ConsumeResult | void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consume() did not settle within ${timeoutMs} ms`)), timeoutMs);
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
    this.c.inFlight = 0;
    this.batches.length = 0;
    this.head = 0;
    for (const w of this.spaceWaiters.splice(0)) w();
  }
}

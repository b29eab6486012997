/**
 * Batches records for an exporter without ever blocking the application.
 *
 * OTel's BatchLogRecordProcessor holds 2,048 records by default, so a burst in
 * one synchronous loop loses everything past that. This one queues up to
 * `maxQueueSize` records (131,072 by default: about 55 MB at the 424 bytes a
 * queued record takes in bench/sdk-emit), counts what it must drop beyond
 * that, and exports full batches as soon as the application yields, keeping pace
 * with the application within a few milliseconds per event-loop turn so the
 * application keeps its turns too.
 *
 * Counting is exact, record by record: an exporter whose FAILED result carries
 * `error.droppedRecords` (distlog's ZmqLogRecordExporter does) lost only those
 * records of the batch; any other failed export lost the whole batch. An exporter
 * with `subscribeLateLoss()` reports records it lost after calling back (ZeroMQ
 * still held them at its shutdown deadline). At shutdown, what is still queued at
 * the deadline is dropped and counted.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ForceFlushOptions, LogRecordExporter, LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';

export interface BatchOptions {
  /** Where batches go. */
  exporter: LogRecordExporter;
  /** Records held at most; beyond it records are dropped and counted. Default 131072. */
  maxQueueSize?: number;
  /** Records per export call. Default 1024. */
  maxExportBatchSize?: number;
  /** How long a partial batch may wait. Default 200 ms. */
  scheduledDelayMillis?: number;
  /** An export that has not called back by then counts as failed. Default 10000 ms. */
  exportTimeoutMillis?: number;
}

export interface BatchStats {
  /** Records waiting in the queue now. */
  queued: number;
  /** Records the exporter took (for distlog's exporter: handed to ZeroMQ, not lost at close). */
  exported: number;
  /** Records lost in this pipeline, each counted once: queue full, dropped by the exporter, or not delivered by the shutdown deadline. */
  dropped: number;
  /** Of `dropped`: refused because the queue was full. */
  droppedQueueFull: number;
  /** Export calls that failed (in part or whole) or timed out. */
  failedExports: number;
}

/** Most export work done in one event-loop turn before the app gets the loop back. */
const TURN_BUDGET_MS = 4;

const DEFAULTS: Required<Omit<BatchOptions, 'exporter'>> = {
  maxQueueSize: 131_072,
  maxExportBatchSize: 1024,
  scheduledDelayMillis: 200,
  exportTimeoutMillis: 10_000,
};

/**
 * Exporters that accept a deadline in forceFlush/shutdown (`{ timeoutMillis }`, as
 * OTel's processors take it), like ZmqLogRecordExporter. Others ignore the argument.
 */
type DeadlineAware = {
  forceFlush(options?: ForceFlushOptions): Promise<void>;
  shutdown(options?: ForceFlushOptions): Promise<void>;
  subscribeLateLoss?(listener: (records: number) => void): void;
};

/**
 * Exporters that can encode a batch before exporting it (ZmqLogRecordExporter):
 * a sealed batch is prepared on the next turn, so that while the exporter is
 * busy the queue holds encoded bytes, not SDK records. Records that wait long
 * as objects get promoted by the garbage collector, which then costs the app
 * more than logging them (bench/e2e; figures in the README). prepare() must not
 * throw; exportPrepared() gives the result export() would give for the batch's
 * records.
 */
type Preparing = {
  prepare(records: ReadableLogRecord[]): Prepared;
  exportPrepared(batch: Prepared, resultCallback: (result: ExportResult) => void): void;
};
type Prepared = { readonly records: number };
/** A sealed batch: its records, or what the exporter prepared of them. */
type Batch = ReadableLogRecord[] | Prepared;

function sizeOf(batch: Batch): number {
  return Array.isArray(batch) ? batch.length : batch.records;
}

export class DistlogBatchProcessor implements LogRecordProcessor {
  private readonly opts: Required<Omit<BatchOptions, 'exporter'>>;
  private readonly exporter: LogRecordExporter & DeadlineAware;
  /** The exporter, when it has both halves of the Preparing contract (a lone `prepare` may mean something else). */
  private readonly preparing: Preparing | undefined;
  /** Whether to prepare waiting batches: off for other exporters, and for good once prepare() breaks its contract. */
  private prepareAhead: boolean;
  private ready: Batch[] = [];
  private filling: ReadableLogRecord[] = [];
  private queued = 0;
  /** Records of the batch being exported now (part of `queued`). */
  private inFlight = 0;
  private exporting = false;
  private drainScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly counters = { exported: 0, dropped: 0, droppedQueueFull: 0, failedExports: 0 };
  private warnedDrop = false;

  constructor(options: BatchOptions) {
    const { exporter, ...rest } = options;
    this.exporter = exporter as LogRecordExporter & DeadlineAware;
    const p = exporter as Partial<Preparing>;
    this.preparing = typeof p.prepare === 'function' && typeof p.exportPrepared === 'function' ? (p as Preparing) : undefined;
    this.prepareAhead = this.preparing !== undefined;
    this.opts = { ...DEFAULTS, ...rest };
    this.exporter.subscribeLateLoss?.((records) => {
      this.counters.exported -= records;
      this.counters.dropped += records;
    });
  }

  stats(): BatchStats {
    return { queued: this.queued, ...this.counters };
  }

  onEmit(record: SdkLogRecord): void {
    if (this.isShutdown) {
      this.counters.dropped++;
      return;
    }
    if (this.queued >= this.opts.maxQueueSize) {
      this.counters.dropped++;
      this.counters.droppedQueueFull++;
      if (!this.warnedDrop) {
        this.warnedDrop = true;
        diag.warn(`distlog: log queue full (${this.opts.maxQueueSize} records); dropping records until the exporter catches up`);
      }
      return;
    }
    this.filling.push(record);
    this.queued++;
    if (this.filling.length >= this.opts.maxExportBatchSize) {
      this.ready.push(this.filling);
      this.filling = [];
      this.scheduleDrain();
    } else if (this.timer === undefined && !this.exporting) {
      this.startDelayTimer();
    }
  }

  /** A partial batch waits at most scheduledDelayMillis (unref'd: it must not keep the app alive). */
  private startDelayTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sealFilling();
      this.drain();
    }, this.opts.scheduledDelayMillis);
    this.timer.unref();
  }

  private sealFilling(): void {
    if (this.filling.length > 0) {
      this.ready.push(this.filling);
      this.filling = [];
    }
  }

  /** Export (or prepare, while an export is under way) on a later turn, never inside the application's call. */
  private scheduleDrain(): void {
    if (this.drainScheduled || (this.exporting && !this.prepareAhead)) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /**
   * Exports ready batches, one after another while the exporter answers at once,
   * within a turn's budget: at most the batches that were ready when the turn
   * began (so the pipeline keeps pace with an app that logs more than one batch
   * per turn: a queue that only grows holds records long enough for the garbage
   * collector to promote them, the largest cost per record in bench/sdk-emit),
   * and at most TURN_BUDGET_MS of work (so the app keeps its turns in a burst).
   */
  private drain(): void {
    const started = performance.now();
    if (!this.exporting) this.exportReady(started);
    if (this.exporting) this.prepareReady(started);
  }

  private exportReady(started: number): void {
    let budget = Math.max(1, this.ready.length);
    for (;;) {
      const batch = this.ready.shift();
      if (batch === undefined) {
        if (this.filling.length > 0 && this.timer === undefined) {
          // a partial batch is waiting: give it its scheduled delay
          this.startDelayTimer();
        } else if (this.filling.length === 0) {
          this.notifyIdle();
        }
        return;
      }
      this.exporting = true;
      let answered = false;
      let inTurn = true;
      this.exportOne(batch, () => {
        this.exporting = false;
        answered = true;
        // An answer on a later turn starts the next drain on the turn after it.
        if (!inTurn) this.scheduleDrain();
      });
      inTurn = false;
      if (!answered) return; // the exporter works on; its answer schedules the next
      if (--budget === 0 || performance.now() - started >= TURN_BUDGET_MS) {
        this.scheduleDrain();
        return;
      }
    }
  }

  /** While the exporter works on a batch: prepares the ones waiting, within the turn's budget. */
  private prepareReady(started: number): void {
    const preparing = this.preparing;
    if (preparing === undefined || !this.prepareAhead) return;
    const ready = this.ready;
    for (let i = 0; i < ready.length; i++) {
      const batch = ready[i]!;
      if (!Array.isArray(batch)) continue;
      if (performance.now() - started >= TURN_BUDGET_MS) {
        this.scheduleDrain();
        return;
      }
      let prepared: Prepared | undefined;
      try {
        prepared = preparing.prepare(batch);
      } catch (err) {
        diag.error('distlog: exporter threw in prepare(); exporting its batches unprepared from now on', err);
      }
      if (prepared === undefined || prepared.records !== batch.length) {
        // A prepare() that breaks its contract is not called again: the batch stays as
        // it is (export() takes it), and no turn is spent on it twice.
        this.prepareAhead = false;
        return;
      }
      ready[i] = prepared;
    }
  }

  private exportOne(batch: Batch, done: () => void): void {
    const size = sizeOf(batch);
    let settled = false;
    let timedOut = false;
    const finish = (result: ExportResult | undefined): void => {
      if (settled) {
        // A late answer after the timeout: correct the counts (the timeout assumed all lost).
        if (timedOut && result !== undefined) {
          const lost = lostRecords(result, size);
          this.counters.dropped -= size - lost;
          this.counters.exported += size - lost;
          timedOut = false;
        }
        return;
      }
      settled = true;
      clearTimeout(deadline);
      this.queued -= size;
      this.inFlight = 0;
      if (result === undefined) {
        timedOut = true;
        this.counters.failedExports++;
        this.counters.dropped += size;
      } else {
        const lost = lostRecords(result, size);
        this.counters.exported += size - lost;
        this.counters.dropped += lost;
        if (result.code !== ExportResultCode.SUCCESS) this.counters.failedExports++;
      }
      done();
    };
    // Not unref'd: a flush waiting on this export must be able to see it time out.
    const deadline = setTimeout(() => finish(undefined), this.opts.exportTimeoutMillis);
    this.inFlight = size;
    try {
      if (Array.isArray(batch)) this.exporter.export(batch, finish);
      else this.preparing!.exportPrepared(batch, finish);
    } catch (err) {
      diag.error('distlog: exporter threw', err);
      finish({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Exports everything queued now, then flushes the exporter; resolves when done or
   * at the deadline (records still queued then stay queued: flushing is not losing).
   */
  async forceFlush(options?: ForceFlushOptions): Promise<void> {
    const timeoutMs = options?.timeoutMillis;
    const deadlineAt = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    await this.exportQueued(deadlineAt);
    await this.exporter.forceFlush(remaining(deadlineAt));
  }

  private exportQueued(deadlineAt: number | undefined): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.sealFilling();
    if (this.queued === 0) return Promise.resolve();
    const emptied = new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.drain();
    });
    if (deadlineAt === undefined) return emptied;
    return new Promise<void>((resolve) => {
      // ref'd on purpose (the exit flush must not be cut short) and bounded by the deadline.
      const t = setTimeout(resolve, Math.max(0, deadlineAt - performance.now()));
      void emptied.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /**
   * Delivers what is queued within the deadline (default: none, i.e. the
   * exporter's own), then shuts the exporter down with the time left. Records
   * still queued at the deadline are dropped and counted. Safe to call twice.
   */
  shutdown(options?: ForceFlushOptions): Promise<void> {
    const timeoutMs = options?.timeoutMillis;
    this.shutdownPromise ??= this.doShutdown(timeoutMs === undefined ? undefined : performance.now() + timeoutMs);
    return this.shutdownPromise;
  }

  private async doShutdown(deadlineAt: number | undefined): Promise<void> {
    await this.exportQueued(deadlineAt);
    this.isShutdown = true;
    // Whatever is left was not delivered by the deadline (the batch in the
    // exporter's hands, if any, is the exporter's to count).
    const left = this.queued - this.inFlight;
    if (left > 0) {
      this.counters.dropped += left;
      this.ready = [];
      this.filling = [];
      this.queued = this.inFlight;
    }
    await this.exporter.shutdown(remaining(deadlineAt));
  }
}

function remaining(deadlineAt: number | undefined): ForceFlushOptions | undefined {
  return deadlineAt === undefined ? undefined : { timeoutMillis: Math.max(0, deadlineAt - performance.now()) };
}

/** Records of a batch an export result says were lost. */
function lostRecords(result: ExportResult, batchLength: number): number {
  if (result.code === ExportResultCode.SUCCESS) return 0;
  const n = (result.error as { droppedRecords?: unknown } | undefined)?.droppedRecords;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= batchLength ? n : batchLength;
}

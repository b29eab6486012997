/**
 * Batches records for an exporter without ever blocking the application.
 *
 * OTel's BatchLogRecordProcessor holds 2,048 records by default, so a burst in
 * one synchronous loop loses everything past that. This one queues up to
 * `maxQueueSize` records (131,072 by default: about 55 MB at the 424 bytes a
 * queued record takes in bench/sdk-emit), counts what it must drop beyond
 * that, and exports full batches as soon as the application yields.
 * Records wait in a list of ready batches, so enqueue and dequeue are O(1).
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';

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
  queued: number;
  exported: number;
  dropped: number;
  failedExports: number;
  failedRecords: number;
}

const DEFAULTS: Required<Omit<BatchOptions, 'exporter'>> = {
  maxQueueSize: 131_072,
  maxExportBatchSize: 1024,
  scheduledDelayMillis: 200,
  exportTimeoutMillis: 10_000,
};

export class DistlogBatchProcessor implements LogRecordProcessor {
  private readonly opts: Required<Omit<BatchOptions, 'exporter'>>;
  private readonly exporter: LogRecordExporter;
  private ready: ReadableLogRecord[][] = [];
  private filling: ReadableLogRecord[] = [];
  private queued = 0;
  private exporting = false;
  private drainScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private isShutdown = false;
  private readonly counters = { exported: 0, dropped: 0, failedExports: 0, failedRecords: 0 };
  private warnedDrop = false;

  constructor(options: BatchOptions) {
    const { exporter, ...rest } = options;
    this.exporter = exporter;
    this.opts = { ...DEFAULTS, ...rest };
  }

  stats(): BatchStats {
    return { queued: this.queued, ...this.counters };
  }

  onEmit(record: SdkLogRecord): void {
    if (this.isShutdown) return;
    if (this.queued >= this.opts.maxQueueSize) {
      this.counters.dropped++;
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

  /** Export on the next turn, never inside the application's call. */
  private scheduleDrain(): void {
    if (this.drainScheduled || this.exporting) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.exporting) return;
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
    this.exportOne(batch, () => {
      this.exporting = false;
      this.drain();
    });
  }

  private exportOne(batch: ReadableLogRecord[], done: () => void): void {
    let settled = false;
    const finish = (result: ExportResult | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      this.queued -= batch.length;
      if (result?.code === ExportResultCode.SUCCESS) {
        this.counters.exported += batch.length;
      } else {
        this.counters.failedExports++;
        this.counters.failedRecords += batch.length;
      }
      done();
    };
    // Not unref'd: a flush waiting on this export must be able to see it time out.
    const deadline = setTimeout(() => finish(undefined), this.opts.exportTimeoutMillis);
    try {
      this.exporter.export(batch, finish);
    } catch (err) {
      diag.error('distlog: exporter threw', err);
      finish(undefined);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Exports everything queued now; resolves when the queue is empty (or the exports failed). */
  forceFlush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.sealFilling();
    if (this.queued === 0) return this.exporter.forceFlush?.() ?? Promise.resolve();
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.drain();
    }).then(() => this.exporter.forceFlush?.());
  }

  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    await this.forceFlush();
    this.isShutdown = true;
    await this.exporter.shutdown();
  }
}

/**
 * ZmqLogRecordExporter: OpenTelemetry's LogRecordExporter over a ZeroMQ PUSH
 * socket to distlogd.
 *
 * One export() call → at most one message per kind (`L` logs, `P` performance
 * data), each `[topic, payload]` with the batch meta {producer, seq} filled so
 * delivery accounting can be added later without a wire change.
 *
 * Contract with the application (DESIGN.md "Conventions"): export() never
 * throws and never waits longer than about sendTimeoutMs before calling back;
 * every record that does not reach ZeroMQ is counted as dropped; shutdown() is
 * safe to call twice and leaves nothing that keeps the process alive.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeBatch, formatTopic, ResourceCache, toLogEntry, type Encoding } from '../protocol/index.js';
import type { KindCode, LogEntry, SystemCode } from '../protocol/log-entry.js';
import { resolveOptions, type ResolvedZmqExporterOptions, type ZmqExporterOptions } from './options.js';
import { PushTransport, TransportError, type Frames } from './transport.js';

export interface ZmqExporterStats {
  /** Messages handed to ZeroMQ for a connected collector. */
  sentMessages: number;
  /** Records in those messages. */
  sentRecords: number;
  /** Payload bytes of those messages (topic frames not counted). */
  sentBytes: number;
  /** Records that never reached ZeroMQ: send timeout, full queue, shutdown, unmappable or unencodable. */
  droppedRecords: number;
  /** Messages that failed to send (each counts its records in droppedRecords). */
  failedMessages: number;
  /** export() calls that called back FAILED. */
  failedExports: number;
  /** Messages waiting for or in a send right now. */
  pendingMessages: number;
  /** The last failure, for a status line; undefined when none yet. */
  lastError: string | undefined;
}

type Callback = (result: ExportResult) => void;

/**
 * Tracks one export() call across its (one or two) messages so the callback
 * fires once, after the last message settled, with FAILED if any part failed.
 */
class ExportCall {
  remaining = 0;
  error: Error | undefined;
  finished = false;
  constructor(readonly callback: Callback) {}
}

export class ZmqLogRecordExporter implements LogRecordExporter {
  readonly options: ResolvedZmqExporterOptions;
  private readonly transport: PushTransport;
  private readonly resources = new ResourceCache();
  private readonly system: SystemCode;
  private readonly encoding: Encoding;
  private readonly topicLog: Buffer;
  private readonly topicPerf: Buffer;
  private seq = 0;
  private shutdownPromise: Promise<void> | undefined;
  private readonly counters = {
    sentMessages: 0,
    sentRecords: 0,
    sentBytes: 0,
    droppedRecords: 0,
    failedMessages: 0,
    failedExports: 0,
    lastError: undefined as string | undefined,
  };

  constructor(options: ZmqExporterOptions = {}) {
    this.options = resolveOptions(options);
    this.system = this.options.system;
    this.encoding = this.options.encoding;
    // Built once: formatTopic validates, and an unknown encoding must fail here,
    // at setup, not on the first export.
    this.topicLog = formatTopic({ system: this.system, kind: 'L', encoding: this.encoding });
    this.topicPerf = formatTopic({ system: this.system, kind: 'P', encoding: this.encoding });
    this.transport = new PushTransport(this.options);
  }

  /** A snapshot of the counters. */
  stats(): ZmqExporterStats {
    return { ...this.counters, pendingMessages: this.transport.pending };
  }

  export(logs: ReadableLogRecord[], resultCallback: Callback): void {
    const call = new ExportCall(resultCallback);
    try {
      if (this.shutdownPromise !== undefined) {
        this.drop(logs.length, new Error('ZmqLogRecordExporter: export after shutdown'), call);
        this.finish(call);
        return;
      }
      let logEntries: LogEntry[] | undefined;
      let perfEntries: LogEntry[] | undefined;
      for (let i = 0; i < logs.length; i++) {
        let entry: LogEntry;
        try {
          entry = toLogEntry(logs[i]!, this.system, this.resources);
        } catch (err) {
          // One malformed record must not cost its batch-mates their delivery.
          this.drop(1, asError(err, 'cannot map log record'), call);
          continue;
        }
        if (entry.kind === 'P') (perfEntries ??= []).push(entry);
        else (logEntries ??= []).push(entry);
      }
      // Count both parts before sending either, so that a synchronous callback
      // from the first cannot finish the call early.
      if (logEntries !== undefined) call.remaining++;
      if (perfEntries !== undefined) call.remaining++;
      if (logEntries !== undefined) this.sendEntries(logEntries, 'L', call);
      if (perfEntries !== undefined) this.sendEntries(perfEntries, 'P', call);
      if (call.remaining === 0) this.finish(call);
    } catch (err) {
      // Last resort: nothing may escape into the application.
      this.drop(logs.length, asError(err, 'export failed'), call);
      call.remaining = 0;
      this.finish(call);
    }
  }

  /** Resolves once every message accepted so far was handed to ZeroMQ or dropped. */
  forceFlush(): Promise<void> {
    return this.transport.whenIdle();
  }

  /**
   * Waits (at most about sendTimeoutMs, the bound on any send) for messages in
   * progress, then closes the socket; ZeroMQ then has lingerMs to deliver what it
   * holds. Safe to call twice: both calls get the same promise.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  private async doShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      // The transport already bounds each send by sendTimeoutMs; this guards the
      // promise itself, so shutdown can never hang on a bug in that bound.
      timer = setTimeout(resolve, this.options.sendTimeoutMs + 500);
      timer.unref();
    });
    try {
      await Promise.race([this.transport.whenIdle(), deadline]);
    } finally {
      clearTimeout(timer);
      this.transport.close();
    }
  }

  private sendEntries(entries: LogEntry[], kind: KindCode, call: ExportCall): void {
    const seq = ++this.seq;
    let payload: Uint8Array;
    try {
      payload = encodeBatch(entries, this.encoding, { producer: this.options.producerId, seq });
    } catch (err) {
      const kept = this.keepEncodable(entries, call, err);
      if (kept.length === 0) {
        this.partDone(call);
        return;
      }
      try {
        payload = encodeBatch(kept, this.encoding, { producer: this.options.producerId, seq });
      } catch (err2) {
        this.drop(kept.length, asError(err2, 'cannot encode batch'), call);
        this.partDone(call);
        return;
      }
      entries = kept;
    }
    const frames: Frames = [kind === 'P' ? this.topicPerf : this.topicLog, payload];
    const count = entries.length;
    const bytes = payload.byteLength;
    this.transport.send(frames, (error: TransportError | undefined) => {
      if (error === undefined) {
        this.counters.sentMessages++;
        this.counters.sentRecords += count;
        this.counters.sentBytes += bytes;
      } else {
        this.counters.failedMessages++;
        this.drop(count, error, call);
      }
      this.partDone(call);
    });
  }

  /**
   * The batch did not encode (a value the encoding cannot carry, e.g. a BigInt or
   * a cycle in a body): find and drop the records at fault, keep the rest. Slow,
   * but only on this error path.
   */
  private keepEncodable(entries: LogEntry[], call: ExportCall, cause: unknown): LogEntry[] {
    const kept: LogEntry[] = [];
    let firstError: unknown;
    for (const entry of entries) {
      try {
        encodeBatch([entry], this.encoding);
        kept.push(entry);
      } catch (err) {
        firstError ??= err;
      }
    }
    const dropped = entries.length - kept.length;
    if (dropped > 0) this.drop(dropped, asError(firstError ?? cause, 'cannot encode record'), call);
    return kept;
  }

  private drop(records: number, error: Error, call: ExportCall): void {
    this.counters.droppedRecords += records;
    this.counters.lastError = error.message;
    call.error ??= error;
  }

  private partDone(call: ExportCall): void {
    if (--call.remaining === 0) this.finish(call);
  }

  private finish(call: ExportCall): void {
    // Guards the last-resort catch in export() against calling back twice.
    if (call.finished) return;
    call.finished = true;
    const { error } = call;
    if (error !== undefined) this.counters.failedExports++;
    try {
      call.callback(error === undefined ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error });
    } catch {
      // The processor's callback is not ours to crash on.
    }
  }
}

function asError(err: unknown, context: string): Error {
  if (err instanceof Error) return err;
  return new Error(`ZmqLogRecordExporter: ${context}: ${String(err)}`);
}

/**
 * ZmqLogRecordExporter: OpenTelemetry's LogRecordExporter over a ZeroMQ PUSH
 * socket to distlogd.
 *
 * One export() call -> one or more messages per kind (`L` logs, `P` performance
 * data), each `[topic, payload]` under maxMessageBytes, each carrying the batch
 * envelope {producer, seq, recordsBefore} (batch-envelope.ts). The default `O`
 * encoding is written straight from the SDK records (otlp-encoder.ts).
 *
 * Contract with the application (DESIGN.md "Conventions"): export() never throws
 * and calls back within about sendTimeoutMs (at once while no collector answers);
 * every record is either sent or counted in `droppedRecords`, exactly once; a
 * FAILED result's error says how many records of the batch were dropped
 * (`droppedRecords`), so a processor counts 1 lost record as 1, not the batch;
 * shutdown() keeps to its deadline and is safe to call twice.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR_KIND } from '../protocol/attributes.js';
import type { KindCode } from '../protocol/log-entry.js';
import { formatTopic } from '../protocol/topic.js';
import { BatchEnvelope, jsonSeqOffset, stampJsonSeq } from './batch-envelope.js';
import { emptyJsonPayload, otlpToJson } from './json-payload.js';
import { resolveOptions, type ResolvedZmqExporterOptions, type ZmqExporterOptions } from './options.js';
import { OtlpBatchEncoder, type EncodeSink } from './otlp-encoder.js';
import { UnencodableRecordError } from './otlp-writer.js';
import { PushTransport, TransportError, type MessageTransport, type OutgoingMessage } from './transport.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Why records were dropped; the counts add up to `droppedRecords`. */
export interface DropReasons {
  /** A send waited sendTimeoutMs and no collector took it. */
  timeout: number;
  /** No collector was ready (after a timeout): dropped without waiting. */
  unreachable: number;
  /** The exporter's own send queue was full. */
  queueFull: number;
  /** The record could not be encoded, or is bigger than maxMessageBytes. */
  unencodable: number;
  /** Not delivered by the shutdown deadline, exported after shutdown, or held by ZeroMQ at close. */
  shutdown: number;
  /** Any other socket error. */
  socket: number;
}

export interface ZmqExporterStats {
  /** Data messages handed to ZeroMQ and not lost at close. */
  sentMessages: number;
  /** Records in those messages. */
  sentRecords: number;
  /** Payload bytes of those messages (topic frames not counted). */
  sentBytes: number;
  /** Records that did not reach the collector as far as this process can tell; each counted once. */
  droppedRecords: number;
  /**
   * Records of the one message ZeroMQ may have been writing when a shutdown
   * deadline passed with the collector not reading: delivered or not, nobody can
   * tell without acknowledgements. Not in sent, not in dropped. 0 whenever
   * shutdown finished within its deadline.
   */
  inDoubtRecords: number;
  droppedBy: DropReasons;
  /** Messages that failed to send (their records are in droppedRecords). */
  failedMessages: number;
  /** export() calls that called back FAILED. */
  failedExports: number;
  /** Messages waiting for or in a send right now. */
  pendingMessages: number;
  /** False while no collector is ready (records are dropped at once). */
  collectorReachable: boolean;
  /** The last failure, for a status line; undefined when none yet. */
  lastError: string | undefined;
}

/** The error of a FAILED export: how many of the batch's records were dropped (the rest were sent). */
export class DroppedRecordsError extends Error {
  override readonly name = 'DroppedRecordsError';
  constructor(
    readonly droppedRecords: number,
    readonly first: Error,
  ) {
    super(`${droppedRecords} record${droppedRecords === 1 ? '' : 's'} dropped: ${first.message}`, { cause: first });
  }
}

type Callback = (result: ExportResult) => void;

/**
 * A batch encoded ahead of its export (prepare()): its messages' payloads, and
 * the records that could not be encoded, counted when it is exported. `logs`
 * instead when it was not encoded ahead (no collector, closing, an encoder
 * failure): export then handles it as export() would.
 */
interface EncodedBatch {
  readonly records: number;
  readonly logs?: ReadableLogRecord[];
  readonly parts: Array<{ topic: Buffer; payload: Buffer; records: number }>;
  readonly unencodable: Array<{ records: number; error: Error }>;
}

/** One export() call across its messages: calls back once, after the last one settled. */
class ExportCall {
  remaining = 0;
  dropped = 0;
  firstError: Error | undefined;
  finished = false;
  constructor(readonly callback: Callback) {}
}

export class ZmqLogRecordExporter implements LogRecordExporter {
  readonly options: ResolvedZmqExporterOptions;
  private readonly transport: MessageTransport;
  private readonly envelope: BatchEnvelope;
  private readonly encoder: OtlpBatchEncoder;
  private readonly topicLog: Buffer;
  private readonly topicPerf: Buffer;
  private shutdownPromise: Promise<void> | undefined;
  private closing = false;
  private warned = false;
  private lateLossListeners: Array<(records: number) => void> = [];
  private readonly counters = {
    sentMessages: 0,
    sentRecords: 0,
    sentBytes: 0,
    droppedRecords: 0,
    failedMessages: 0,
    failedExports: 0,
    inDoubtRecords: 0,
    lastError: undefined as string | undefined,
  };
  private readonly droppedBy: DropReasons = { timeout: 0, unreachable: 0, queueFull: 0, unencodable: 0, shutdown: 0, socket: 0 };

  /**
   * `internal.transport` replaces the ZeroMQ socket (benchmarks measure the
   * exporter's own work with a null transport); applications never pass it.
   */
  constructor(options: ZmqExporterOptions = {}, internal?: { transport?: MessageTransport }) {
    this.options = resolveOptions(options);
    // Built once: formatTopic validates, and an unknown encoding must fail here,
    // at setup, not on the first export.
    this.topicLog = formatTopic({ system: this.options.system, kind: 'L', encoding: this.options.encoding });
    this.topicPerf = formatTopic({ system: this.options.system, kind: 'P', encoding: this.options.encoding });
    if (this.options.encoding !== 'O' && this.options.encoding !== 'J') {
      throw new TypeError(`ZmqLogRecordExporter: invalid options:\n  encoding: "${this.options.encoding}" cannot be written; use O (OTLP protobuf) or J (JSON)`);
    }
    this.envelope = new BatchEnvelope(this.options.producerId);
    this.encoder = new OtlpBatchEncoder(this.options.system, this.envelope, this.options.maxMessageBytes - this.topicLog.length);
    this.transport = internal?.transport ?? new PushTransport(this.options);
  }

  /**
   * Records reported sent (export called back SUCCESS) can still be lost when
   * shutdown finds them held by ZeroMQ at its deadline; the listener hears how
   * many, so a processor's counters stay exact (DistlogBatchProcessor subscribes).
   */
  subscribeLateLoss(listener: (records: number) => void): void {
    this.lateLossListeners.push(listener);
  }

  /** A snapshot of the counters. */
  stats(): ZmqExporterStats {
    return {
      ...this.counters,
      droppedBy: { ...this.droppedBy },
      pendingMessages: this.transport.pending,
      collectorReachable: this.transport.reachable,
    };
  }

  export(logs: ReadableLogRecord[], resultCallback: Callback): void {
    this.exportBatch(logs.length, () => this.encodeBatch(logs), resultCallback);
  }

  /**
   * Encodes a batch now for a later exportPrepared(): DistlogBatchProcessor
   * calls it as soon as a batch is sealed, so that a batch waiting for a slow
   * collector is held as ~150 bytes a record instead of SDK record objects the
   * garbage collector would promote (measured in bench/e2e). Without a
   * collector, or closing, nothing is encoded ahead. Never throws.
   */
  prepare(logs: ReadableLogRecord[]): EncodedBatch {
    const unprepared: EncodedBatch = { records: logs.length, logs, parts: [], unencodable: [] };
    if (this.closing || !this.transport.reachable) return unprepared;
    try {
      return this.encodeBatch(logs);
    } catch {
      return unprepared; // export() meets the failure again and counts it
    }
  }

  /** Exports a batch prepare() made: the same result and counts as export() of its records. */
  exportPrepared(batch: EncodedBatch, resultCallback: Callback): void {
    if (batch.logs !== undefined) this.export(batch.logs, resultCallback);
    else this.exportBatch(batch.records, () => batch, resultCallback);
  }

  private exportBatch(records: number, encoded: () => EncodedBatch, resultCallback: Callback): void {
    const call = new ExportCall(resultCallback);
    try {
      if (this.closing) {
        this.drop(records, 'shutdown', new Error('ZmqLogRecordExporter: export after shutdown'), call);
      } else if (!this.transport.reachable) {
        // No collector: do not even encode what cannot be sent.
        this.drop(records, 'unreachable', new TransportError('unreachable', `no collector ready at ${this.options.endpoints.join(', ')}`), call);
      } else {
        this.send(encoded(), call);
      }
    } catch (err) {
      // Last resort: nothing may escape into the application. What was not yet
      // handed to a send is counted here; sends already started count themselves.
      this.drop(Math.max(0, records - call.dropped), 'unencodable', asError(err, 'export failed'), call);
      call.remaining = 0;
    }
    if (call.remaining === 0) this.finish(call);
  }

  /** The batch's messages to the transport, its unencodable records counted. */
  private send(batch: EncodedBatch, call: ExportCall): void {
    for (const u of batch.unencodable) this.drop(u.records, 'unencodable', u.error, call);
    const messages = batch.parts.map((m) => this.message(m.topic, m.payload, m.records, call));
    // Count every part before sending any, so that a synchronous callback from
    // the first cannot finish the call early.
    call.remaining += messages.length;
    for (const m of messages) this.transport.send(m);
  }

  private encodeBatch(logs: ReadableLogRecord[]): EncodedBatch {
    let perf: ReadableLogRecord[] | undefined;
    let plain: ReadableLogRecord[] = logs;
    for (let i = 0; i < logs.length; i++) {
      if ((logs[i]!.attributes as Record<string, unknown>)[ATTR_KIND] === 'P') {
        // Rare: split only when the batch holds performance records.
        perf = [];
        plain = [];
        for (const r of logs) ((r.attributes as Record<string, unknown>)[ATTR_KIND] === 'P' ? perf : plain).push(r);
        break;
      }
    }
    const batch: EncodedBatch = { records: logs.length, parts: [], unencodable: [] };
    if (plain.length > 0) this.encodeKind(plain, 'L', batch);
    if (perf !== undefined && perf.length > 0) this.encodeKind(perf, 'P', batch);
    return batch;
  }

  private encodeKind(records: ReadableLogRecord[], kind: KindCode, out: EncodedBatch): void {
    const topic = kind === 'P' ? this.topicPerf : this.topicLog;
    const sink: EncodeSink = {
      message: (payload, count) => {
        if (this.options.encoding === 'O') {
          out.parts.push({ topic, payload, records: count });
          return;
        }
        const limit = this.encoder.maxPayloadBytes;
        const drop = (n: number, error: Error): void => void out.unencodable.push({ records: n, error });
        for (const j of otlpToJson(payload, this.options.system, this.options.producerId, limit, drop)) {
          out.parts.push({ topic, payload: j.payload, records: j.records });
        }
      },
      drop: (n, error) => {
        diag.warn(`distlog exporter: ${error.message}; the record is dropped`);
        out.unencodable.push({ records: n, error });
      },
    };
    this.encoder.encode(records, sink);
  }

  private message(topic: Buffer, payload: Buffer, records: number, call: ExportCall | undefined): OutgoingMessage {
    const stamp = this.stamper(payload);
    const bytes = payload.byteLength;
    return {
      frames: [topic, payload],
      records,
      stamp,
      done: (error: TransportError | undefined) => {
        if (error === undefined) {
          if (records > 0) {
            this.counters.sentMessages++;
            this.counters.sentRecords += records;
            this.counters.sentBytes += bytes;
          }
        } else if (records > 0) {
          this.counters.failedMessages++;
          this.drop(records, reasonOf(error), error, call);
        }
        if (call !== undefined && --call.remaining === 0) this.finish(call);
      },
    };
  }

  private stamper(payload: Buffer): OutgoingMessage['stamp'] {
    if (this.options.encoding === 'O') {
      return (seq, recordsBefore) => this.envelope.stamp(payload, seq, recordsBefore);
    }
    const at = jsonSeqOffset(payload);
    return (seq) => stampJsonSeq(payload, at, seq);
  }

  /**
   * Resolves once every message accepted so far was handed to ZeroMQ (or
   * dropped) and ZeroMQ's queue is empty, or at the deadline (default
   * shutdownTimeoutMs; `{ timeoutMillis }` as OTel's processors take it), whichever comes first.
   */
  async forceFlush(options?: { timeoutMillis?: number }): Promise<void> {
    await this.transport.whenDrained(performance.now() + (options?.timeoutMillis ?? this.options.shutdownTimeoutMs));
  }

  /**
   * Delivers what was accepted within the deadline (default shutdownTimeoutMs),
   * then closes: whatever was not delivered by then, queued in JS or still held by
   * ZeroMQ, is counted as dropped. Safe to call twice: both calls get the same promise.
   */
  shutdown(options?: { timeoutMillis?: number }): Promise<void> {
    this.shutdownPromise ??= this.doShutdown(performance.now() + (options?.timeoutMillis ?? this.options.shutdownTimeoutMs));
    return this.shutdownPromise;
  }

  private async doShutdown(deadlineAt: number): Promise<void> {
    this.closing = true;
    try {
      const drained = await this.transport.whenDrained(deadlineAt);
      // Not drained with the breaker open: what was queued has failed, counted; go on.
      if (drained || !this.transport.reachable) {
        if (this.transport.sentMessages > 0) {
          // A collector that died holding our messages (the breaker is open): wait,
          // within the deadline, for one to be back. The closing batch's recordsBefore
          // then lets it count exactly what the dead one took down with it.
          while (!this.transport.reachable && performance.now() < deadlineAt) await sleep(50);
          // End of stream: once ZeroMQ took this empty batch, every data message
          // before it was written to TCP, and the collector learns the final seq.
          if (this.transport.reachable) {
            this.transport.send(this.message(this.topicLog, this.emptyPayload(), 0, undefined));
            await this.transport.whenDrained(deadlineAt);
          }
        }
      }
    } finally {
      const report = this.transport.close();
      if (report.inDoubtRecords > 0) {
        this.counters.sentRecords -= report.inDoubtRecords;
        this.counters.sentMessages -= report.inDoubtMessages;
        this.counters.inDoubtRecords += report.inDoubtRecords;
      }
      if (report.lostRecords > 0) {
        this.counters.sentRecords -= report.lostRecords;
        this.counters.sentMessages -= report.lostMessages;
        this.drop(report.lostRecords, 'shutdown', new Error(`ZmqLogRecordExporter: ${report.lostRecords} records still held by ZeroMQ at the shutdown deadline`), undefined);
        for (const listener of this.lateLossListeners) {
          try {
            listener(report.lostRecords);
          } catch {
            // a listener's failure is not the exporter's
          }
        }
      }
      // close() rejects a send blocked in ZeroMQ; its callback counts it.
      await this.transport.whenIdle();
    }
  }

  private emptyPayload(): Buffer {
    if (this.options.encoding === 'J') return emptyJsonPayload(this.options.producerId);
    return Buffer.from(this.envelope.template);
  }

  private drop(records: number, reason: keyof DropReasons, error: Error, call: ExportCall | undefined): void {
    if (records <= 0) return;
    this.counters.droppedRecords += records;
    this.droppedBy[reason] += records;
    this.counters.lastError = error.message;
    if (call !== undefined) {
      call.dropped += records;
      call.firstError ??= error;
    }
    if ((reason === 'timeout' || reason === 'unreachable') && this.options.warnOnDrop && !this.warned) {
      this.warned = true;
      process.emitWarning(
        `distlog: no collector answers at ${this.options.endpoints.join(', ')}; ${this.counters.droppedRecords} log records dropped so far (exporter.stats() keeps counting; warnOnDrop: false silences this)`,
        { code: 'DISTLOG_NO_COLLECTOR' },
      );
    }
  }

  private finish(call: ExportCall): void {
    // Guards the last-resort catch in export() against calling back twice.
    if (call.finished) return;
    call.finished = true;
    let result: ExportResult;
    if (call.firstError === undefined) result = { code: ExportResultCode.SUCCESS };
    else {
      this.counters.failedExports++;
      result = { code: ExportResultCode.FAILED, error: new DroppedRecordsError(call.dropped, call.firstError) };
    }
    try {
      call.callback(result);
    } catch {
      // The processor's callback is not ours to crash on.
    }
  }
}

function reasonOf(error: TransportError): keyof DropReasons {
  switch (error.code) {
    case 'timeout':
      return 'timeout';
    case 'unreachable':
      return 'unreachable';
    case 'queue-full':
      return 'queueFull';
    case 'closed':
      return 'shutdown';
    default:
      return 'socket';
  }
}

function asError(err: unknown, context: string): Error {
  if (err instanceof Error) return err;
  return new UnencodableRecordError(`ZmqLogRecordExporter: ${context}: ${String(err)}`);
}

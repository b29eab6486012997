/**
 * The typed PUSH transport: one ZeroMQ PUSH socket connected to every collector
 * endpoint, sending `[topic, payload]` messages in order, and knowing at every
 * moment which sent messages ZeroMQ may still hold.
 *
 * A JS queue sits in front of the socket because zeromq.js allows one blocked
 * send() at a time while OpenTelemetry processors may call export() again before
 * the previous one completed. The queue is bounded; past it a message is refused.
 *
 * WHAT "SENT" MEANS. send() resolves once ZeroMQ queued the message in the pipe to
 * a connected collector; ZeroMQ's I/O thread then writes it to TCP. With the send
 * high-water mark at 1 (the default), a send resolves only when the pipe is empty,
 * i.e. the I/O thread took the previous message; it takes a message only once the
 * one before was fully written to the kernel. So at close a full pipe holds the
 * last message, and the message before it may be half written. Both are reported
 * "in doubt" (two messages at most), not sent and not dropped: the I/O thread may
 * take the last one between our look at the pipe and the close (seen under load),
 * so neither side of that race can be claimed. ZeroMQ's linger no longer discards
 * an unknown number after the application was told they were sent. shutdown
 * ends the stream with an empty batch (records 0) so that, once ZeroMQ took it,
 * every data message before it is known to be whole in the kernel: nothing in doubt.
 *
 * NO COLLECTOR: a circuit breaker. A send that times out (nobody took the message
 * within sendTimeoutMs: no collector, or every collector stalled that long) opens
 * the breaker: every queued and every new message fails at once, counted, without
 * waiting, until a probe (a cheap readiness check every probeIntervalMs, no
 * message) sees a collector take messages again. An app that logs 200,000 records
 * with no collector therefore waits one send timeout, not one per batch. (ZeroMQ's
 * socket monitor would tell an absent collector from a stalled one, but with
 * zeromq.js 6.8 an active monitor plus a readiness check keeps the process alive
 * forever: not worth it.)
 */
import { Push } from 'zeromq';

export interface PushTransportOptions {
  endpoints: readonly string[];
  sendHighWaterMark: number;
  sendTimeoutMs: number;
  maxQueuedMessages: number;
  immediate: boolean;
  /** How often an open breaker checks whether a collector takes messages again. Default 250 ms. */
  probeIntervalMs?: number;
}

export type TransportErrorCode =
  /** No peer took the message within sendTimeoutMs (no collector, or all stalled). */
  | 'timeout'
  /** The breaker is open: a send timed out and no collector has been ready since. */
  | 'unreachable'
  /** The JS queue in front of the socket was full. */
  | 'queue-full'
  /** The transport was closed (or its deadline passed) before the message was sent. */
  | 'closed'
  /** Anything else ZeroMQ reported. */
  | 'socket';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Frames of one message. Buffers/Uint8Arrays are handed to ZeroMQ without copying in JS. */
export type Frames = [topic: Uint8Array, payload: Uint8Array];
/** Called once per message: no error = handed to ZeroMQ for a connected peer. */
export type SendCallback = (error: TransportError | undefined) => void;

/** One message and what the transport needs to know about it. */
export interface OutgoingMessage {
  frames: Frames;
  /** Records it carries (0 for the end-of-stream batch). */
  records: number;
  /**
   * Writes the delivery sequence into the payload just before hand-off:
   * `seq` numbers handed-off messages from 1, `recordsBefore` counts their records.
   */
  stamp: (seq: number, recordsBefore: number) => void;
  done: SendCallback;
}

export interface CloseReport {
  /** Records of handed-off messages still in ZeroMQ's pipe at close: lost for certain (linger 0), counted as dropped. */
  lostRecords: number;
  /** Messages among them. */
  lostMessages: number;
  /**
   * Records of the message ZeroMQ's I/O thread may have been writing at close: it
   * may have reached the kernel whole (then it arrives) or been cut (then it does
   * not). Nothing outside libzmq can tell; only acknowledgements could.
   */
  inDoubtRecords: number;
  inDoubtMessages: number;
}

const DEFAULT_PROBE_INTERVAL_MS = 250;

/**
 * What the exporter needs of a transport. PushTransport is the real one;
 * benchmarks put a null transport here (bench/sdk-emit) to measure the
 * exporter's own work without a socket.
 */
export interface MessageTransport {
  readonly reachable: boolean;
  readonly pending: number;
  readonly sentMessages: number;
  send(message: OutgoingMessage): void;
  whenIdle(): Promise<void>;
  whenDrained(deadlineAt: number): Promise<boolean>;
  close(): CloseReport;
}

export class PushTransport implements MessageTransport {
  private readonly socket: Push;
  private readonly endpoints: readonly string[];
  private readonly maxQueued: number;
  private readonly sendTimeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly hwm: number;
  /** Messages waiting for the socket; `head` avoids Array#shift's O(n) on long queues. */
  private queue: OutgoingMessage[] = [];
  private head = 0;
  private inFlight: OutgoingMessage | undefined;
  private idleWaiters: Array<() => void> = [];
  private closedFlag = false;
  private breakerOpen = false;
  private probeTimer: NodeJS.Timeout | undefined;
  /** Handed-off messages so far (the last seq) and their records. */
  private handedOff = 0;
  private handedOffRecords = 0;
  /** Record counts of the last hwm+1 handed-off messages, newest last: what ZeroMQ may still hold. */
  private recent: number[] = [];

  // Bound once so that the hot path creates no closure per message.
  private readonly onSent = (): void => this.settle(undefined);
  private readonly onFailed = (err: unknown): void =>
    // close() rejects a blocked send too; it is not a timeout then.
    this.settle(
      this.closedFlag
        ? new TransportError('closed', 'transport closed before the message was sent', { cause: err })
        : toTransportError(err, this.sendTimeoutMs),
    );

  constructor(options: PushTransportOptions) {
    this.endpoints = options.endpoints;
    this.maxQueued = options.maxQueuedMessages;
    this.sendTimeoutMs = options.sendTimeoutMs;
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    this.hwm = options.sendHighWaterMark;
    this.socket = new Push({
      sendHighWaterMark: options.sendHighWaterMark,
      sendTimeout: options.sendTimeoutMs,
      // close() decides what is lost and counts it; ZeroMQ must not decide later.
      linger: 0,
      immediate: options.immediate,
    });
    // connect() is asynchronous in ZeroMQ (it returns before any peer exists and
    // reconnects by itself), so an absent collector is not an error here.
    for (const endpoint of options.endpoints) this.socket.connect(endpoint);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** False while the breaker is open: messages fail at once (the exporter does not even encode them). */
  get reachable(): boolean {
    return !this.breakerOpen;
  }

  /** Messages accepted but not yet handed to ZeroMQ (in flight included). */
  get pending(): number {
    return this.queue.length - this.head + (this.inFlight ? 1 : 0);
  }

  /** Messages handed to ZeroMQ so far (= the last seq stamped). */
  get sentMessages(): number {
    return this.handedOff;
  }

  /**
   * Queues one message. `done` is called exactly once; synchronously only for
   * immediate refusals (closed, breaker open, queue full). Never throws.
   */
  send(message: OutgoingMessage): void {
    if (this.closedFlag) {
      safeCall(message.done, new TransportError('closed', 'transport is closed'));
      return;
    }
    if (this.breakerOpen) {
      safeCall(message.done, this.unreachableError());
      return;
    }
    if (this.inFlight === undefined) {
      this.start(message);
      return;
    }
    if (this.queue.length - this.head >= this.maxQueued) {
      safeCall(message.done, new TransportError('queue-full', `send queue full (${this.maxQueued} messages waiting for ${this.endpoints.join(', ')})`));
      return;
    }
    this.queue.push(message);
  }

  /** Resolves once every accepted message has been handed to ZeroMQ or failed. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves true once every accepted message is handed off and ZeroMQ's pipe is
   * empty, false if `deadlineAt` (performance.now() time) comes first or the
   * breaker is open (nothing will drain). The timers hold the process open, but
   * never past the deadline.
   */
  async whenDrained(deadlineAt: number): Promise<boolean> {
    while (!this.closedFlag) {
      if (this.breakerOpen) return false;
      if (this.pending === 0 && (this.handedOff === 0 || this.pipeEmpty())) return true;
      const left = deadlineAt - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(5, left)));
    }
    return false;
  }

  /**
   * Closes the socket: messages still queued in JS (or blocked in a send) fail
   * with 'closed'; of the messages already handed off, those ZeroMQ may still hold
   * are reported lost. Safe to call twice (the second report is all zeros).
   */
  close(): CloseReport {
    const report: CloseReport = { lostRecords: 0, lostMessages: 0, inDoubtRecords: 0, inDoubtMessages: 0 };
    if (this.closedFlag) return report;
    this.closedFlag = true;
    this.stopProbe();
    // A full pipe holds the last hwm messages, and the message before them may be
    // half written. The I/O thread can take a message between the pipeEmpty() check
    // and close(), so those in the pipe are in doubt too, never claimed as lost.
    // A pipe with room holds fewer (with hwm 1: none); the last may be half written.
    const full = this.handedOff > 0 && !this.pipeEmpty();
    const inDoubt = full ? this.recent.slice(-this.hwm - 1) : this.recent.slice(-this.hwm);
    for (const n of inDoubt) {
      report.inDoubtRecords += n;
      if (n > 0) report.inDoubtMessages++;
    }
    this.recent = [];
    this.failQueued(new TransportError('closed', 'transport closed before the message was sent'));
    // A send still blocked in ZeroMQ is rejected by close(); settle() reports it.
    this.socket.close();
    if (this.inFlight === undefined) this.wakeIdle();
    return report;
  }

  /** With HWM 1 the socket is writable exactly when the pipe is empty (the I/O thread took the last message). */
  private pipeEmpty(): boolean {
    try {
      return this.socket.writable;
    } catch {
      return false;
    }
  }

  private unreachableError(): TransportError {
    return new TransportError('unreachable', `no collector at ${this.endpoints.join(', ')} took a message within ${this.sendTimeoutMs} ms; dropping until one is ready`);
  }

  private start(item: OutgoingMessage): void {
    this.inFlight = item;
    let promise: Promise<void>;
    try {
      item.stamp(this.handedOff + 1, this.handedOffRecords);
      promise = this.socket.send(item.frames);
    } catch (err) {
      // zeromq.js reports errors through the promise, but a synchronous throw
      // (e.g. a closed socket) must not escape into export().
      this.onFailed(err);
      return;
    }
    promise.then(this.onSent, this.onFailed);
  }

  private settle(error: TransportError | undefined): void {
    const item = this.inFlight;
    this.inFlight = undefined;
    if (item !== undefined && error === undefined) {
      this.handedOff++;
      this.handedOffRecords += item.records;
      this.recent.push(item.records);
      if (this.recent.length > this.hwm + 1) this.recent.shift();
    }
    // Breaker first, so that the callback already sees whether a collector is there.
    if (error !== undefined && error.code === 'timeout') this.openBreaker();
    if (item !== undefined) safeCall(item.done, error);
    if (!this.closedFlag && this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as OutgoingMessage;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      this.start(next);
      return;
    }
    if (this.inFlight === undefined) this.wakeIdle();
  }

  private openBreaker(): void {
    if (this.breakerOpen || this.closedFlag) return;
    this.breakerOpen = true;
    this.failQueued(this.unreachableError());
    // unref'd: probing must never keep an idle process alive.
    this.probeTimer = setInterval(() => {
      if (this.pipeEmpty()) this.closeBreaker();
    }, this.probeIntervalMs);
    this.probeTimer.unref();
  }

  private closeBreaker(): void {
    this.breakerOpen = false;
    this.stopProbe();
  }

  private stopProbe(): void {
    if (this.probeTimer !== undefined) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private failQueued(error: TransportError): void {
    const items = this.queue;
    const from = this.head;
    this.queue = [];
    this.head = 0;
    for (let i = from; i < items.length; i++) safeCall(items[i]!.done, error);
  }

  private wakeIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function safeCall(done: SendCallback, error: TransportError | undefined): void {
  try {
    done(error);
  } catch {
    // A caller's callback failing must not break the queue for everyone else.
  }
}

function toTransportError(err: unknown, sendTimeoutMs: number): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EAGAIN') {
    return new TransportError('timeout', `no collector took the message within ${sendTimeoutMs} ms`, { cause: err });
  }
  if (code === 'EBADF' || code === 'ETERM' || code === 'ENOTSOCK') {
    return new TransportError('closed', 'socket closed before the message was sent', { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError('socket', `ZeroMQ send failed: ${message}`, { cause: err });
}

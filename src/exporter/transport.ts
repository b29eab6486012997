/**
 * The typed PUSH transport: one ZeroMQ PUSH socket connected to every collector
 * endpoint, sending `[topic, payload]` messages in order.
 *
 * Why a JS queue in front of the socket: zeromq.js allows only one send() to be
 * blocked at a time (a second one fails with EBUSY), while OpenTelemetry
 * processors may call export() again before the previous one completed (the
 * simple processor does so per record). The queue is bounded; past the bound a
 * message is refused at once, because telemetry must never grow the app's memory
 * without limit.
 *
 * Why sends fail as a group: when one send times out, nobody is taking messages
 * (no collector, or every collector stalled for sendTimeoutMs). Everything queued
 * behind it has already waited about as long and would time out in turn, one
 * sendTimeout after another; failing them together keeps every caller's wait
 * bounded by about one sendTimeout instead of (queue length x sendTimeout).
 */
import { Push } from 'zeromq';

export interface PushTransportOptions {
  endpoints: readonly string[];
  sendHighWaterMark: number;
  sendTimeoutMs: number;
  lingerMs: number;
  maxQueuedMessages: number;
  immediate: boolean;
}

export type TransportErrorCode =
  /** No peer took the message within sendTimeoutMs (no collector, or all at their HWM). */
  | 'timeout'
  /** The JS queue in front of the socket was full. */
  | 'queue-full'
  /** The transport was closed before the message could be sent. */
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
/** Called once per message: no error = queued in ZeroMQ for a connected peer. */
export type SendCallback = (error: TransportError | undefined) => void;

interface Pending {
  frames: Frames;
  done: SendCallback;
}

export class PushTransport {
  private readonly socket: Push;
  private readonly endpoints: readonly string[];
  private readonly maxQueued: number;
  private readonly sendTimeoutMs: number;
  /** Messages waiting for the socket; `head` avoids Array#shift's O(n) on long queues. */
  private queue: Pending[] = [];
  private head = 0;
  /** The message whose send() is in progress, if any. */
  private inFlight: Pending | undefined;
  private idleWaiters: Array<() => void> = [];
  private closedFlag = false;

  // Bound once so that the hot path creates no closure per message.
  private readonly onSent = (): void => this.settle(undefined);
  private readonly onFailed = (err: unknown): void =>
    // close() rejects a blocked send with EAGAIN too; it is not a timeout then.
    this.settle(
      this.closedFlag
        ? new TransportError('closed', 'transport closed before the message was sent', { cause: err })
        : toTransportError(err, this.sendTimeoutMs),
    );

  constructor(options: PushTransportOptions) {
    this.endpoints = options.endpoints;
    this.maxQueued = options.maxQueuedMessages;
    this.sendTimeoutMs = options.sendTimeoutMs;
    this.socket = new Push({
      sendHighWaterMark: options.sendHighWaterMark,
      sendTimeout: options.sendTimeoutMs,
      linger: options.lingerMs,
      immediate: options.immediate,
    });
    // connect() is asynchronous in ZeroMQ (it returns before any peer exists and
    // reconnects by itself), so an absent collector is not an error here.
    for (const endpoint of options.endpoints) this.socket.connect(endpoint);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Messages accepted but not yet handed to ZeroMQ (in flight included). */
  get pending(): number {
    return this.queue.length - this.head + (this.inFlight ? 1 : 0);
  }

  /**
   * Queues one message. `done` is called exactly once, never synchronously from
   * inside send() except for immediate refusals (closed, queue full), and never
   * throws out of here.
   */
  send(frames: Frames, done: SendCallback): void {
    if (this.closedFlag) {
      done(new TransportError('closed', 'transport is closed'));
      return;
    }
    if (this.inFlight === undefined) {
      this.start({ frames, done });
      return;
    }
    if (this.queue.length - this.head >= this.maxQueued) {
      done(new TransportError('queue-full', `send queue full (${this.maxQueued} messages waiting for ${this.endpoints.join(', ')})`));
      return;
    }
    this.queue.push({ frames, done });
  }

  /** Resolves once every accepted message has been handed to ZeroMQ or failed. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Closes the socket: queued messages fail with 'closed'; messages already in
   * ZeroMQ get lingerMs to reach a collector. Safe to call twice.
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.failQueued(new TransportError('closed', 'transport closed before the message was sent'));
    // A send still blocked in ZeroMQ is rejected by close(); settle() then
    // reports it and wakes the idle waiters.
    this.socket.close();
    if (this.inFlight === undefined) this.wakeIdle();
  }

  private start(item: Pending): void {
    this.inFlight = item;
    let promise: Promise<void>;
    try {
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
    if (item !== undefined) safeCall(item.done, error);
    if (error !== undefined && error.code === 'timeout') this.failQueued(error);
    if (!this.closedFlag && this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Pending;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      this.start(next);
      return;
    }
    if (this.inFlight === undefined) this.wakeIdle();
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

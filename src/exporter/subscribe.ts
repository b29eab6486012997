/**
 * `distlog/subscribe`: follow distlogd's PUB feed (the `zmq-pub` plugin) as an
 * async iterator of decoded LogEntry records.
 *
 *   import { subscribe } from 'distlog/subscribe';
 *   for await (const e of subscribe('tcp://127.0.0.1:5012', { service: 'checkout', minLevel: 'warn' })) {
 *     console.log(e.level, e.message);
 *   }
 *
 * The SUB socket connects in the background and reconnects by itself (ZeroMQ),
 * so the collector may start later or restart; records published while no
 * connection exists are not seen. Leaving the loop (`break`, `return()`),
 * `close()` or the AbortSignal closes the socket.
 *
 * Lives beside the exporter because this folder owns distlog's client-side
 * ZeroMQ code and may import the protocol and zeromq; the viewer (protocol
 * only) gets records from here through the CLI.
 */
import { Subscriber } from 'zeromq';
import { decodeMessage } from '../protocol/decode.js';
import { isEndpoint, ENDPOINT_HINT } from '../protocol/endpoint.js';
import type { LogEntry } from '../protocol/log-entry.js';
import { parsePubTopic, DEFAULT_PUB_ENDPOINT } from '../protocol/pub-topic.js';
import { compileFilter, type CompiledFilter, type SubscribeFilter } from './subscribe-filter.js';

export { DEFAULT_PUB_ENDPOINT, compileFilter };
export type { SubscribeFilter, CompiledFilter };

export interface SubscribeOptions {
  /** Aborting closes the subscription: the loop ends normally. */
  signal?: AbortSignal;
  /** Messages ZeroMQ buffers for this subscriber while the loop is busy (ZMQ_RCVHWM, default 1000); past it the publisher drops, and `missed` counts. */
  receiveHighWaterMark?: number;
  /** Told about each message that could not be decoded (it is skipped and counted). */
  onProblem?: (message: string) => void;
}

/** What the subscriber saw. */
export interface SubscriptionStats {
  /** Messages received and decoded. */
  messages: number;
  /** Records yielded to the loop. */
  entries: number;
  /**
   * Messages the publisher sent on the subscribed topics that never arrived
   * (dropped at a high-water mark, or lost in a reconnect), from the per-topic
   * sequence numbers. Messages before the first one seen are not counted.
   */
  missed: number;
  /** Messages that could not be decoded, and single records a message had to drop. */
  malformed: number;
  badEntries: number;
}

/** Topics followed for gap counting before the table starts over. */
const MAX_TRACKED = 10_000;

export class Subscription implements AsyncIterableIterator<LogEntry> {
  private readonly socket: Subscriber;
  private readonly filter: CompiledFilter;
  private buffer: LogEntry[] = [];
  private index = 0;
  private closed = false;
  /** next() calls run one at a time: zeromq.js allows a single pending receive(). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lastSeq = new Map<string, number>();
  private readonly s: SubscriptionStats = { messages: 0, entries: 0, missed: 0, malformed: 0, badEntries: 0 };
  private readonly onAbort = (): void => this.close();

  constructor(
    readonly endpoints: readonly string[],
    filter: SubscribeFilter,
    private readonly options: SubscribeOptions = {},
  ) {
    for (const ep of endpoints) {
      if (!isEndpoint(ep) || /:\*$/.test(ep)) throw new TypeError(`subscribe: invalid endpoint ${JSON.stringify(ep)}; ${ENDPOINT_HINT.replace(' (PORT * = any free port)', '')}`);
    }
    if (endpoints.length === 0) throw new TypeError('subscribe: no endpoint given');
    this.filter = compileFilter(filter);
    this.socket = new Subscriber({ receiveHighWaterMark: options.receiveHighWaterMark ?? 1000, linger: 0 });
    this.socket.subscribe(...this.filter.prefixes);
    for (const ep of endpoints) this.socket.connect(ep);
    if (options.signal?.aborted) this.close();
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get stats(): SubscriptionStats {
    return { ...this.s };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<LogEntry, undefined>> {
    const run = this.queue.then(() => this.pull());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async return(): Promise<IteratorResult<LogEntry, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Closes the socket; a pending next() ends the loop. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private async pull(): Promise<IteratorResult<LogEntry, undefined>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      if (this.index < this.buffer.length) {
        this.s.entries++;
        return { value: this.buffer[this.index++]!, done: false };
      }
      let frames: Buffer[];
      try {
        frames = await this.socket.receive();
      } catch (err) {
        if (this.closed) return { value: undefined, done: true };
        throw err;
      }
      this.buffer = this.decode(frames);
      this.index = 0;
    }
  }

  private decode(frames: Buffer[]): LogEntry[] {
    try {
      if (frames.length !== 2) throw new Error(`message has ${frames.length} frames, expected 2 [topic, payload]`);
      const topic = parsePubTopic(frames[0]!);
      const d = decodeMessage([frames[0]!.subarray(0, 3), frames[1]!]);
      this.s.messages++;
      if (d.errors.length) {
        this.s.badEntries += d.errors.length;
        this.options.onProblem?.(`${d.errors.length} records dropped from a message on ${frames[0]!.toString('utf8')}: ${d.errors[0]!.path}: ${d.errors[0]!.message}`);
      }
      if (d.meta.seq !== undefined) this.countGap(`${d.meta.producer ?? ''}\0${topic.system}${topic.kind}${topic.encoding}|${topic.service}|${topic.level}`, d.meta.seq);
      return d.entries.filter(this.filter.accepts);
    } catch (err) {
      this.s.malformed++;
      this.options.onProblem?.(`message skipped: ${(err as Error).message}`);
      return [];
    }
  }

  private countGap(key: string, seq: number): void {
    const last = this.lastSeq.get(key);
    // A sequence going back is a publisher that started over (restart, or its topic table was reset).
    if (last !== undefined && seq > last + 1) this.s.missed += seq - last - 1;
    if (last === undefined && this.lastSeq.size >= MAX_TRACKED) this.lastSeq.clear();
    this.lastSeq.set(key, seq);
  }
}

/**
 * Follows the PUB feed at `endpoint` (default tcp://127.0.0.1:5012; several
 * endpoints: several collectors). The filter becomes topic prefixes where it can,
 * so unwanted records do not even travel; bad filter values throw a TypeError.
 */
export function subscribe(endpoint: string | readonly string[] = DEFAULT_PUB_ENDPOINT, filter: SubscribeFilter = {}, options?: SubscribeOptions): Subscription {
  return new Subscription(typeof endpoint === 'string' ? [endpoint] : endpoint, filter, options);
}

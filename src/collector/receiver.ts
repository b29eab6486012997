/**
 * The ZeroMQ PULL receiver. Each message is decoded by the protocol module;
 * whatever is wrong with it is counted by reason and reported (rate-limited),
 * and the loop goes on: no input can stop the daemon. Entries that fail on
 * their own are dropped alone; the rest of their batch is routed, and every
 * batch is counted per producer (gaps: see accounting.ts).
 *
 * The receiver buffers nothing itself: each message is decoded and handed to
 * the lanes before the next is read. When a `block` lane is full it stops
 * reading; libzmq then holds at most `highWaterMark` messages per connected
 * producer and the producers' sends wait (their bounded queues absorb or count).
 * It yields to the event loop every YIELD_EVERY_MS of work, as soon as a lane is
 * half full, and whenever the socket has nothing queued: zeromq.js resolves
 * queued receives without ever leaving the microtask queue, and a loop that
 * never yields starves the plugins' I/O, timers and the control channel.
 * Yielding after every message cost a macrotask turn per batch; a time budget
 * keeps the plugins' latency bounded by a few milliseconds whatever the
 * message size.
 *
 * When no plugin lane needs LogEntry objects (router.needsEntries is false:
 * every plugin takes JSON lines and none filters) a message is decoded straight
 * into JSON lines (decodeMessageLines): same checks, errors and counting, but
 * no object per record.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Pull } from 'zeromq';
import { decodeMessage, ProtocolError } from '../protocol/index.js';
import { decodeMessageLines } from '../protocol/decode-lines.js';
import type { EntryError } from '../protocol/errors.js';
import type { BatchMeta } from '../protocol/log-entry.js';
import type { Topic } from '../protocol/topic.js';
import { batchLength, isLines, type Batch } from './batch.js';
import { rememberOtlpSource } from '../protocol/otlp-source.js';
import type { DeliveryAccounting } from './accounting.js';
import type { BadInputReporter, BadInputReason } from './bad-input.js';
import type { ReceiverConfig } from './config-types.js';
import type { Router } from './router.js';
import { SocketEventWatcher, type ConnectionCounters } from './socket-events.js';

export interface ReceiverCounters {
  messages: number;
  entries: number;
  bytes: number;
  /** Messages refused as a whole. */
  badMessages: number;
  /** Entries dropped from otherwise good messages. */
  badEntries: number;
  /** Connections and accept failures (ZeroMQ monitor events). */
  connections: ConnectionCounters;
}

/** Longest stretch of decoding before the loop lets timers and I/O callbacks run. */
export const YIELD_EVERY_MS = 4;
/**
 * Heap bytes a decoded entry takes beyond its share of the wire bytes (object,
 * attribute map, number and id strings): measured ~200 B for 240 B records and
 * ~320 B for 2.7 KB ones (bench/e2e shapes). The lanes' byte bound counts
 * wire share + this, an estimate of the memory the queued entries hold.
 */
export const ENTRY_OVERHEAD_BYTES = 300;

/** Idle poll so stop() is noticed without closing the socket under a pending read. */
const POLL_MS = 200;
/**
 * libzmq drops the *connection* of a peer that sends a frame over its limit,
 * silently. Give it headroom so moderately oversize messages reach our own
 * check (counted and reported with their topic); absurd ones are cut there.
 */
const TRANSPORT_HEADROOM = 2;

function topicText(frame: Uint8Array | undefined): string | undefined {
  if (!frame || frame.length > 32) return undefined;
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1');
}

type OwnCounters = Omit<ReceiverCounters, 'connections'>;

export class ZmqReceiver {
  private readonly sock: Pull;
  private readonly watcher: SocketEventWatcher;
  private readonly c: OwnCounters = { messages: 0, entries: 0, bytes: 0, badMessages: 0, badEntries: 0 };
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Resolved at the stop deadline: a loop held by a full lane must not outlive it. */
  private released!: () => void;
  private readonly deadlineReached = new Promise<void>((r) => (this.released = r));
  private bound: string[] = [];

  constructor(
    private readonly cfg: ReceiverConfig,
    private readonly router: Router,
    private readonly bad: BadInputReporter,
    private readonly log: (line: string) => void,
    private readonly accounting?: DeliveryAccounting,
  ) {
    this.sock = new Pull({
      linger: 0,
      receiveHighWaterMark: cfg.highWaterMark,
      receiveTimeout: POLL_MS,
      maxMessageSize: Math.min(cfg.maxMessageBytes * TRANSPORT_HEADROOM, 2 ** 31 - 1),
    });
    this.watcher = new SocketEventWatcher(this.sock, 'receiver', log, Math.max(1, cfg.reportIntervalSeconds) * 1000);
  }

  counters(): ReceiverCounters {
    return { ...this.c, connections: this.watcher.counters() };
  }

  /** Binds every endpoint and starts reading; returns the endpoints actually bound (ports resolved). */
  async start(): Promise<string[]> {
    this.watcher.start();
    try {
      for (const ep of this.cfg.endpoints) {
        await this.sock.bind(ep);
        this.bound.push(this.sock.lastEndpoint ?? ep);
      }
    } catch (err) {
      this.sock.close();
      await this.watcher.close();
      throw new Error(`cannot bind ${this.cfg.endpoints[this.bound.length]}: ${(err as Error).message}`);
    }
    this.loop = this.run();
    return [...this.bound];
  }

  get endpoints(): string[] {
    return [...this.bound];
  }

  private async run(): Promise<void> {
    let sliceStart = performance.now();
    while (!this.sock.closed) {
      let frames: Buffer[];
      try {
        frames = await this.sock.receive();
      } catch (err) {
        if ((err as { code?: string }).code === 'EAGAIN') {
          if (this.stopping) break;
          continue;
        }
        if (this.sock.closed) break;
        // Report (not while stopping), and back off a little: an error that
        // repeats must not become a busy loop.
        if (!this.stopping) this.log(`receiver: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, this.stopping ? 10 : 100));
        continue;
      }
      this.handle(frames);
      if (this.router.mustWait) {
        await Promise.race([this.router.waitForSpace(), this.deadlineReached]);
        sliceStart = performance.now();
      } else if (performance.now() - sliceStart >= YIELD_EVERY_MS || this.router.shouldYield) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  private refuse(reason: BadInputReason, detail: string, topic: string | undefined): void {
    this.c.badMessages++;
    this.bad.record(reason, detail, topic);
  }

  handle(frames: readonly Uint8Array[]): void {
    this.c.messages++;
    let size = 0;
    for (const f of frames) size += f.byteLength;
    this.c.bytes += size;
    if (size > this.cfg.maxMessageBytes) {
      this.refuse('size', `message of ${size} bytes exceeds receiver.maxMessageBytes ${this.cfg.maxMessageBytes}`, topicText(frames[0]));
      return;
    }
    let decoded: { topic: Topic; records: Batch; meta: BatchMeta; errors: EntryError[] };
    try {
      const limits = { maxMessageBytes: this.cfg.maxMessageBytes, maxEntries: this.cfg.maxEntriesPerMessage };
      if (this.router.needsEntries) {
        const d = decodeMessage(frames, limits);
        decoded = { topic: d.topic, records: d.entries, meta: d.meta, errors: d.errors };
      } else {
        const d = decodeMessageLines(frames, limits, this.router.slabs);
        decoded = { topic: d.topic, records: d.lines, meta: d.meta, errors: d.errors };
      }
    } catch (err) {
      if (err instanceof ProtocolError) this.refuse(err.code as BadInputReason, err.message, err.topic ?? topicText(frames[0]));
      else this.refuse('internal', `decoder failed: ${(err as Error).message}`, topicText(frames[0]));
      return;
    }
    if (decoded.errors.length) {
      this.c.badEntries += decoded.errors.length;
      const first = decoded.errors[0]!;
      const more = decoded.errors.length > 1 ? ` and ${decoded.errors.length - 1} more` : '';
      const t = decoded.topic;
      const topic = t.system + t.kind + t.encoding;
      this.bad.record('entry', `entry ${first.index} dropped: ${first.path}: ${first.message}${more}`, topic, decoded.errors.length);
    }
    const records = decoded.records;
    // All records kept: an OTLP forwarder may send the payload on as is (protocol/otlp-source.ts).
    // Only entries carry it: the otlp plugin takes no lines, so its presence means entries.
    if (decoded.topic.encoding === 'O' && decoded.errors.length === 0 && !isLines(records)) rememberOtlpSource(records, frames[1]!);
    const n = batchLength(records);
    this.accounting?.observe(decoded.meta, decoded.topic.system, n + decoded.errors.length);
    this.c.entries += n;
    // The lanes' byte bound: lines count their real bytes; an entry its estimated
    // heap size (its share of the wire bytes + the object overhead).
    const bytesEach = n === 0 ? 0 : isLines(records) ? records.bytes.length / n : size / n + ENTRY_OVERHEAD_BYTES;
    this.router.dispatch(records, bytesEach);
  }

  /** Reads on until the socket is idle or the deadline passes, then closes it (ending every connection). */
  async stop(deadline: number): Promise<void> {
    if (this.stopping) return this.loop;
    this.stopping = true;
    // No unbind() first: unbinding while peers are connected and closing right
    // after made libzmq 4.3.5 abort the process (pipe.cpp:355 assertion, about
    // 1 stop in 30 in test/collector/isolation.test.ts). The loop stops reading
    // on `stopping`; close() then ends every connection at once.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))));
    await Promise.race([this.loop ?? Promise.resolve(), late]);
    clearTimeout(timer);
    this.released();
    if (!this.sock.closed) this.sock.close();
    await this.loop;
    await this.watcher.close();
  }
}

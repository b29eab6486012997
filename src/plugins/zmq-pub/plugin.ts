/**
 * The `zmq-pub` plugin instance: re-publishes every record it is given on a
 * ZeroMQ PUB socket, for live tails (`distlog tail`, `subscribe()`) and for
 * subscribers in any language.
 *
 * One message per (system, kind, service, level) group of a consumed batch, split
 * at maxEntriesPerMessage: the topic (protocol/pub-topic.ts) then says exactly
 * what the message holds, so a subscriber's prefix filter works in libzmq, on
 * the collector side, without a subscriber ever decoding what it did not ask for;
 * and a batch costs a handful of sends, not one per record. Order is kept within
 * a group; across groups a reader orders by time or key.
 *
 * Costs nothing without subscribers: the socket is an XPUB, which tells this
 * side which topic prefixes are subscribed (ZeroMQ merges duplicates and
 * unsubscribes when the last subscriber of a prefix leaves), so a group nobody
 * asked for is neither encoded nor sent, only counted.
 *
 * Never slows the collector: a PUB socket does not block. Sends use a zero
 * timeout, so a send ZeroMQ refuses fails at once and is counted. Past a
 * subscriber's high-water mark libzmq drops that subscriber's copy silently; this
 * side cannot count those, so every message carries a per-topic sequence number
 * (BatchMeta `seq`, with this publisher's `producer` id) from which a subscriber
 * counts what it missed (see subscribe()'s `missed`).
 */
import { randomBytes } from 'node:crypto';
import { XPublisher } from 'zeromq';
import { encodeBatch } from '../../protocol/encode.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import { levelNameFromSeverity } from '../../protocol/levels.js';
import { pubTopicText } from '../../protocol/pub-topic.js';
import type { ConsumeResult, PluginContext, PluginInstance } from '../api.js';
import type { ZmqPubOptions } from './schema.js';

/** What this side of the feed can count. */
export type ZmqPubCounters = {
  /** Messages (and the records in them) handed to ZeroMQ. */
  messages: number;
  entries: number;
  /** Messages (records) ZeroMQ refused at send (EAGAIN or a socket error): not published. */
  failedMessages: number;
  failedEntries: number;
  /** Records that could not be encoded: not published. */
  encodeErrors: number;
  /** Records no subscriber had asked for when they came: neither encoded nor sent. */
  unsubscribed: number;
};

/** Topics remembered (sequence numbers, topic frames) before the tables start over. */
const MAX_TOPICS = 10_000;
/** Least time between two warnings about failed sends. */
const WARN_INTERVAL_MS = 10_000;

interface Group {
  first: LogEntry;
  entries: LogEntry[];
}

export class ZmqPubSink implements PluginInstance {
  private socket: XPublisher | undefined;
  /** Prefixes at least one subscriber is subscribed to, as the XPUB reports them. */
  private readonly prefixes = new Set<string>();
  private bound: string;
  private stopped = false;
  /** Identifies this publisher run, so subscribers tell a restart (sequences start over) from a gap. */
  readonly producer = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly seqs = new Map<string, number>();
  private readonly topicFrames = new Map<string, Buffer>();
  private readonly c: ZmqPubCounters = { messages: 0, entries: 0, failedMessages: 0, failedEntries: 0, encodeErrors: 0, unsubscribed: 0 };
  private lastWarn = 0;

  constructor(
    private readonly opts: ZmqPubOptions,
    private readonly ctx: Pick<PluginContext, 'logger'>,
  ) {
    this.bound = opts.endpoint;
  }

  /** The endpoint bound (a `:*` port resolved once started). */
  get endpoint(): string {
    return this.bound;
  }

  describe(): string {
    return `PUB on ${this.bound} (encoding ${this.opts.encoding}, topic SKE|service|LEVEL, send high-water mark ${this.opts.sendHighWaterMark})`;
  }

  counters(): ZmqPubCounters {
    return { ...this.c };
  }

  async start(): Promise<void> {
    const socket = new XPublisher({ sendHighWaterMark: this.opts.sendHighWaterMark, sendTimeout: 0, linger: this.opts.lingerMs });
    try {
      await socket.bind(this.opts.endpoint);
    } catch (err) {
      socket.close();
      throw new Error(`cannot bind ${this.opts.endpoint}: ${(err as Error).message}`);
    }
    this.bound = socket.lastEndpoint ?? this.opts.endpoint;
    this.socket = socket;
    void this.followSubscriptions(socket);
  }

  /** Keeps `prefixes` current: each message is byte 1 (subscribe) or 0 (unsubscribe) + the prefix. */
  private async followSubscriptions(socket: XPublisher): Promise<void> {
    try {
      for await (const [msg] of socket) {
        if (!msg || msg.length === 0) continue;
        // As latin1, one char per byte: prefixes match bytes, even cut inside a UTF-8 character.
        const prefix = msg.subarray(1).toString('latin1');
        if (msg[0] === 1) this.prefixes.add(prefix);
        else if (msg[0] === 0) this.prefixes.delete(prefix);
      }
    } catch {
      // The socket was closed (shutdown): nothing more to follow.
    }
  }

  /** Does any subscriber want this topic? */
  private wanted(topic: string): boolean {
    if (this.prefixes.size === 0) return false;
    const bytes = Buffer.from(topic, 'utf8').toString('latin1');
    for (const p of this.prefixes) if (bytes.startsWith(p)) return true;
    return false;
  }

  /** Records ZeroMQ refused or that could not be encoded are reported as dropped, so the collector's counters show them too. */
  async consume(batch: readonly LogEntry[]): Promise<ConsumeResult> {
    const socket = this.socket;
    if (this.stopped || !socket) throw new Error(this.stopped ? 'zmq-pub plugin is shut down' : 'zmq-pub plugin not started');
    const groups = new Map<string, Group>();
    for (const e of batch) {
      const key = `${e.system}${e.kind}${levelNameFromSeverity(e.severity)}\0${serviceOf(e)}`;
      const g = groups.get(key);
      if (g) g.entries.push(e);
      else groups.set(key, { first: e, entries: [e] });
    }
    const max = this.opts.maxEntriesPerMessage;
    const lostBefore = this.c.failedEntries + this.c.encodeErrors;
    for (const { first, entries } of groups.values()) {
      const topic = pubTopicText({ system: first.system, kind: first.kind, encoding: this.opts.encoding, service: serviceOf(first), severity: first.severity });
      if (!this.wanted(topic)) {
        this.c.unsubscribed += entries.length;
        continue;
      }
      for (let i = 0; i < entries.length; i += max) {
        await this.publish(socket, topic, entries.length <= max ? entries : entries.slice(i, i + max));
      }
    }
    return { dropped: this.c.failedEntries + this.c.encodeErrors - lostBefore };
  }

  private async publish(socket: XPublisher, topic: string, entries: readonly LogEntry[]): Promise<void> {
    const seq = (this.seqs.get(topic) ?? 0) + 1;
    let payload: Uint8Array;
    try {
      payload = encodeBatch(entries, this.opts.encoding, { producer: this.producer, seq });
    } catch (err) {
      this.c.encodeErrors += entries.length;
      this.warn(`cannot encode ${entries.length} records for ${topic}: ${(err as Error).message}`);
      return;
    }
    if (this.seqs.size >= MAX_TOPICS && !this.seqs.has(topic)) {
      // Many distinct services: start over rather than grow; a subscriber sees a
      // sequence going back, which it reads as a restart, not as a gap.
      this.seqs.clear();
      this.topicFrames.clear();
    }
    this.seqs.set(topic, seq);
    let frame = this.topicFrames.get(topic);
    // Shared between sends: ZeroMQ may keep a reference after send(), and nobody writes to it.
    if (!frame) this.topicFrames.set(topic, (frame = Buffer.from(topic, 'utf8')));
    try {
      await socket.send([frame, payload]);
      this.c.messages++;
      this.c.entries += entries.length;
    } catch (err) {
      this.c.failedMessages++;
      this.c.failedEntries += entries.length;
      this.warn(`send failed (${(err as { code?: string }).code ?? (err as Error).message}); ${this.c.failedMessages} messages (${this.c.failedEntries} records) not published so far`);
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarn < WARN_INTERVAL_MS) return;
    this.lastWarn = now;
    this.ctx.logger.warn(message);
  }

  flush(): void {
    // Nothing is buffered here: every message went to ZeroMQ (or was counted) in consume().
  }

  shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.socket) return;
    this.socket.close();
    this.socket = undefined;
    const c = this.c;
    this.ctx.logger.info(
      `published ${c.entries} records in ${c.messages} messages on ${this.bound}` +
        (c.unsubscribed ? `; ${c.unsubscribed} records had no subscriber` : '') +
        (c.failedMessages || c.encodeErrors ? `; not published: ${c.failedEntries} records (${c.failedMessages} refused sends), ${c.encodeErrors} unencodable` : ''),
    );
  }
}

function serviceOf(e: LogEntry): string {
  const s = e.resource['service.name'];
  return s === undefined || s === null ? '' : String(s);
}

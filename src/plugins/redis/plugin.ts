/**
 * The `redis` plugin instance. Each consumed batch is one round trip:
 * - stream: a pipeline of XADD (MAXLEN ~ maxLen), one stream per key pattern;
 *   fields `task`, `time` (for readers that filter without parsing) and `entry`
 *   (the LogEntry as JSON);
 * - list: one MULTI/EXEC of RPUSH + LTRIM per key (atomic per batch);
 * - pubsub: a pipeline of PUBLISH, one per record, to the pattern's channel.
 *
 * Outage: while the server is away the client fails commands at once (no
 * offline queue), consume() rejects, and the collector keeps the batch in this
 * plugin's bounded queue and retries with backoff; the other plugins go on.
 *
 * Exactly once, per mode (a retry re-sends the same batch):
 * - stream: the plugin chooses each entry's stream ID (`<ms>-<n>`, increasing)
 *   on the first attempt and keeps it for the retries. Redis refuses an XADD
 *   whose ID is not above the stream's last one, so an entry that an earlier,
 *   partly applied pipeline did store is refused on the retry and counted as
 *   stored: nothing twice. This assumes this plugin is the stream's only writer;
 *   a foreign writer's newer entry during an outage would make a retried entry
 *   look stored (lost). On a first attempt a refused ID (a foreign writer, a
 *   clock step back) is re-sent with an ID chosen by Redis (`*`).
 * - list: MULTI/EXEC is all or nothing; a batch can be stored twice only when
 *   the connection breaks after Redis ran EXEC and before its reply arrived.
 * - pubsub: nothing is stored; a retry after a partly sent pipeline republishes
 *   the batch's first records, and subscribers away during an outage miss what
 *   was published before they came back (Redis pub/sub keeps nothing).
 */
import { redisDriver } from './driver.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginContext, PluginInstance, StoreReader } from '../api.js';
import { makeClient, reasonOf, redactUrl, type Client } from './connection.js';
import { compileKey } from './key-pattern.js';
import { RedisStreamReader } from './reader.js';
import type { RedisOptions } from './schema.js';

/** How long start() waits for the first connection before going on without it. */
const START_WAIT_MS = 2_000;

interface StreamId {
  ms: number;
  seq: number;
}

export class RedisSink implements PluginInstance {
  private client: Client | undefined;
  private readonly keyOf: (e: LogEntry) => string;
  private readonly where: string;
  /** Last ID given per stream, so IDs increase even within one millisecond. */
  private readonly lastIds = new Map<string, StreamId>();
  /** IDs given to a batch on its first attempt, reused by its retries (same array). */
  private readonly batchIds = new WeakMap<readonly LogEntry[], string[]>();
  private connected = false;
  private everConnected = false;
  private lastFailure = '';
  private stopped = false;
  readonly reader?: () => StoreReader;

  constructor(
    private readonly opts: RedisOptions,
    private readonly ctx: Pick<PluginContext, 'logger'>,
  ) {
    this.keyOf = compileKey(opts.key);
    this.where = redactUrl(opts.url);
    if (opts.mode === 'stream') this.reader = () => new RedisStreamReader({ url: opts.url, key: opts.key, connectTimeoutMs: opts.connectTimeoutMs });
  }

  describe(): string {
    const bound = this.opts.maxLen ? `, max ${this.opts.mode === 'stream' ? '~' : ''}${this.opts.maxLen} per key` : '';
    return `redis ${this.opts.mode} ${this.opts.key} at ${this.where}${this.opts.mode === 'pubsub' ? '' : bound}`;
  }

  async start(): Promise<void> {
    const client = makeClient(this.opts.url, { connectTimeoutMs: this.opts.connectTimeoutMs, reconnectMaxDelayMs: this.opts.reconnectMaxDelayMs });
    this.client = client;
    client.on('error', (err: unknown) => this.onFailure(reasonOf(err)));
    client.on('ready', () => {
      this.connected = true;
      this.ctx.logger.info(`${this.everConnected ? 'reconnected to' : 'connected to'} ${this.where}`);
      this.everConnected = true;
      this.lastFailure = '';
    });
    // Not awaited to the end: with the server down, connect() settles only once it is up.
    const firstConnect: Promise<unknown> = client.connect().catch((err: unknown) => this.onFailure(reasonOf(err)));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((r) => (timer = setTimeout(r, Math.min(START_WAIT_MS, this.opts.connectTimeoutMs))));
    await Promise.race([firstConnect, waited]);
    clearTimeout(timer);
    if (!this.connected) {
      this.ctx.logger.warn(
        `cannot reach ${this.where} (${this.lastFailure || 'no answer'}): running on without it, reconnecting (backoff up to ${this.opts.reconnectMaxDelayMs} ms); records wait in this plugin's queue`,
      );
    }
  }

  /** Logs a connection problem once per state change, not once per reconnect attempt. */
  private onFailure(reason: string): void {
    const wasConnected = this.connected;
    this.connected = this.client?.isReady ?? false;
    if (this.stopped) return;
    if (wasConnected) this.ctx.logger.warn(`lost ${this.where} (${reason}); reconnecting, records wait in this plugin's queue`);
    else if (this.everConnected && reason !== this.lastFailure) this.ctx.logger.warn(`${this.where} still unreachable (${reason})`);
    this.lastFailure = reason;
  }

  private readyClient(): Client {
    if (this.stopped) throw new Error('redis plugin is shut down');
    const c = this.client;
    if (!c) throw new Error('redis plugin not started');
    if (!c.isReady) throw new Error(`${this.where} not connected (${this.lastFailure || 'connecting'}); will retry`);
    return c;
  }

  async consume(batch: readonly LogEntry[]): Promise<void> {
    const client = this.readyClient();
    if (this.opts.mode === 'stream') return this.toStreams(client, batch);
    if (this.opts.mode === 'list') return this.toLists(client, batch);
    return this.toChannels(client, batch);
  }

  private nextId(key: string): string {
    const now = Date.now();
    const last = this.lastIds.get(key);
    const id = last && last.ms >= now ? { ms: last.ms, seq: last.seq + 1 } : { ms: now, seq: 0 };
    this.lastIds.set(key, id);
    return `${id.ms}-${id.seq}`;
  }

  private xadd(key: string, id: string, e: LogEntry): string[] {
    const trim = this.opts.maxLen ? ['MAXLEN', '~', String(this.opts.maxLen)] : [];
    return ['XADD', key, ...trim, id, 'task', e.task ?? '', 'time', e.timeUnixNano, 'entry', JSON.stringify(e)];
  }

  private async toStreams(client: Client, batch: readonly LogEntry[]): Promise<void> {
    const keys = batch.map(this.keyOf);
    let ids = this.batchIds.get(batch);
    const retry = ids !== undefined;
    if (!ids) this.batchIds.set(batch, (ids = keys.map((k) => this.nextId(k))));
    // MULTI/EXEC, sent as one write: all or nothing (a cut connection before EXEC
    // stores none of it), and a reply per command, errors included.
    const tx = client.multi();
    for (let i = 0; i < batch.length; i++) tx.addCommand(this.xadd(keys[i]!, ids[i]!, batch[i]!));
    try {
      await tx.exec();
      return;
    } catch (err) {
      if (!(err instanceof redisDriver().MultiErrorReply)) throw err; // the connection: retry the batch, same IDs
      const refused: number[] = [];
      for (const i of err.errorIndexes) {
        const message = (err.replies[i] as Error).message;
        if (!/equal or smaller than the target stream top item/.test(message)) throw new Error(`XADD to ${keys[i]} failed: ${message}`);
        // On a retry a refused ID is an entry an earlier attempt stored (EXEC ran, its reply was lost): done.
        if (!retry) refused.push(i);
      }
      if (refused.length === 0) return;
      // First attempt, ID below the stream's top: another writer or a clock step back. Let Redis choose.
      this.ctx.logger.warn(`${refused.length} entries had an ID below their stream's last entry (another writer?); added with Redis-chosen IDs`);
      const again = client.multi();
      for (const i of refused) again.addCommand(this.xadd(keys[i]!, '*', batch[i]!));
      const replies = (await again.exec()) as unknown as string[];
      refused.forEach((i, n) => {
        const [ms, seq] = String(replies[n]).split('-').map(Number);
        this.lastIds.set(keys[i]!, { ms: ms!, seq: seq! });
      });
    }
  }

  private async toLists(client: Client, batch: readonly LogEntry[]): Promise<void> {
    const groups = new Map<string, string[]>();
    for (const e of batch) {
      const k = this.keyOf(e);
      let values = groups.get(k);
      if (!values) groups.set(k, (values = []));
      values.push(JSON.stringify(e));
    }
    const tx = client.multi();
    for (const [k, values] of groups) {
      tx.addCommand(['RPUSH', k, ...values]);
      if (this.opts.maxLen) tx.addCommand(['LTRIM', k, String(-this.opts.maxLen), '-1']);
    }
    await tx.exec();
  }

  private async toChannels(client: Client, batch: readonly LogEntry[]): Promise<void> {
    const pipe = client.multi();
    for (const e of batch) pipe.addCommand(['PUBLISH', this.keyOf(e), JSON.stringify(e)]);
    await pipe.execAsPipeline();
  }

  flush(): void {
    // Nothing is buffered in the plugin: a consume() resolves once Redis replied.
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    try {
      if (c.isReady) await c.close();
      else c.destroy();
    } catch {
      c.destroy();
    }
  }
}

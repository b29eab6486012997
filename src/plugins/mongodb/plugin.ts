/**
 * The `mongodb` plugin instance: every consumed batch becomes one unordered
 * insertMany per kind (logs and performance data in their own collections).
 *
 * Outages: the driver fails fast (short server-selection timeout), consume()
 * rejects, and the collector's lane keeps the batch in its bounded queue and
 * retries with backoff while the other plugins go on. Documents have ids
 * derived from their content (document.ts), so when a retry re-sends records
 * a timed-out attempt had already stored, the server answers "duplicate key"
 * (11000) for those and they count as stored: nothing is stored twice.
 *
 * A record that cannot be stored for itself (too large, invalid) is isolated:
 * its neighbours are stored, it is counted and reported, and the batch is not
 * retried for its sake.
 */
import type { Collection, Db, MongoBulkWriteError, MongoClient } from 'mongodb';
import { mongo } from './driver.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginContext, PluginInstance } from '../api.js';
import { toDocument, type LogDocument } from './document.js';
import { MongoStoreReader } from './reader.js';
import type { MongoOptions } from './schema.js';
import { prepareCollection, type SetupReport } from './setup.js';

const DUPLICATE_KEY = 11000;
/** HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress, PrimarySteppedDown, ExceededTimeLimit, SocketException, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary. */
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** The URI without its password, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/** Records the plugin itself refused (the lane counts only whole batches). */
export type MongoPluginCounters = {
  /** Records stored by this plugin (a retried duplicate counts once, when first stored). */
  inserted: number;
  /** Records already stored by an earlier attempt (duplicate key on retry). */
  duplicates: number;
  /** Records the server refused for themselves (counted, reported, not retried). */
  rejected: number;
};

export class MongoSink implements PluginInstance {
  private client: MongoClient | undefined;
  private db: Db | undefined;
  private readonly collections = new Map<'L' | 'P', Collection<LogDocument>>();
  /** Resolves once indexes and collections are prepared; reset when preparing failed for lack of a server. */
  private setup: Promise<void> | undefined;
  private stopped = false;
  private readonly own: MongoPluginCounters = { inserted: 0, duplicates: 0, rejected: 0 };

  /** Inserted, duplicate (already stored: a retried batch) and rejected records. */
  counters(): MongoPluginCounters {
    return { ...this.own };
  }
  /** What setup found (for tests and describe). */
  setupReport: SetupReport | undefined;

  constructor(
    private readonly opts: MongoOptions,
    private readonly ctx: Pick<PluginContext, 'logger'>,
  ) {}

  describe(): string {
    const { log, perf } = this.opts.collections;
    return `documents to ${redactUri(this.opts.uri)} database ${this.opts.database} (logs: ${log}, perf: ${perf}; w=${this.opts.writeConcern.w})`;
  }

  /**
   * Creates the client and tries to reach the server once. An unreachable
   * server is not a start failure: the collector starts, says so, and the
   * first consume() (retried by the lane) connects when the server is back.
   */
  async start(): Promise<void> {
    if (this.client) return;
    const o = this.opts;
    const wc = o.writeConcern;
    this.client = new (mongo().MongoClient)(o.uri, {
      appName: 'distlogd',
      serverSelectionTimeoutMS: o.serverSelectionTimeoutMs,
      connectTimeoutMS: o.connectTimeoutMs,
      socketTimeoutMS: o.socketTimeoutMs,
      writeConcern: { w: wc.w, journal: wc.journal, ...(wc.wtimeoutMs ? { wtimeoutMS: wc.wtimeoutMs } : {}) },
      // Our ids make a resent batch harmless; the driver's own single retry would only add latency during an outage.
      retryWrites: false,
    });
    this.db = this.client.db(o.database);
    this.collections.set('L', this.db.collection<LogDocument>(o.collections.log));
    this.collections.set('P', this.db.collection<LogDocument>(o.collections.perf));
    try {
      await this.ensureSetup();
    } catch (err) {
      this.ctx.logger.warn(`cannot reach ${redactUri(o.uri)} (${(err as Error).message}); records wait in the queue and are retried until it answers`);
    }
  }

  /** Prepares collections and indexes once per successful contact with the server. */
  private ensureSetup(): Promise<void> {
    this.setup ??= this.prepare().catch((err: unknown) => {
      this.setup = undefined;
      throw err;
    });
    return this.setup;
  }

  private async prepare(): Promise<void> {
    await this.client!.connect();
    const reports: SetupReport = { warnings: [], indexes: {} };
    const names = new Set<string>();
    for (const c of this.collections.values()) {
      if (names.has(c.collectionName)) continue; // logs and perf may share a collection
      names.add(c.collectionName);
      const r = await prepareCollection(this.db!, c.collectionName, this.opts);
      reports.warnings.push(...r.warnings);
      Object.assign(reports.indexes, r.indexes);
    }
    for (const w of reports.warnings) this.ctx.logger.warn(w);
    this.setupReport = reports;
  }

  async consume(batch: readonly LogEntry[]): Promise<void> {
    if (this.stopped || !this.client) throw new Error('mongodb plugin is not running');
    // connect() is a no-op on a live client; after a failed first contact the
    // driver closes its topology for good unless connect() is called again.
    await this.client.connect();
    await this.ensureSetup();
    const byKind = new Map<Collection<LogDocument>, LogDocument[]>();
    for (const e of batch) {
      const coll = this.collections.get(e.kind) ?? this.collections.get('L')!;
      let docs = byKind.get(coll);
      if (!docs) byKind.set(coll, (docs = []));
      docs.push(toDocument(e));
    }
    for (const [coll, docs] of byKind) await this.insert(coll, docs);
  }

  private async insert(coll: Collection<LogDocument>, docs: LogDocument[]): Promise<void> {
    try {
      const r = await coll.insertMany(docs, { ordered: false });
      this.own.inserted += r.insertedCount;
    } catch (err) {
      if (err instanceof mongo().MongoBulkWriteError && this.settlePartial(coll, docs, err)) return;
      // The server refused the whole command (unauthorized, a lost connection
      // wrapped in a bulk error, ...): not about one record, so the lane retries
      // and, if it persists, drops and counts the batch.
      if (isTransient(err) || err instanceof mongo().MongoServerError) throw err;
      // A client-side refusal (e.g. a document over 16 MB is refused before it is
      // sent) fails the whole call: insert one by one to isolate the culprit(s).
      if (docs.length > 1) {
        for (const d of docs) await this.insert(coll, [d]);
        return;
      }
      this.reject(coll, 1, (err as Error).message);
    }
  }

  /**
   * An unordered insertMany stored what it could and listed the documents it
   * did not store. Settled (true) only when every document is accounted for —
   * stored, already there (duplicate key), or refused for itself; anything
   * else (a lost connection wrapped in a bulk error, a write concern not met)
   * is left to the lane to resend, which our ids make harmless.
   */
  private settlePartial(coll: Collection<LogDocument>, docs: LogDocument[], err: MongoBulkWriteError): boolean {
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    const inserted = err.result?.insertedCount ?? 0;
    if (err.writeConcernError || errors.length === 0 || inserted + errors.length !== docs.length) return false;
    if (errors.some((we) => TRANSIENT_CODES.has(we.code))) return false;
    let dup = 0;
    const other = new Map<string, number>();
    for (const we of errors) {
      if (we.code === DUPLICATE_KEY) dup++;
      else {
        const why = `${we.code}: ${we.errmsg ?? ''}`;
        other.set(why, (other.get(why) ?? 0) + 1);
      }
    }
    this.own.inserted += inserted;
    this.own.duplicates += dup;
    for (const [why, n] of other) this.reject(coll, n, why);
    return true;
  }

  private reject(coll: Collection<LogDocument>, n: number, why: string): void {
    this.own.rejected += n;
    this.ctx.logger.error(`${coll.collectionName}: ${n} record${n === 1 ? '' : 's'} cannot be stored (${why}); not retried`);
  }

  /** Read access to what this plugin stores (the viewer's store interface). */
  reader(): MongoStoreReader {
    if (!this.client) throw new Error('mongodb plugin: reader() needs start() first');
    const logs = this.collections.get('L')!;
    return new MongoStoreReader(logs, this.collections.get('P')!, `${redactUri(this.opts.uri)} ${this.opts.database}.${logs.collectionName}`);
  }

  flush(): void {
    // Nothing is buffered here: a batch is either stored or still in the collector's queue.
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = undefined;
    await c?.close();
  }
}

/**
 * An error that says "try again later", not "this record is bad": no server,
 * a dropped connection, a timeout, a primary stepping down, a server shutting
 * down, a write concern not met.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.cause !== undefined && err.cause !== err && isTransient(err.cause)) return true;
  const name = err.name;
  if (/^Mongo(Network|NetworkTimeout|ServerSelection|Topology|PoolCleared|Timeout|NotConnected)/.test(name)) return true;
  if (err instanceof mongo().MongoServerError || err instanceof mongo().MongoBulkWriteError) {
    if (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool')) return true;
    if (typeof err.code === 'number' && TRANSIENT_CODES.has(err.code)) return true;
    if (err instanceof mongo().MongoBulkWriteError && err.writeConcernError) return true;
  }
  return false;
}

/**
 * The store read interface over the mongodb plugin's collections: recent
 * tasks, one task's records, records after a cursor. What each query costs:
 *
 * | query | real MongoDB | FerretDB (SQLite backend) |
 * | --- | --- | --- |
 * | taskRecords(id) | `task_seq` index: reads only the task's records | full scan of both collections (only `_id` equality is pushed down to SQLite) |
 * | recentTasks({limit}) | walks the `time` index backwards until `limit` distinct tasks are seen, then one `task_seq` lookup per batch of tasks | a scan + sort of the log collection, then a scan per batch of tasks |
 * | recordsAfter(cursor) | `time` index range from the cursor | a scan + sort per page |
 * | an attribute `{ 'attributes.k': name }` | `attributes` multikey index | scan |
 *
 * On FerretDB every query but `_id` equality is O(collection size): fine for a
 * test or a small team, and the reason the README points larger stores to real
 * MongoDB (or to a capped collection that bounds what a scan reads).
 *
 * recordsAfter orders records by event time then `_id`; a record that arrives
 * later with an older time than the cursor is not returned to a reader that
 * already passed that time (a live tail should re-read a short window).
 */
import type { Collection, Filter } from 'mongodb';
import { mongo } from './driver.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import { fromDocument, type LogDocument } from './document.js';
import { summarizeTasks, type RecentTasksQuery, type RecordsPage, type StoreReader, type TaskSummary } from '../store.js';

function compareTime(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const byTimeThenSeq = (a: LogEntry, b: LogEntry) => compareTime(a.timeUnixNano, b.timeUnixNano) || (a.seq ?? 0) - (b.seq ?? 0);

/** Cursor = `<timeUnixNano>:<_id>` of the last record returned. */
function parseCursor(cursor: string | undefined): { t: string; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const i = cursor.indexOf(':');
  if (i <= 0 || !/^\d+$/.test(cursor.slice(0, i))) throw new Error(`invalid mongodb store cursor ${JSON.stringify(cursor)}: expected <timeUnixNano>:<id>`);
  return { t: cursor.slice(0, i), id: cursor.slice(i + 1) };
}

const msDate = (ns: string) => new Date(ns.length > 6 ? Number(ns.slice(0, -6)) : 0);

export class MongoStoreReader implements StoreReader {
  private readonly all: Collection<LogDocument>[];

  constructor(
    private readonly logs: Collection<LogDocument>,
    perf: Collection<LogDocument>,
    private readonly where = `mongodb collection ${logs.collectionName}`,
  ) {
    this.all = perf.collectionName === logs.collectionName ? [logs] : [logs, perf];
  }

  describe(): string {
    return this.where;
  }

  /** Closes the client when the reader owns it (opened by openMongoStore), else leaves it to the plugin. */
  async close(): Promise<void> {
    await this.owned?.close();
  }

  /** Set by openMongoStore: the client this reader opened itself. */
  owned: { close(): Promise<void> } | undefined;

  async taskRecords(taskId: string): Promise<LogEntry[]> {
    const parts = await Promise.all(this.all.map((c) => c.find({ task: taskId }).sort({ task: 1, seq: 1 }).toArray()));
    return parts.flat().map(fromDocument).sort(byTimeThenSeq);
  }

  async recentTasks(opts: RecentTasksQuery): Promise<TaskSummary[]> {
    const filter: Filter<LogDocument> = { task: { $exists: true } };
    if (opts.since) filter.timeUnixNano = { $gte: opts.since };
    // Newest records first, only their task ids: distinct task ids in order of latest activity.
    const cursor = this.logs.find(filter, { projection: { task: 1, _id: 0 } }).sort({ time: -1 }).batchSize(1000);
    const seen = new Set<string>();
    const out: TaskSummary[] = [];
    let pending: string[] = [];
    const settle = async () => {
      const ids = pending;
      pending = [];
      const docs = (await Promise.all(this.all.map((c) => c.find({ task: { $in: ids } }).toArray()))).flat();
      const byTask = new Map<string, LogEntry[]>(ids.map((id) => [id, []]));
      for (const d of docs) byTask.get(d.task!)?.push(fromDocument(d));
      // the same summary rules as every store (store.ts)
      for (const s of summarizeTasks(ids.flatMap((id) => byTask.get(id)!))) {
        if (!opts.failedOnly || s.status === 'failed') out.push(s);
      }
    };
    try {
      for await (const d of cursor) {
        if (out.length >= opts.limit) break;
        const id = d.task!;
        if (seen.has(id)) continue;
        seen.add(id);
        pending.push(id);
        if (pending.length >= Math.max(opts.limit - out.length, 1)) await settle();
      }
      if (pending.length && out.length < opts.limit) await settle();
    } finally {
      await cursor.close();
    }
    return out.slice(0, opts.limit);
  }

  async recordsAfter(cursor: string, limit: number): Promise<RecordsPage> {
    const after = parseCursor(cursor);
    const filter: Filter<LogDocument> = after
      ? { time: { $gte: msDate(after.t) }, $or: [{ timeUnixNano: { $gt: after.t } }, { timeUnixNano: after.t, _id: { $gt: after.id } }] }
      : {};
    const parts = await Promise.all(this.all.map((c) => c.find(filter).sort({ time: 1, timeUnixNano: 1, _id: 1 }).limit(limit).toArray()));
    const docs = parts.flat().sort((a, b) => compareTime(a.timeUnixNano, b.timeUnixNano) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).slice(0, limit);
    const lastDoc = docs[docs.length - 1];
    return { records: docs.map(fromDocument), cursor: lastDoc ? `${lastDoc.timeUnixNano}:${lastDoc._id}` : cursor };
  }
}

/**
 * A reader of a database the mongodb plugin writes, for `distlog tree --from
 * mongodb://HOST:PORT/DB?log=COLL&perf=COLL` (defaults: the plugin's database and
 * collection names). The driver connects on the first query.
 */
export function openMongoStore(uri: string, database: string, log: string, perf: string, timeoutMs = 5_000): MongoStoreReader {
  const client = new (mongo().MongoClient)(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  const db = client.db(database);
  const reader = new MongoStoreReader(db.collection<LogDocument>(log), db.collection<LogDocument>(perf), `mongodb ${database}.${log}`);
  reader.owned = client;
  return reader;
}

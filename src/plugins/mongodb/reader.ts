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
import type { LogEntry } from '../../protocol/log-entry.js';
import { fromDocument, type LogDocument } from './document.js';

// replaced by ../store.ts at merge
export interface TaskSummary {
  id: string;
  /** The root scope's enter message, else the task's earliest record's message. */
  firstMessage: string;
  services: string[];
  status: 'running' | 'ok' | 'failed';
  /** First record time, ns since the epoch in decimal (as LogEntry.timeUnixNano). */
  start: string;
  /** The root scope's duration, else the time between the first and the last record. */
  durationMs: number;
  errorCount: number;
}
// replaced by ../store.ts at merge
export interface StoreReader {
  recentTasks(opts: { limit: number; since?: Date; failedOnly?: boolean }): Promise<TaskSummary[]>;
  taskRecords(taskId: string): Promise<LogEntry[]>;
  recordsAfter(cursor: string | undefined, limit: number): Promise<{ records: LogEntry[]; cursor: string | undefined }>;
}

const ERROR_SEVERITY = 17;

function compareTime(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const byTimeThenSeq = (a: LogEntry, b: LogEntry) => compareTime(a.timeUnixNano, b.timeUnixNano) || (a.seq ?? 0) - (b.seq ?? 0);

/** A task's summary from all of its records (the same rules as the viewer's summarize()). */
export function summarizeTask(id: string, records: readonly LogEntry[]): TaskSummary {
  let first: LogEntry | undefined;
  let last: LogEntry | undefined;
  let rootEnter: LogEntry | undefined;
  let rootEnd: LogEntry | undefined;
  let errorCount = 0;
  const services = new Set<string>();
  const tops = new Map<string, 'running' | 'ok' | 'failed'>();
  for (const r of records) {
    if (!first || compareTime(r.timeUnixNano, first.timeUnixNano) < 0) first = r;
    if (!last || compareTime(r.timeUnixNano, last.timeUnixNano) > 0) last = r;
    if (r.severity >= ERROR_SEVERITY) errorCount++;
    const svc = r.resource['service.name'];
    if (typeof svc === 'string') services.add(svc);
    const path = r.path ?? '';
    if (path === '') {
      if (r.event === 'enter') rootEnter = r;
      else if (r.event === 'exit' || r.event === 'fail') rootEnd = r;
    } else if (!path.includes('/')) {
      const was = tops.get(path) ?? 'running';
      if (r.event === 'fail') tops.set(path, 'failed');
      else if (r.event === 'exit' && was !== 'failed') tops.set(path, 'ok');
      else if (!tops.has(path)) tops.set(path, 'running');
    }
  }
  let status: TaskSummary['status'];
  const rootWrote = records.some((r) => (r.path ?? '') === '');
  if (rootWrote || tops.size === 0) status = rootEnd ? (rootEnd.event === 'fail' ? 'failed' : 'ok') : 'running';
  else {
    // The task began outside distlog (its scopes joined it): its top scopes decide.
    const states = [...tops.values()];
    status = states.includes('failed') ? 'failed' : states.every((s) => s === 'ok') ? 'ok' : 'running';
  }
  const spanMs = first && last ? Number(BigInt(last.timeUnixNano) - BigInt(first.timeUnixNano)) / 1e6 : 0;
  return {
    id,
    firstMessage: rootEnter?.message ?? first?.message ?? '',
    services: [...services].sort(),
    status,
    start: first?.timeUnixNano ?? '0',
    durationMs: rootEnd?.durationMs ?? spanMs,
    errorCount,
  };
}

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
  ) {
    this.all = perf.collectionName === logs.collectionName ? [logs] : [logs, perf];
  }

  async taskRecords(taskId: string): Promise<LogEntry[]> {
    const parts = await Promise.all(this.all.map((c) => c.find({ task: taskId }).sort({ task: 1, seq: 1 }).toArray()));
    return parts.flat().map(fromDocument).sort(byTimeThenSeq);
  }

  async recentTasks(opts: { limit: number; since?: Date; failedOnly?: boolean }): Promise<TaskSummary[]> {
    const filter: Filter<LogDocument> = { task: { $exists: true } };
    if (opts.since) filter.time = { $gte: opts.since };
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
      for (const id of ids) {
        const s = summarizeTask(id, byTask.get(id)!);
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

  async recordsAfter(cursor: string | undefined, limit: number): Promise<{ records: LogEntry[]; cursor: string | undefined }> {
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

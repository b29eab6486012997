/**
 * The store read interface: what the viewer (`distlog tree --from ...`, the web
 * viewer) asks of a store, whichever plugin wrote it. A plugin instance that
 * keeps records where they can be read back offers `reader()`; the CLI can also
 * open a reader from a URL without a running collector.
 *
 * Every implementation documents each query's cost in its own file, because
 * stores differ: a Redis stream is scanned with XRANGE, files are read line by
 * line, MongoDB uses its indexes.
 *
 * `summarizeTasks` turns a task's records into its `TaskSummary` the same way
 * for every store (plugins may not import the viewer).
 */
import type { LogEntry } from '../protocol/log-entry.js';

/** One line's worth of facts about a task, for a recent-tasks list. */
export interface TaskSummary {
  /** The task id. */
  id: string;
  /** The root scope's enter message, else the task's earliest record's message. */
  firstMessage: string;
  /** service.name of its records, sorted. */
  services: string[];
  /** failed: the root scope failed (or, with no root record, any record has a fail event); ok: the root exited; else running. */
  status: 'running' | 'ok' | 'failed';
  /** Earliest record time (ns since the epoch, decimal string). */
  start: string;
  /** The root scope's duration, else the span from the first to the last record (ms). */
  durationMs: number;
  /** Records at ERROR (severity 17) or above. */
  errorCount: number;
  recordCount: number;
}

export interface RecentTasksQuery {
  /** At most this many tasks, the most recent (by start) first. */
  limit: number;
  /** Only tasks with a record at or after this time (ns since the epoch, decimal string). */
  since?: string;
  /** Only failed tasks (status failed or an error record). */
  failedOnly?: boolean;
}

/** A record the reader could not read: said where, and the reading goes on. */
export interface StoreProblem {
  where: string;
  message: string;
}

export interface RecordsPage {
  records: LogEntry[];
  /** Pass to the next recordsAfter() call; it is opaque (each store encodes its own position). */
  cursor: string;
  /** Stored values that are not LogEntries, skipped. */
  problems?: StoreProblem[];
}

export interface StoreReader {
  /** What is read, for messages: e.g. `redis://127.0.0.1:6379/0 (3 streams)`. */
  describe(): string;
  /** The most recent tasks, newest first. */
  recentTasks(opts: RecentTasksQuery): Promise<TaskSummary[]>;
  /** Every record of one task, in storage order. */
  taskRecords(taskId: string): Promise<LogEntry[]>;
  /**
   * Up to `limit` records stored after `cursor` ('' = from the beginning), in
   * storage order, and the cursor to continue from. An empty page means "nothing
   * newer yet": call again later with the same cursor to follow the store.
   */
  recordsAfter(cursor: string, limit: number): Promise<RecordsPage>;
  /** Release connections. Safe to call twice. */
  close(): Promise<void>;
}

/** A plugin instance that can be read back (optional part of PluginInstance). */
export interface ReadableStore {
  reader?(): StoreReader;
}

const ERROR_SEVERITY = 17;

function timeNs(t: string): bigint {
  return /^\d+$/.test(t) ? BigInt(t) : 0n;
}

interface TaskAcc {
  id: string;
  first: LogEntry;
  last: LogEntry;
  rootEnter?: LogEntry;
  rootEnd?: LogEntry;
  anyFail: boolean;
  services: Set<string>;
  errors: number;
  count: number;
}

/** Summaries of tasks built record by record: memory follows the number of tasks, not of records. */
export class TaskSummarizer {
  private readonly tasks = new Map<string, TaskAcc>();

  /** Records without a task are ignored. */
  add(e: LogEntry): void {
    if (!e.task) return;
    let a = this.tasks.get(e.task);
    if (!a) this.tasks.set(e.task, (a = { id: e.task, first: e, last: e, anyFail: false, services: new Set(), errors: 0, count: 0 }));
    a.count++;
    if (timeNs(e.timeUnixNano) < timeNs(a.first.timeUnixNano)) a.first = e;
    if (timeNs(e.timeUnixNano) > timeNs(a.last.timeUnixNano)) a.last = e;
    const service = e.resource['service.name'];
    if (typeof service === 'string') a.services.add(service);
    if (e.severity >= ERROR_SEVERITY) a.errors++;
    if (e.event === 'fail') a.anyFail = true;
    if (e.path === '' || e.path === undefined) {
      if (e.event === 'enter') a.rootEnter = e;
      else if (e.event === 'exit' || e.event === 'fail') a.rootEnd = e;
    }
  }

  summaries(): TaskSummary[] {
    return [...this.tasks.values()].map((a) => {
      const status = a.rootEnd ? (a.rootEnd.event === 'fail' ? 'failed' : 'ok') : a.rootEnter ? 'running' : a.anyFail ? 'failed' : 'running';
      const span = Number(timeNs(a.last.timeUnixNano) - timeNs(a.first.timeUnixNano)) / 1e6;
      return {
        id: a.id,
        firstMessage: (a.rootEnter ?? a.first).message,
        services: [...a.services].sort(),
        status,
        start: a.first.timeUnixNano,
        durationMs: a.rootEnd?.durationMs ?? span,
        errorCount: a.errors,
        recordCount: a.count,
      };
    });
  }
}

/** The summaries of the tasks among `records`. */
export function summarizeTasks(records: Iterable<LogEntry>): TaskSummary[] {
  const s = new TaskSummarizer();
  for (const e of records) s.add(e);
  return s.summaries();
}

/** recentTasks() over summaries: filter, newest first, limit. Shared by the readers. */
export function selectRecent(summaries: TaskSummary[], opts: RecentTasksQuery): TaskSummary[] {
  const since = opts.since === undefined ? undefined : timeNs(opts.since);
  return summaries
    .filter((s) => !opts.failedOnly || s.status === 'failed' || s.errorCount > 0)
    .filter((s) => since === undefined || timeNs(s.start) + BigInt(Math.round(s.durationMs * 1e6)) >= since)
    .sort((a, b) => (timeNs(b.start) > timeNs(a.start) ? 1 : timeNs(b.start) < timeNs(a.start) ? -1 : 0))
    .slice(0, opts.limit);
}

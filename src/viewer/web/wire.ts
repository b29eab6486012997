/**
 * The JSON the web plugin serves and the page reads (src/viewer/web-ui imports these
 * types only). Times are nanoseconds since the epoch as decimal strings, as in
 * LogEntry; `offsetMs` values are relative to the task's first record.
 */
import type { LogEntry } from '../../protocol/log-entry.js';

export type Status = 'running' | 'ok' | 'failed';

/** One row of the recent-tasks list. */
export interface TaskRow {
  task: string;
  title: string;
  status: Status;
  /** First record time (ns). */
  start: string;
  durationMs: number | undefined;
  /** durationMs is a lower bound: the task has not ended (or its end record is missing). */
  durationAtLeast: boolean;
  services: string[];
  errorCount: number;
  recordCount: number;
  /** live: from the plugin's in-memory window; store: read from the configured store. */
  source: 'live' | 'store';
}

/** One node of a task tree (a scope, a span group, or the unattributed group). */
export interface TreeNodeJson {
  id: string;
  kind: 'scope' | 'span' | 'unattributed';
  path: string | undefined;
  /** The scope's enter message (or a label for span / unattributed groups). */
  title: string;
  status: Status;
  /** From the task's first record to this node's first record (ms). */
  offsetMs: number;
  /** The scope's duration; for a running scope, up to its latest record (durationAtLeast). */
  durationMs: number;
  /** The waterfall bar's length: end record time minus enter record time (one clock), else durationMs. */
  barMs: number;
  durationAtLeast: boolean;
  services: string[];
  errors: number;
  subtreeErrors: number;
  missingSeqs: number;
  records: LogEntry[];
  children: TreeNodeJson[];
}

export interface TaskTreeJson {
  task: string;
  firstTime: string;
  lastTime: string;
  /** Time from the first to the last record or scope end (ms): the waterfall's full width. */
  spanMs: number;
  recordCount: number;
  errorCount: number;
  services: string[];
  /** Records of it were evicted from memory and no store had them: incomplete. */
  partial: boolean;
  source: 'live' | 'store' | 'live+store';
  root: TreeNodeJson;
  /** Records whose place could not be found (absent when none). */
  unattributed: TreeNodeJson | undefined;
}

export interface PluginCountersJson {
  received: number;
  written: number;
  dropped: number;
  errors: number;
  filtered: number;
  queued: number;
}

export interface CountersJson {
  /** The collector's counters; absent when the plugin runs without a collector. */
  collector:
    | {
        uptimeSeconds: number;
        receiver: { messages: number; entries: number; bytes: number; badMessages: number; badEntries: number };
        plugins: Record<string, PluginCountersJson>;
        badInput: Record<string, number>;
      }
    | undefined;
  web: WebCounters;
}

export type WebCounters = {
  /** The store read besides the in-memory window, or '' for none. */
  store: string;
  windowTasks: number;
  windowRecords: number;
  evictedTasks: number;
  evictedRecords: number;
  liveClients: number;
  /** Bytes of live events queued for browsers that are behind (at most sse.maxQueuedBytes each). */
  liveQueuedBytes: number;
  /** Events not sent to slow browsers (each such browser got a gap marker). */
  skippedEvents: number;
  refusedClients: number;
  unauthorized: number;
};

/** Live events (SSE `event:` names and their `data:`). */
export interface LiveEvents {
  /** The newest records of one consumed batch; `omitted` older ones of it were not sent. */
  records: { records: LogEntry[]; omitted: number };
  /** Rows of tasks that changed, and ids of tasks evicted from memory. */
  tasks: { tasks: TaskRow[]; evicted: string[] };
  /** This browser fell behind: `skipped` events were dropped for it (reload what you show). */
  gap: { skipped: number };
}

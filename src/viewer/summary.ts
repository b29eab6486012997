/** One line's worth of facts about a task, for the recent-tasks list. */
import { compareTime } from './record-order.js';
import type { ScopeNode, ScopeStatus, TaskTree } from './tree-types.js';

export interface TaskSummary {
  task: string;
  /** The root scope's enter message, else the task's earliest record's message. */
  title: string;
  services: readonly string[];
  /** The root scope's status. */
  status: ScopeStatus;
  /** The task is sealed and its root scope never ended (records lost, or a crash). */
  incomplete: boolean;
  /** First record time (ns, decimal string). */
  start: string;
  /** The root scope's duration, else (durationAtLeast) the time between the task's first and last record. */
  durationMs: number | undefined;
  /** durationMs is a lower bound: the root scope has not ended (or its end record is missing). */
  durationAtLeast: boolean;
  errorCount: number;
  recordCount: number;
  partial: boolean;
}

function earliest(n: ScopeNode, best: { time: string; message: string } | undefined): { time: string; message: string } | undefined {
  for (const r of n.records) if (best === undefined || compareTime(r.timeUnixNano, best.time) < 0) best = { time: r.timeUnixNano, message: r.message };
  for (const c of n.children) best = earliest(c, best);
  return best;
}

function spanMs(from: string, to: string): number | undefined {
  if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) return undefined;
  return Number(BigInt(to) - BigInt(from)) / 1e6;
}

/**
 * The task's status: its root scope's, or, when the root wrote nothing (the
 * task began outside distlog, its scopes joined it), its top scopes' together.
 */
function taskStatus(root: ScopeNode): ScopeStatus {
  if (root.records.length > 0 || root.children.length === 0) return root.status;
  const tops = root.children.filter((c) => c.kind === 'scope');
  if (tops.some((c) => c.status === 'failed')) return 'failed';
  return tops.length > 0 && tops.every((c) => c.status === 'ok') ? 'ok' : 'running';
}

export function summarize(t: TaskTree): TaskSummary {
  const root = t.root;
  const status = taskStatus(root);
  const title = root.enter?.message ?? earliest(t.unattributed, earliest(root, undefined))?.message ?? '';
  return {
    task: t.task,
    title,
    services: t.services,
    status,
    incomplete: t.sealed && status === 'running',
    start: t.firstTime,
    durationMs: root.durationMs ?? (t.recordCount > 1 ? spanMs(t.firstTime, t.lastTime) : undefined),
    durationAtLeast: root.durationMs === undefined,
    errorCount: t.errorCount,
    recordCount: t.recordCount,
    partial: t.partial,
  };
}

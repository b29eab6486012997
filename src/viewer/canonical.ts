/**
 * A canonical serialization of a task tree: everything a view can show, in a
 * fixed order. Two trees that serialize alike look alike; the permutation
 * property test compares these.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import type { ScopeNode, TaskTree } from './tree-types.js';

const ref = (e: LogEntry | undefined): string | null => (e === undefined ? null : `${e.seq ?? '-'}:${e.timeUnixNano}:${e.message}`);

function node(n: ScopeNode): unknown {
  return {
    id: n.id,
    kind: n.kind,
    path: n.path ?? null,
    spans: [...n.spans].sort(),
    status: n.status,
    enter: ref(n.enter),
    end: ref(n.end),
    endInferred: n.endInferred,
    durationMs: n.durationMs ?? null,
    services: n.services,
    errors: n.errors,
    subtreeErrors: n.subtreeErrors,
    missingSeqs: n.missingSeqs,
    enterCount: n.enterCount,
    python: n.python,
    records: n.records.map((r) => JSON.stringify(r)),
    children: n.children.map(node),
  };
}

export function canonicalTask(t: TaskTree): string {
  return JSON.stringify({
    task: t.task,
    firstTime: t.firstTime,
    lastTime: t.lastTime,
    recordCount: t.recordCount,
    errorCount: t.errorCount,
    services: t.services,
    sealed: t.sealed,
    partial: t.partial,
    root: node(t.root),
    unattributed: node(t.unattributed),
  });
}

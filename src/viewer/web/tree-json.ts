/**
 * The viewer's task trees (src/viewer TreeModel) as the JSON the page draws:
 * each node with its offset and duration from the task's first record, for
 * the waterfall, and its records in seq order.
 */
import type { ScopeNode, TaskTree } from '../index.js';
import { summarize } from '../index.js';
import type { TaskRow, TaskTreeJson, TreeNodeJson } from './wire.js';

function ns(t: string | undefined): bigint | undefined {
  return t !== undefined && /^\d+$/.test(t) ? BigInt(t) : undefined;
}

function msBetween(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}

/** First and last record time of a node and its subtree. */
function extent(n: ScopeNode): { first: bigint | undefined; last: bigint | undefined } {
  let first: bigint | undefined;
  let last: bigint | undefined;
  const visit = (m: ScopeNode) => {
    for (const r of m.records) {
      const t = ns(r.timeUnixNano);
      if (t === undefined) continue;
      if (first === undefined || t < first) first = t;
      if (last === undefined || t > last) last = t;
    }
    for (const c of m.children) visit(c);
  };
  visit(n);
  return { first, last };
}

function title(n: ScopeNode): string {
  if (n.kind === 'unattributed') return 'unattributed records';
  if (n.enter) return n.enter.message;
  if (n.kind === 'span') return `span ${[...n.spans].join(', ')}`;
  return n.path === '' ? '(task)' : `(scope ${n.path})`;
}

function nodeJson(n: ScopeNode, t0: bigint): TreeNodeJson {
  const { first, last } = extent(n);
  const start = ns(n.enter?.timeUnixNano) ?? first ?? t0;
  const known = n.durationMs;
  const durationMs = known ?? (last !== undefined ? Math.max(0, msBetween(start, last)) : 0);
  // The bar runs from the enter record's time to the end record's time: one clock for
  // both ends, so a scope that ended before its parent is drawn inside it. The SDK's own
  // durationMs (shown as text) is measured on another clock and differs by fractions of
  // a millisecond.
  const end = ns(n.end?.timeUnixNano);
  const barMs = end !== undefined && end >= start ? msBetween(start, end) : durationMs;
  return {
    id: n.id,
    kind: n.kind,
    path: n.path,
    title: title(n),
    status: n.status,
    offsetMs: Math.max(0, msBetween(t0, start)),
    durationMs,
    barMs,
    durationAtLeast: known === undefined,
    services: [...n.services],
    errors: n.errors,
    subtreeErrors: n.subtreeErrors,
    missingSeqs: n.missingSeqs,
    records: [...n.records],
    children: n.children.map((c) => nodeJson(c, t0)),
  };
}

function spanOf(n: TreeNodeJson): number {
  return Math.max(n.offsetMs + n.barMs, ...n.children.map(spanOf));
}

export function treeJson(t: TaskTree, source: TaskTreeJson['source']): TaskTreeJson {
  const t0 = ns(t.firstTime) ?? 0n;
  const root = nodeJson(t.root, t0);
  const loose = t.unattributed.records.length > 0 || t.unattributed.children.length > 0 ? nodeJson(t.unattributed, t0) : undefined;
  const last = ns(t.lastTime);
  return {
    task: t.task,
    firstTime: t.firstTime,
    lastTime: t.lastTime,
    spanMs: Math.max(spanOf(root), loose ? spanOf(loose) : 0, last !== undefined ? msBetween(t0, last) : 0),
    recordCount: t.recordCount,
    errorCount: t.errorCount,
    services: [...t.services],
    partial: t.partial,
    source,
    root,
    unattributed: loose,
  };
}

export function taskRow(t: TaskTree): TaskRow {
  const s = summarize(t);
  return {
    task: s.task,
    title: s.title,
    status: s.status,
    start: s.start,
    durationMs: s.durationMs,
    durationAtLeast: s.durationAtLeast,
    services: [...s.services],
    errorCount: s.errorCount,
    recordCount: s.recordCount,
    source: 'live',
  };
}

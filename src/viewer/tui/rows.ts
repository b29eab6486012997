/**
 * The rows the interactive viewer shows for a state: the task list, or one
 * task's tree with its folded scopes closed. Pure. Each row carries its text
 * with ANSI colours (log content passed through safeText first, so the only
 * escape sequences are ours) and a stable key that keeps the selection on it
 * while rows come and go.
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import { compareTime } from '../record-order.js';
import { DIM, GREEN, RED, YELLOW, formatAttributes, formatDuration, formatTime, levelPaint, painter, safeText } from '../render-style.js';
import { summarize } from '../summary.js';
import type { ScopeNode, TaskTree } from '../tree-types.js';
import { LEVEL_CYCLE, type ViewState } from './state-types.js';

export interface Row {
  /** Stable identity: `t:<task>`, `n:<node id>`, `r:<node id>:<index>`, `x:…` for detail lines. */
  key: string;
  /** The text, painted. */
  text: string;
  /** The text without colours: what search matches. */
  plain: string;
  /** The task a list row opens. */
  task?: string;
  /** The scope node a tree row folds and unfolds. */
  node?: string;
  /** The node that must be unfolded for this row to show (undefined: always shown). */
  owner?: string;
}

const paint = painter(true);
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const row = (key: string, text: string, extra: Partial<Row> = {}): Row => ({ key, text, plain: stripAnsi(text), ...extra });

const hasFailure = (n: ScopeNode): boolean => n.subtreeErrors > 0 || n.status === 'failed';

/** Memo: visibleRows is called on every key; the rows change only with the state's inputs. */
let memo: { s: ViewState; rows: Row[] } | undefined;

export function visibleRows(s: ViewState): Row[] {
  if (memo && sameInputs(memo.s, s)) return memo.rows;
  const rows = s.openTask === undefined ? listRows(s) : treeRows(s);
  memo = { s, rows };
  return rows;
}

function sameInputs(a: ViewState, b: ViewState): boolean {
  // the tasks are live objects that change in place: follow mode always passes a new array
  return a.tasks === b.tasks && a.openTask === b.openTask && a.unfolded === b.unfolded && a.failedOnly === b.failedOnly && a.level === b.level;
}

function listRows(s: ViewState): Row[] {
  const out: Row[] = [];
  for (const t of s.tasks) {
    const x = summarize(t);
    if (s.failedOnly && x.status !== 'failed' && x.errorCount === 0) continue;
    const icon = x.status === 'failed' ? paint(RED, '✘') : x.status === 'ok' ? paint(GREEN, '✔') : x.incomplete ? paint(YELLOW, '?') : '▸';
    const dur = x.durationMs === undefined ? '' : ` · ${x.durationAtLeast ? '≥ ' : ''}${formatDuration(x.durationMs)}`;
    const errs = x.errorCount ? ` · ${paint(RED, `${x.errorCount} error${x.errorCount === 1 ? '' : 's'}`)}` : '';
    const title = safeText(x.title.split('\n')[0] ?? '');
    const text = `${icon} ${paint(DIM, formatTime(x.start).slice(11, 23))} ${x.status === 'failed' ? paint(RED, title) : title} ${paint(DIM, `[${safeText(x.services.join(', '))}]`)}${dur}${errs} ${paint(DIM, `${x.recordCount} rec · ${safeText(x.task)}`)}`;
    out.push(row(`t:${t.task}`, text, { task: t.task }));
  }
  return out;
}

/** When a node began: its enter record, its first record, or its earliest child. */
function startOf(n: ScopeNode): string {
  const own = n.enter?.timeUnixNano ?? n.records[0]?.timeUnixNano;
  if (own !== undefined) return own;
  let best: string | undefined;
  for (const c of n.children) {
    const t = startOf(c);
    if (best === undefined || compareTime(t, best) < 0) best = t;
  }
  return best ?? '';
}

interface Ctx {
  s: ViewState;
  minSeverity: number;
  sealed: boolean;
  out: Row[];
}

function treeRows(s: ViewState): Row[] {
  const t = s.tasks.find((x) => x.task === s.openTask);
  if (!t) return [row('x:gone', paint(DIM, `task ${safeText(s.openTask ?? '')} is no longer in memory (evicted)`))];
  const ctx: Ctx = { s, minSeverity: LEVEL_CYCLE[s.level]!.severity, sealed: t.sealed, out: [] };
  scopeRows(t.root, '', ctx);
  const u = t.unattributed;
  if ((u.records.length || u.children.length) && (!s.failedOnly || hasFailure(u))) {
    const open = s.unfolded.has(u.id);
    ctx.out.push(row(`n:${u.id}`, `${open ? '▾' : '▸'} ? unattributed: ${u.records.length} records, ${u.children.length} spans whose place is unknown`, { node: u.id }));
    if (open) bodyRows(u, '  ', ctx);
  }
  return ctx.out;
}

function scopeRows(n: ScopeNode, pad: string, ctx: Ctx): void {
  const open = ctx.s.unfolded.has(n.id);
  const fold = n.children.length || n.records.length > (n.enter ? 1 : 0) + (n.end ? 1 : 0) || n.end?.exception ? (open ? '▾' : '▸') : ' ';
  const failed = n.status === 'failed';
  const icon = failed ? paint(RED, '✘') : n.status === 'ok' ? paint(GREEN, '✔') : n.subtreeErrors ? paint(RED, '•') : '•';
  const services = n.services.length ? ` ${paint(DIM, `[${safeText(n.services.join(', '))}]`)}` : '';
  let title: string;
  if (n.kind === 'span') title = `span ${[...n.spans].join(',')}`;
  else {
    const raw = n.enter?.message ?? (n.records.length > 0 ? '(enter record missing)' : '(no records of this scope)');
    title = `${n.path ? `${n.path} ` : ''}${safeText(raw.split('\n')[0] ?? '')}`;
  }
  const facts: string[] = [];
  if (n.status === 'running' && n.kind === 'scope') facts.push(paint(DIM, ctx.sealed ? 'no end record' : 'running'));
  if (failed && n.end) facts.push(paint(RED, safeText(n.end.message.split('\n')[0] ?? '')));
  if (n.durationMs !== undefined) facts.push(formatDuration(n.durationMs));
  if (!failed && n.subtreeErrors) facts.push(paint(RED, `${n.subtreeErrors} error${n.subtreeErrors === 1 ? '' : 's'} below`));
  const attrs = n.enter ? formatAttributes(n.enter) : '';
  const text = `${pad}${fold} ${icon} ${failed ? paint(RED, title) : title}${services}${attrs ? ` ${paint(DIM, safeText(attrs))}` : ''}${facts.length ? ` · ${facts.join(' · ')}` : ''}`;
  ctx.out.push(row(`n:${n.id}`, text, { node: n.id, owner: n.parent?.id }));
  if (!open) return;
  if (n.end?.exception) exceptionRows(n.end, `${pad}    `, `n:${n.id}:end`, n.id, ctx);
  bodyRows(n, `${pad}  `, ctx);
}

/** Records (without enter and end) and subtasks, by time; records of equal time keep their seq order. */
function bodyRows(n: ScopeNode, pad: string, ctx: Ctx): void {
  type Item = { time: string; order: number; record?: LogEntry; index?: number; node?: ScopeNode };
  const items: Item[] = [];
  n.records.forEach((r, index) => {
    if (r === n.enter || r === n.end) return;
    if (r.severity < ctx.minSeverity && r.severity !== 0) return;
    items.push({ time: r.timeUnixNano, order: items.length, record: r, index });
  });
  let hidden = 0;
  for (const c of n.children) {
    if (ctx.s.failedOnly && !hasFailure(c)) hidden++;
    else items.push({ time: startOf(c), order: items.length, node: c });
  }
  items.sort((a, b) => compareTime(a.time, b.time) || a.order - b.order);
  for (const it of items) {
    if (it.node) scopeRows(it.node, pad, ctx);
    else recordRows(it.record!, `r:${n.id}:${it.index}`, `${pad}  `, n.enter?.attributes, n.id, ctx);
  }
  if (hidden) ctx.out.push(row(`x:${n.id}:hidden`, `${pad}  ${paint(DIM, `… ${hidden} branch${hidden === 1 ? '' : 'es'} without failure hidden`)}`, { owner: n.id }));
}

function recordRows(e: LogEntry, key: string, pad: string, scopeContext: Record<string, unknown> | undefined, owner: string, ctx: Ctx): void {
  const [first = '', ...more] = safeText(e.message).split('\n');
  const attrs = formatAttributes(e, scopeContext);
  const level = paint(levelPaint(e), safeText(e.level).padEnd(5));
  ctx.out.push(row(key, `${pad}${level} ${first}${attrs ? ` ${paint(DIM, safeText(attrs))}` : ''}`, { owner }));
  more.forEach((line, i) => ctx.out.push(row(`${key}:m${i}`, `${pad}      ${line}`, { owner })));
  if (e.exception) exceptionRows(e, `${pad}      `, key, owner, ctx);
}

function exceptionRows(e: LogEntry, pad: string, key: string, owner: string, ctx: Ctx): void {
  const x = e.exception!;
  const header = x.type === undefined ? x.message : x.message === '' ? x.type : `${x.type}: ${x.message}`;
  const lines = safeText(header).split('\n');
  lines.forEach((line, i) => ctx.out.push(row(`${key}:e${i}`, `${pad}${paint(RED, `${i === 0 ? '!' : ' '} ${line}`)}`, { owner })));
  if (x.stack === undefined) return;
  safeText(x.stack)
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '' && l.trim() !== header.split('\n')[0])
    .forEach((line, i) => ctx.out.push(row(`${key}:s${i}`, `${pad}  ${paint(DIM, line)}`, { owner })));
}

/** Every node id of the open task: the rows with everything unfolded, for searching folded content. */
export function allNodeIds(s: ViewState): Set<string> {
  const t = s.tasks.find((x) => x.task === s.openTask);
  const ids = new Set<string>();
  const walk = (n: ScopeNode): void => {
    ids.add(n.id);
    n.children.forEach(walk);
  };
  if (t) {
    walk(t.root);
    walk(t.unattributed);
  }
  return ids;
}

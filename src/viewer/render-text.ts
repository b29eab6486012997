/**
 * A task tree as indented text for the terminal. Rendering only: the tree
 * comes from tree-model.ts.
 *
 * One line per scope (status icon, path, enter message, services, enter
 * attributes, outcome, duration) and per record (level, message, attributes);
 * a multi-line message and a record's exception (type: message, then the
 * stack) are indented under their record; a scope's records come by seq, its
 * subtasks and its records without seq among them by time.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime } from './record-order.js';
import { DIM, GREEN, RED, YELLOW, formatAttributes, formatDuration, levelPaint, painter, safeText, type Paint } from './render-style.js';
import type { ScopeNode, TaskTree } from './tree-types.js';

export interface RenderOptions {
  /** Wrap levels and outcomes in ANSI colours. Default false. */
  color?: boolean;
  /** Subtask levels shown below the task (0 = the task's own records only). Default: all. */
  depth?: number;
  /** Show only the branches that contain a failure or an error record. */
  failedOnly?: boolean;
}

const LEVEL_WIDTH = 5;

interface Ctx {
  paint: Paint;
  depth: number;
  failedOnly: boolean;
  sealed: boolean;
  lines: string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : word.endsWith('ch') ? 'es' : 's'}`;

/** Later than any real time (compareTime orders by length first). */
const NEVER = '9'.repeat(22);

/** When a node began: its enter record, its first record, or its earliest child (a placeholder). */
function startOf(n: ScopeNode): string {
  const own = n.enter?.timeUnixNano ?? n.records[0]?.timeUnixNano;
  if (own !== undefined) return own;
  let best = NEVER;
  for (const c of n.children) {
    const t = startOf(c);
    if (compareTime(t, best) < 0) best = t;
  }
  return best;
}

/** A node, not a record (both have a `kind`). */
const isNode = (x: LogEntry | ScopeNode): x is ScopeNode => 'children' in x;

function hasFailure(n: ScopeNode): boolean {
  return n.subtreeErrors > 0 || n.status === 'failed';
}

/** The record's message (continuation lines aligned under its first line) and its exception. */
function recordBody(e: LogEntry, pad: string, head: string, ctx: Ctx, scopeContext: Record<string, unknown> | undefined): void {
  const [first = '', ...more] = safeText(e.message).split('\n');
  const attrs = formatAttributes(e, scopeContext);
  ctx.lines.push(`${head}${first}${attrs ? ` ${ctx.paint(DIM, safeText(attrs))}` : ''}`);
  for (const line of more) ctx.lines.push(`${pad}${line}`);
  exception(e, pad, ctx);
}

function exception(e: LogEntry, pad: string, ctx: Ctx): void {
  const x = e.exception;
  if (!x) return;
  // the type is optional (OTLP producers may send only a message): nothing is invented
  const header = x.type === undefined ? x.message : x.message === '' ? x.type : `${x.type}: ${x.message}`;
  const [first = '', ...more] = safeText(header).split('\n');
  ctx.lines.push(`${pad}${ctx.paint(RED, `! ${first}`)}`);
  for (const line of more) ctx.lines.push(`${pad}  ${ctx.paint(RED, line)}`);
  if (x.stack === undefined) return;
  for (const raw of safeText(x.stack).replace(/\s+$/, '').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    // the JS stack starts with, and the Python traceback ends with, the header just shown
    if (line === '' || line.trim() === header.split('\n')[0]) continue;
    ctx.lines.push(`${pad}  ${ctx.paint(DIM, line)}`);
  }
}

/** A record line; attributes equal to its scope's context (shown on the scope's line) are left out. */
function record(e: LogEntry, pad: string, ctx: Ctx, scopeContext?: Record<string, unknown>): void {
  const level = ctx.paint(levelPaint(e), safeText(e.level).padEnd(LEVEL_WIDTH));
  recordBody(e, `${pad}${' '.repeat(LEVEL_WIDTH + 1)}`, `${pad}${level} `, ctx, scopeContext);
}

function outcome(n: ScopeNode, title: string, ctx: Ctx): string {
  const parts: string[] = [];
  if (n.status === 'running') parts.push(ctx.paint(DIM, ctx.sealed ? 'no end record' : 'running'));
  else if (n.end && (n.status === 'failed' || n.end.message !== title)) {
    parts.push(ctx.paint(n.status === 'failed' ? RED : GREEN, safeText(n.end.message.split('\n')[0]!)));
  }
  if (n.durationMs !== undefined) parts.push(formatDuration(n.durationMs));
  if (n.missingSeqs > 0) parts.push(ctx.paint(DIM, `${plural(n.missingSeqs, 'record')} missing`));
  if (n.enterCount > 1) parts.push(ctx.paint(YELLOW, `${n.enterCount} scopes share this path`));
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

function scope(n: ScopeNode, level: number, pad: string, ctx: Ctx): void {
  const icon = n.status === 'failed' ? ctx.paint(RED, '✘') : n.status === 'ok' ? ctx.paint(GREEN, '✔') : '▸';
  const services = n.services.length ? ` ${ctx.paint(DIM, `[${n.services.join(', ')}]`)}` : '';
  if (n.kind === 'span') {
    ctx.lines.push(`${pad}${ctx.paint(n.subtreeErrors ? RED : '', '◦')} span ${[...n.spans].join(',')}${services}`);
  } else {
    const title = n.enter?.message ?? (n.records.length > 0 ? '(enter record missing)' : n.path === '' && n.children.some((c) => c.id.startsWith('j:')) ? '(begun outside distlog)' : '(no records of this scope)');
    const attrs = n.enter ? formatAttributes(n.enter) : '';
    const where = n.path ? `${n.path} ` : '';
    const [first = '', ...more] = safeText(title).split('\n');
    ctx.lines.push(`${pad}${icon} ${where}${first}${services}${attrs ? ` ${ctx.paint(DIM, safeText(attrs))}` : ''}${outcome(n, title, ctx)}`);
    for (const line of more) ctx.lines.push(`${pad}  ${line}`);
    if (n.end) exception(n.end, `${pad}  `, ctx);
  }
  body(n, level, `${pad}  `, ctx);
}

/**
 * Records (without enter and end) by seq; records without seq (plain OTLP in a
 * scope) and subtasks merged in by time, each list keeping its own order.
 */
function body(n: ScopeNode, level: number, pad: string, ctx: Ctx): void {
  const bySeq = n.records.filter((r) => r !== n.enter && r !== n.end && r.seq !== undefined);
  const byTime = n.records.filter((r) => r !== n.enter && r !== n.end && r.seq === undefined);
  let children = [...n.children];
  let hidden = 0;
  let hiddenFailed = 0;
  if (level >= ctx.depth) {
    hidden = children.length;
    hiddenFailed = children.filter(hasFailure).length;
    children = [];
  } else if (ctx.failedOnly) {
    hidden = children.filter((c) => !hasFailure(c)).length;
    children = children.filter(hasFailure);
  }
  // four lists, each in its own order (scopes by path: their parent's allocation order)
  const lists: Array<Array<LogEntry | ScopeNode>> = [bySeq, byTime, children.filter((x) => x.kind === 'scope'), children.filter((x) => x.kind !== 'scope')];
  const heads = [0, 0, 0, 0];
  const timeOf = (x: LogEntry | ScopeNode): string => (isNode(x) ? startOf(x) : x.timeUnixNano);
  for (;;) {
    let pick = -1;
    for (let k = 0; k < lists.length; k++) {
      const x = lists[k]![heads[k]!];
      if (x !== undefined && (pick < 0 || compareTime(timeOf(x), timeOf(lists[pick]![heads[pick]!]!)) < 0)) pick = k;
    }
    if (pick < 0) break;
    const x = lists[pick]![heads[pick]!++]!;
    if (isNode(x)) scope(x, level + 1, pad, ctx);
    else record(x, pad, ctx, n.enter?.attributes);
  }
  if (hidden > 0) {
    const what = ctx.failedOnly && level < ctx.depth ? `${plural(hidden, 'branch')} without failure hidden` : `${plural(hidden, 'branch')} below${hiddenFailed ? `, ${hiddenFailed} with failures` : ''}`;
    ctx.lines.push(`${pad}${ctx.paint(DIM, `… ${what}`)}`);
  }
}

/** One task's whole tree, its header line first. */
export function renderTask(t: TaskTree, opts: RenderOptions = {}): string {
  const ctx: Ctx = { paint: painter(opts.color === true), depth: opts.depth ?? Infinity, failedOnly: opts.failedOnly === true, sealed: t.sealed, lines: [] };
  const facts = [t.services.join(', '), plural(t.recordCount, 'record')];
  if (t.errorCount) facts.push(ctx.paint(RED, plural(t.errorCount, 'error')));
  if (t.partial) facts.push(ctx.paint(DIM, 'partial: older records were evicted'));
  ctx.lines.push(ctx.paint(DIM, `task ${t.task}`) + ` · ${facts.filter((f) => f !== '').join(' · ')}`);
  scope(t.root, 0, '', ctx);
  const u = t.unattributed;
  if (u.records.length || u.children.length) {
    if (!ctx.failedOnly || hasFailure(u)) {
      ctx.lines.push(`? unattributed: ${plural(u.records.length, 'record')}, ${plural(u.children.length, 'span')} whose place is unknown`);
      body(u, 0, '  ', ctx);
    }
  }
  return ctx.lines.join('\n');
}

/** Records outside any task. */
export function renderLoose(records: readonly LogEntry[], opts: Pick<RenderOptions, 'color'> & { total?: number } = {}): string {
  const ctx: Ctx = { paint: painter(opts.color === true), depth: 0, failedOnly: false, sealed: true, lines: [] };
  const total = opts.total ?? records.length;
  ctx.lines.push(ctx.paint(DIM, `outside any task · ${plural(total, 'record')}${total > records.length ? `, the last ${records.length} shown` : ''}`));
  for (const r of records) record(r, '  ', ctx);
  return ctx.lines.join('\n');
}

/**
 * A task tree as indented text for the terminal. Rendering only: the tree
 * comes from tree-model.ts.
 *
 * One line per scope (status icon, path, enter message, services, enter
 * attributes, outcome, duration) and per record (level, message, attributes);
 * a multi-line message and a record's exception (type: message, then the
 * stack) are indented under their record; a scope's records come by seq, its
 * subtasks among them where they started.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime } from './record-order.js';
import { DIM, GREEN, RED, formatAttributes, formatDuration, levelPaint, painter, safeText, type Paint } from './render-style.js';
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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function startOf(n: ScopeNode): string {
  return n.enter?.timeUnixNano ?? n.records[0]?.timeUnixNano ?? '9';
}

function hasFailure(n: ScopeNode): boolean {
  return n.subtreeErrors > 0 || n.status === 'failed';
}

/** The record's message (continuation lines aligned under its first line) and its exception. */
function recordBody(e: LogEntry, pad: string, head: string, ctx: Ctx): void {
  const [first = '', ...more] = safeText(e.message).split('\n');
  const attrs = formatAttributes(e);
  ctx.lines.push(`${head}${first}${attrs ? ` ${ctx.paint(DIM, safeText(attrs))}` : ''}`);
  for (const line of more) ctx.lines.push(`${pad}${line}`);
  exception(e, pad, ctx);
}

function exception(e: LogEntry, pad: string, ctx: Ctx): void {
  const x = e.exception;
  if (!x) return;
  const header = x.message === '' ? x.type : `${x.type}: ${x.message}`;
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

function record(e: LogEntry, pad: string, ctx: Ctx): void {
  const level = ctx.paint(levelPaint(e), safeText(e.level).padEnd(LEVEL_WIDTH));
  recordBody(e, `${pad}${' '.repeat(LEVEL_WIDTH + 1)}`, `${pad}${level} `, ctx);
}

function outcome(n: ScopeNode, title: string, ctx: Ctx): string {
  const parts: string[] = [];
  if (n.status === 'running') parts.push(ctx.paint(DIM, ctx.sealed ? 'no end record' : 'running'));
  else if (n.end && (n.status === 'failed' || n.end.message !== title)) {
    parts.push(ctx.paint(n.status === 'failed' ? RED : GREEN, safeText(n.end.message.split('\n')[0]!)));
  }
  if (n.durationMs !== undefined) parts.push(formatDuration(n.durationMs));
  if (n.missingSeqs > 0) parts.push(ctx.paint(DIM, `${plural(n.missingSeqs, 'record')} missing`));
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

function scope(n: ScopeNode, level: number, pad: string, ctx: Ctx): void {
  const icon = n.status === 'failed' ? ctx.paint(RED, '✘') : n.status === 'ok' ? ctx.paint(GREEN, '✔') : '▸';
  const services = n.services.length ? ` ${ctx.paint(DIM, `[${n.services.join(', ')}]`)}` : '';
  if (n.kind === 'span') {
    ctx.lines.push(`${pad}◦ span ${[...n.spans].join(',')}${services}`);
  } else {
    const title = n.enter?.message ?? (n.path === '' ? '(task: enter record missing)' : '(enter record missing)');
    const attrs = n.enter ? formatAttributes(n.enter) : '';
    const where = n.path ? `${n.path} ` : '';
    const [first = '', ...more] = safeText(title).split('\n');
    ctx.lines.push(`${pad}${icon} ${where}${first}${services}${attrs ? ` ${ctx.paint(DIM, safeText(attrs))}` : ''}${outcome(n, title, ctx)}`);
    for (const line of more) ctx.lines.push(`${pad}  ${line}`);
    if (n.end) exception(n.end, `${pad}  `, ctx);
  }
  body(n, level, `${pad}  `, ctx);
}

/** Records (without enter and end) by seq, subtasks placed by their start time among them. */
function body(n: ScopeNode, level: number, pad: string, ctx: Ctx): void {
  const records = n.records.filter((r) => r !== n.enter && r !== n.end);
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
  let c = 0;
  for (const r of records) {
    while (c < children.length && compareTime(startOf(children[c]!), r.timeUnixNano) < 0) scope(children[c++]!, level + 1, pad, ctx);
    record(r, pad, ctx);
  }
  while (c < children.length) scope(children[c++]!, level + 1, pad, ctx);
  if (hidden > 0) {
    const what = ctx.failedOnly && level < ctx.depth ? `${plural(hidden, 'branch')} without failure hidden` : `${plural(hidden, 'subtask')} below${hiddenFailed ? `, ${hiddenFailed} with failures` : ''}`;
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

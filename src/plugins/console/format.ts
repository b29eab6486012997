/**
 * One console line per record:
 *   TIME LEVEL service key <indent>message (duration) [exception] attr=value
 * indented by scope depth (path segments + 1 inside a task) so a task's
 * records read as a tree even when several tasks interleave.
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import type { ConsoleOptions } from './config.js';

export type LineOptions = Pick<ConsoleOptions, 'time' | 'attributes' | 'indent'> & { color: boolean };

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const LEVEL_COLOURS: [number, string][] = [
  [21, '\x1b[35m'], // FATAL magenta
  [17, '\x1b[31m'], // ERROR red
  [13, '\x1b[33m'], // WARN yellow
  [9, '\x1b[32m'], // INFO green
  [5, '\x1b[36m'], // DEBUG cyan
  [0, '\x1b[90m'], // TRACE grey
];

function pad2(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function formatTime(timeUnixNano: string, mode: LineOptions['time']): string {
  if (mode === 'none') return '';
  const ms = Number(timeUnixNano.length > 6 ? timeUnixNano.slice(0, -6) : 0);
  const d = new Date(ms);
  if (mode === 'iso') return d.toISOString();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad2(d.getMilliseconds(), 3)}`;
}

/** Scope depth: 0 outside tasks, 1 for the task itself, +1 per subtask level. */
export function depthOf(e: LogEntry): number {
  if (!e.task) return 0;
  return 1 + (e.path ? e.path.split('/').length : 0);
}

/** `seq@task8[/path]` — the task id shortened for the eye; raw keys that do not parse are shown as sent. */
export function shortKey(e: LogEntry): string {
  if (e.task && /^[0-9a-f]{32}$/.test(e.task) && e.seq !== undefined) {
    return `${e.seq}@${e.task.slice(0, 8)}${e.path ? '/' + e.path : ''}`;
  }
  return e.key ?? '-';
}

function attrValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

export function formatLine(e: LogEntry, o: LineOptions): string {
  const parts: string[] = [];
  const time = formatTime(e.timeUnixNano, o.time);
  const level = (e.level || 'UNSET').padEnd(5);
  const service = String(e.resource['service.name'] ?? '-');
  const key = shortKey(e);
  if (o.color) {
    const colour = LEVEL_COLOURS.find(([min]) => e.severity >= min)?.[1] ?? '';
    if (time) parts.push(DIM + time + RESET);
    parts.push(colour + level + RESET, service, DIM + key + RESET);
  } else {
    if (time) parts.push(time);
    parts.push(level, service, key);
  }
  let msg = ' '.repeat(depthOf(e) * o.indent) + e.message;
  if (e.durationMs !== undefined) msg += ` (${e.durationMs.toFixed(1)} ms)`;
  if (e.exception) msg += ` [${e.exception.type === undefined ? e.exception.message : `${e.exception.type}: ${e.exception.message}`}]`; // LogEntry v2: type optional
  if (o.attributes) {
    for (const [k, v] of Object.entries(e.attributes)) msg += ` ${o.color ? DIM : ''}${k}=${attrValue(v)}${o.color ? RESET : ''}`;
  }
  // One record, one line: embedded newlines would break the tree layout.
  parts.push(msg.replace(/\r?\n/g, '\\n'));
  return parts.join(' ');
}

/**
 * One console line per record:
 *   TIME LEVEL service key <indent>message (duration) [exception] attr=value
 * indented by scope depth (path segments + 1 inside a task) so a task's
 * records read as a tree even when several tasks interleave.
 *
 * Everything in a record is untrusted input shown on an operator's terminal:
 * every field goes through `printable()`, which turns control characters (ESC
 * sequences, carriage returns, C1 codes, bidi overrides) into visible escapes, so
 * a log line cannot move the cursor, recolour, retitle or rewrite the screen.
 * Odd field types (an object where a string belongs, a value nested 10,000 deep)
 * are shown as bounded JSON; formatting a record never throws.
 */
import { JsonLineWriter } from '../../protocol/json-line.js';
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

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), line and
// paragraph separators, and the bidi embeddings/overrides/isolates that reorder text.
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with every control character shown as an escape (ESC as \x1b, newline as \n, U+202E as \u202e). */
export function printable(s: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(s) ? s.replace(UNPRINTABLE, escapeChar) : s;
}

const json = new JsonLineWriter({ initialBytes: 1024 });

/** Compact JSON of any value, bounded in depth; never throws. */
function jsonText(v: unknown): string {
  json.reset();
  try {
    json.appendValue(v);
    return json.text();
  } catch (err) {
    return `[unprintable: ${err instanceof Error ? err.message : 'error'}]`;
  } finally {
    json.reset();
  }
}

/** Text of a field that should be a string but comes from outside: never calls the value's own toString. */
export function fieldText(v: unknown, missing = '-'): string {
  switch (typeof v) {
    case 'string': return v;
    case 'number': case 'boolean': case 'bigint': return String(v);
    case 'undefined': return missing;
    case 'object': return v === null ? missing : jsonText(v);
    default: return `[${typeof v}]`;
  }
}

export function formatTime(timeUnixNano: string, mode: LineOptions['time']): string {
  if (mode === 'none') return '';
  const t = typeof timeUnixNano === 'string' ? timeUnixNano : '';
  const ms = Number(t.length > 6 ? t.slice(0, -6) : 0);
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return mode === 'iso' ? '????-??-??T??:??:??.???Z' : '??:??:??.???';
  if (mode === 'iso') return d.toISOString();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad2(d.getMilliseconds(), 3)}`;
}

/** Scope depth: 0 outside tasks, 1 for the task itself, +1 per subtask level. */
export function depthOf(e: LogEntry): number {
  if (!e.task) return 0;
  return 1 + (typeof e.path === 'string' && e.path ? e.path.split('/').length : 0);
}

/** `seq@task8[/path]` — the task id shortened for the eye; raw keys that do not parse are shown as sent. */
export function shortKey(e: LogEntry): string {
  if (typeof e.task === 'string' && /^[0-9a-f]{32}$/.test(e.task) && typeof e.seq === 'number') {
    return `${e.seq}@${e.task.slice(0, 8)}${typeof e.path === 'string' && e.path ? '/' + e.path : ''}`;
  }
  return fieldText(e.key);
}

function attrValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : jsonText(v);
  return v === undefined ? 'undefined' : jsonText(v);
}

export function formatLine(e: LogEntry, o: LineOptions): string {
  const parts: string[] = [];
  const time = formatTime(e.timeUnixNano, o.time);
  const level = printable(fieldText(e.level, '') || 'UNSET').padEnd(5);
  const resource = typeof e.resource === 'object' && e.resource !== null ? e.resource : {};
  const service = printable(fieldText(resource['service.name']));
  const key = printable(shortKey(e));
  if (o.color) {
    const severity = typeof e.severity === 'number' ? e.severity : 0;
    const colour = LEVEL_COLOURS.find(([min]) => severity >= min)?.[1] ?? '';
    if (time) parts.push(DIM + time + RESET);
    parts.push(colour + level + RESET, service, DIM + key + RESET);
  } else {
    if (time) parts.push(time);
    parts.push(level, service, key);
  }
  // One record, one line: escaped newlines keep the tree layout.
  let msg = ' '.repeat(depthOf(e) * o.indent) + printable(fieldText(e.message, ''));
  if (typeof e.durationMs === 'number') msg += ` (${e.durationMs.toFixed(1)} ms)`;
  // LogEntry v2: the exception type is optional
  if (e.exception) msg += ` [${e.exception.type === undefined ? '' : `${printable(fieldText(e.exception.type))}: `}${printable(fieldText(e.exception.message, ''))}]`;
  if (o.attributes && typeof e.attributes === 'object' && e.attributes !== null) {
    for (const k of Object.keys(e.attributes)) {
      const text = `${printable(k)}=${printable(attrValue(e.attributes[k]))}`;
      msg += o.color ? ` ${DIM}${text}${RESET}` : ` ${text}`;
    }
  }
  parts.push(msg);
  return parts.join(' ');
}

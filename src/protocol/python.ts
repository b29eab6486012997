/**
 * Adapter for the 2018 Python distlog: its ZmqHandler + JSONFormatter sent one
 * `logging.LogRecord.__dict__` per message (topic `?LJ`). We normalise it into a
 * LogEntry so every plugin sees one shape.
 *
 * Choices:
 * - severity: Python levels map onto OTel ranges (10/20/30/40/50 -> 5/9/13/17/21;
 *   other numbers interpolate, see severityFromPythonLevel) and `level` is the OTel
 *   range name (DEBUG/INFO/WARN/ERROR/FATAL), so filters work across producers.
 * - time: `created` is float seconds. Its precision at today's epoch is ~0.24 us, so
 *   we round to whole microseconds: no digits the float does not have, and no
 *   float noise (...999) in the nanosecond string.
 * - service.name: the Python record has no service concept. We use `processName`
 *   (the only per-process identity it carries; 'MainProcess' unless the program
 *   named it) unless the record carries an explicit `service_name` / `service`
 *   (a Formatter `extra`), which is better. `telemetry.sdk.language` = 'python'
 *   tells these records apart.
 * - key: `context.key` is kept verbatim in `key`; if it parses, task/path/seq are
 *   filled; if not (the original's `0@<built-in function id>` from import_task) the
 *   text between '@' and the first '/' becomes `task` and the leading counter `seq`,
 *   so the record is stored and still groups with its siblings. The task stays the
 *   UUID as sent (with dashes): we do not invent a trace id.
 * - The JSONFormatter escaped newlines as the two characters `\n` in `exc_text` and
 *   `message`. `exc_text` is always unescaped. `message` is unescaped only when it is
 *   provably the escaped form of `msg % args` (exc2's "division failed\nsecond line"),
 *   because a message may legitimately contain a backslash-n (a Windows path).
 */
import { ProtocolError } from './errors.js';
import type { LogEntry } from './log-entry.js';
import type { Topic } from './topic.js';
import { topicString } from './topic.js';
import { parseKey, rawTaskOfKey } from './key.js';
import { levelNameFromSeverity, severityFromLevelName, severityFromPythonLevel } from './severity.js';
import { describeValue, isPlainObject } from './validate.js';
import { isReservedAttribute } from './attributes.js';

/** Is this JSON value a Python LogRecord dict rather than a distlog envelope? */
export function looksLikePythonRecord(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && v.entries === undefined && ('levelno' in v || 'created' in v || 'msg' in v);
}

function bad(topic: Topic, field: string, message: string): ProtocolError {
  const t = topicString(topic);
  return new ProtocolError('schema', `topic "${t}": python-distlog record: ${field}: ${message}`, t);
}

/** `created` float seconds -> integer nanoseconds string, rounded to microseconds. */
export function nanosFromPythonCreated(created: number): string {
  const micros = Math.round(created * 1e6);
  return micros === 0 ? '0' : `${micros}000`;
}

/** Python's `msg % args` for the common conversions; anything unusual is left as written. */
export function pythonFormat(msg: string, args: unknown): string {
  if (args === null || args === undefined) return msg;
  const list = Array.isArray(args) ? args : [args];
  const dict = isPlainObject(args) ? args : undefined;
  let i = 0;
  return msg.replace(/%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdifrx%])/g, (whole, name: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: unknown;
    if (name !== undefined) {
      if (dict === undefined || !(name in dict)) return whole;
      v = dict[name];
    } else {
      if (i >= list.length) return whole;
      v = list[i++];
    }
    if (conv === 'd' || conv === 'i') return typeof v === 'number' ? String(Math.trunc(v)) : String(v);
    if (conv === 'r' && typeof v === 'string') return `'${v}'`;
    return typeof v === 'string' ? v : v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

const unescapeNewlines = (s: string): string => s.replace(/\\n/g, '\n');

function exceptionFromTraceback(text: string): { type: string; message: string; stack: string } {
  const stack = unescapeNewlines(text).replace(/\s+$/, '');
  const lines = stack.split('\n');
  let last = '';
  for (let i = lines.length - 1; i >= 0 && last === ''; i--) last = lines[i]!.trim();
  const colon = last.indexOf(': ');
  // "ZeroDivisionError: division by zero"; a bare "KeyboardInterrupt" has no message.
  if (colon > 0 && !/\s/.test(last.slice(0, colon))) return { type: last.slice(0, colon), message: last.slice(colon + 2), stack };
  if (last !== '' && !/\s/.test(last)) return { type: last, message: '', stack };
  return { type: 'Error', message: last, stack };
}

function optString(r: Record<string, unknown>, name: string, topic: Topic): string | undefined {
  const v = r[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(topic, name, `expected a string, got ${describeValue(v)}`);
  return v;
}

function optNumber(r: Record<string, unknown>, name: string, topic: Topic): number | undefined {
  const v = r[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(topic, name, `expected a number, got ${describeValue(v)}`);
  return v;
}

export function fromPythonRecord(record: unknown, topic: Topic): LogEntry {
  if (!isPlainObject(record)) throw bad(topic, 'record', `expected an object, got ${describeValue(record)}`);
  const r = record;

  const levelno = optNumber(r, 'levelno', topic);
  const levelname = optString(r, 'levelname', topic);
  let severity: number;
  if (levelno !== undefined) severity = severityFromPythonLevel(levelno);
  else if (levelname !== undefined) severity = severityFromLevelName(levelname);
  else throw bad(topic, 'levelno', 'missing (and no levelname)');

  const created = optNumber(r, 'created', topic);
  if (created === undefined) throw bad(topic, 'created', 'missing');
  if (created < 0) throw bad(topic, 'created', `expected seconds since the epoch, got ${created}`);

  const msgRaw = r.msg;
  const msg = msgRaw === undefined || msgRaw === null ? undefined : typeof msgRaw === 'string' ? msgRaw : JSON.stringify(msgRaw);
  const formatted = msg === undefined ? undefined : pythonFormat(msg, r.args);
  let message = optString(r, 'message', topic);
  if (message === undefined) {
    if (formatted === undefined) throw bad(topic, 'message', 'missing (and no msg)');
    message = formatted;
  } else if (formatted !== undefined && message !== formatted && message.includes('\\n') && formatted.replace(/\n/g, '\\n') === message) {
    message = formatted;
  }

  const attributes: Record<string, unknown> = {};
  const entry: LogEntry = {
    v: 2,
    timeUnixNano: nanosFromPythonCreated(created),
    level: levelNameFromSeverity(severity) === 'UNSPECIFIED' ? (levelname ?? 'UNSPECIFIED') : levelNameFromSeverity(severity),
    severity,
    logger: optString(r, 'name', topic) ?? '',
    message,
    attributes,
    resource: {},
    system: topic.system,
    kind: topic.kind,
  };

  const context = r.context;
  if (context !== undefined && context !== null) {
    if (!isPlainObject(context)) throw bad(topic, 'context', `expected an object or null, got ${describeValue(context)}`);
    for (const k in context) {
      if (k === 'key') continue;
      // User context can never claim a reserved name; keep the value under a neutral one.
      attributes[isReservedAttribute(k) ? `context.${k}` : k] = context[k];
    }
    const key = context.key;
    if (key !== undefined && key !== null) {
      if (typeof key !== 'string') throw bad(topic, 'context.key', `expected a string, got ${describeValue(key)}`);
      entry.key = key;
      const parsed = parseKey(key);
      if (parsed !== undefined) {
        entry.task = parsed.task;
        entry.path = parsed.path;
        entry.seq = parsed.seq;
      } else {
        const task = rawTaskOfKey(key);
        if (task !== undefined) entry.task = task;
        const m = /^(\d{1,15})@/.exec(key);
        if (m) entry.seq = Number(m[1]);
      }
    }
  }

  const excText = optString(r, 'exc_text', topic);
  if (excText !== undefined && excText !== '') entry.exception = exceptionFromTraceback(excText);
  const stackInfo = optString(r, 'stack_info', topic);
  if (stackInfo !== undefined && stackInfo !== '') attributes['code.stacktrace'] = unescapeNewlines(stackInfo);

  const pathname = optString(r, 'pathname', topic);
  if (pathname !== undefined) attributes['code.filepath'] = pathname;
  const lineno = optNumber(r, 'lineno', topic);
  if (lineno !== undefined) attributes['code.lineno'] = lineno;
  const funcName = optString(r, 'funcName', topic);
  if (funcName !== undefined) attributes['code.function'] = funcName;
  const threadName = optString(r, 'threadName', topic);
  if (threadName !== undefined) attributes['thread.name'] = threadName;

  const res = entry.resource;
  const processName = optString(r, 'processName', topic);
  const service = typeof r.service_name === 'string' ? r.service_name : typeof r.service === 'string' ? r.service : processName;
  if (service !== undefined) res['service.name'] = service;
  const hostname = optString(r, 'hostname', topic);
  if (hostname !== undefined) res['host.name'] = hostname;
  const pid = optNumber(r, 'process', topic);
  if (pid !== undefined) res['process.pid'] = pid;
  res['telemetry.sdk.language'] = 'python';
  return entry;
}

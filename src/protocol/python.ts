/**
 * Adapter for the 2018 Python distlog: its ZmqHandler + JSONFormatter sent one
 * `logging.LogRecord.__dict__` per message (topic `?LJ`). We normalise it into a
 * LogEntry so every plugin sees one shape.
 *
 * Choices:
 * - severity: Python levels map onto OTel ranges (10/20/30/40/50 -> 5/9/13/17/21)
 *   and a custom number lands on the nearest OTel number between them (25 -> 11,
 *   INFO3; see pythonSeverity). `level` is the OTel range name (DEBUG/INFO/WARN/
 *   ERROR/FATAL) for the five standard numbers, so filters work across producers,
 *   and the producer's own `levelname` for any other number ('NOTICE', 'Level 25').
 * - time: `created` is float seconds. Its precision at today's epoch is ~0.24 us, so
 *   we round to whole microseconds: no digits the float does not have, and no
 *   float noise (...999) in the nanosecond string. Accepted range: 0 <= created <
 *   1e10 (1970 .. 2286-11-20, where LogEntry times have 19 digits); anything else
 *   (1e20, NaN) rejects the record with an error naming `created`.
 * - service.name: the Python record has no service concept. We use `processName`
 *   (the only per-process identity it carries; 'MainProcess' unless the program
 *   named it) unless the record carries an explicit `service_name` / `service`
 *   (a Formatter `extra`), which is better. `telemetry.sdk.language` = 'python'
 *   tells these records apart.
 * - Where the LogRecord fields go, by OpenTelemetry semantic conventions:
 *   `pathname` -> code.filepath (`filename`, its base name, only when pathname is
 *   missing), `lineno` -> code.lineno, `funcName` -> code.function, `module` ->
 *   code.namespace, `thread` -> thread.id, `threadName` -> thread.name: attributes,
 *   because they differ per record. `process` -> process.pid and `hostname` ->
 *   host.name: resource, as the conventions define them (a property of the
 *   producer, the same for all its records). msecs, relativeCreated and asctime
 *   repeat `created`, exc_info is always None on the wire: dropped.
 * - Any field that is not a standard LogRecord attribute came from `extra=` and is
 *   kept as an attribute under its own name (a `distlog.` name under `extra.`).
 * - key: `context.key` is kept verbatim in `key`; if it parses, task/path/seq are
 *   filled; if not (the original's `0@<built-in function id>` from import_task) the
 *   text between '@' and the first '/' becomes `task` and the leading counter `seq`,
 *   so the record is stored and still groups with its siblings. The task stays the
 *   UUID as sent (with dashes): we do not invent a trace id. A key that is not a
 *   string (the original let user context overwrite it) keeps the record; the value
 *   goes to the attribute `context.key`.
 * - scope events: the original's Task.__enter__ logs its message at INFO as the
 *   scope's first record, so an INFO record with seq 0 is `event: 'enter'`.
 *   Task.__exit__ after an exception logs `logging.exception('FAILED ' + msg)`: an
 *   ERROR record whose message starts with "FAILED " inside a scope is `event:
 *   'fail'` with its exception. A successful exit is an ordinary INFO record (the
 *   success message); only its being the scope's last record tells, which no single
 *   message knows: the tree model decides that, never this adapter.
 * - Newlines: the JSONFormatter escaped them as the two characters `\n` in
 *   `message` and `exc_text` (see python-text.ts for how that is undone without
 *   corrupting Windows paths).
 * - NaN / Infinity, which Python's json writes as bare words, arrive as the strings
 *   "NaN", "Infinity", "-Infinity" (json-codec.ts; the proto3 JSON mapping's form),
 *   so a LogEntry stays plain JSON.
 * - `attributes` and `resource` are null-prototype objects: a context or extra
 *   field named `__proto__` becomes an ordinary key, never the object's prototype.
 */
import { ProtocolError } from './errors.js';
import type { LogEntry, ScopeEvent } from './log-entry.js';
import type { Topic } from './topic.js';
import { topicString } from './topic.js';
import { parseKey, rawTaskOfKey } from './key.js';
import { levelNameFromSeverity, severityFromLevelName } from './severity.js';
import { checkValues, describeValue, isPlainObject } from './validate.js';
import { isReservedAttribute } from './attributes.js';
import { pyText, pythonFormat, unescapeMessage, unescapeTraceback } from './python-text.js';

export { pythonFormat } from './python-text.js';

/** Is this JSON value a Python LogRecord dict rather than a distlog envelope? */
export function looksLikePythonRecord(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && v.entries === undefined && ('levelno' in v || 'created' in v || 'msg' in v);
}

function bad(topic: Topic, field: string, message: string): ProtocolError {
  const t = topicString(topic);
  return new ProtocolError('schema', `topic "${t}": python-distlog record: ${field}: ${message}`, t);
}

/** Latest accepted `created`: 2286-11-20, where nanosecond strings grow a 20th digit. */
const MAX_CREATED = 1e10;

/** `created` float seconds -> integer nanoseconds string, rounded to microseconds. */
export function nanosFromPythonCreated(created: number): string {
  const micros = Math.round(created * 1e6);
  return micros === 0 ? '0' : `${micros}000`;
}

/** Python's standard level numbers and the OTel range names they take. */
const STANDARD_LEVELS: Record<number, true> = { 10: true, 20: true, 30: true, 40: true, 50: true };
const INFO = 20;
const ERROR = 40;

/**
 * Python logging level to OTel severity: each Python step of 10 spans one OTel
 * range of 4, so a custom number lands on the nearest sub-level below it (25 ->
 * 11 INFO3, 35 -> 15 WARN3); below 10 is TRACE (1..4), above 50 stays FATAL
 * (capped at 24); 0 (NOTSET) is unspecified.
 */
export function pythonSeverity(levelno: number): number {
  if (!(levelno > 0)) return 0;
  if (levelno < 10) return 1 + Math.min(3, Math.floor((levelno * 4) / 10));
  return Math.min(24, 5 + Math.floor(((levelno - 10) * 4) / 10));
}

/** Fields every Python LogRecord has (3.x, taskName from 3.12), plus what distlog's formatter adds. */
const STANDARD_FIELDS = new Set([
  'name', 'msg', 'args', 'levelname', 'levelno', 'pathname', 'filename', 'module', 'exc_info', 'exc_text',
  'stack_info', 'lineno', 'funcName', 'created', 'msecs', 'relativeCreated', 'thread', 'threadName',
  'processName', 'process', 'taskName', 'message', 'asctime', 'context', 'hostname',
]);
/** `extra=` fields that name the service (see the header); used for service.name, not repeated. */
const SERVICE_FIELDS = new Set(['service_name', 'service']);

type Reader = {
  str(name: string): string | undefined;
  num(name: string): number | undefined;
};

function fieldReader(r: Record<string, unknown>, topic: Topic): Reader {
  return {
    str(name) {
      const v = r[name];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string') throw bad(topic, name, `expected a string, got ${describeValue(v)}`);
      return v;
    },
    num(name) {
      const v = r[name];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(topic, name, `expected a number, got ${describeValue(v)}`);
      return v;
    },
  };
}

function exceptionFromTraceback(text: string): { type: string; message: string; stack: string } {
  const stack = unescapeTraceback(text).trimEnd();
  // The last non-empty line: "ZeroDivisionError: division by zero".
  let end = stack.length;
  let last = '';
  while (end > 0 && last === '') {
    const start = stack.lastIndexOf('\n', end - 1) + 1;
    last = stack.slice(start, end).trim();
    end = start - 1;
  }
  const colon = last.indexOf(': ');
  // A bare "KeyboardInterrupt" has no message.
  if (colon > 0 && !/\s/.test(last.slice(0, colon))) return { type: last.slice(0, colon), message: last.slice(colon + 2), stack };
  if (last !== '' && !/\s/.test(last)) return { type: last, message: '', stack };
  return { type: 'Error', message: last, stack };
}

/** A user-chosen name never lands on a reserved one: `distlog.x` is kept as `<prefix>.distlog.x`. */
function userName(prefix: string, k: string): string {
  return isReservedAttribute(k) ? `${prefix}.${k}` : k;
}

function readLevel(f: Reader, topic: Topic): { severity: number; level: string; levelno: number | undefined } {
  const levelno = f.num('levelno');
  const levelname = f.str('levelname');
  if (levelno !== undefined) {
    const severity = pythonSeverity(levelno);
    const level = STANDARD_LEVELS[levelno] === true ? levelNameFromSeverity(severity) : (levelname ?? `Level ${levelno}`);
    return { severity, level, levelno };
  }
  if (levelname === undefined) throw bad(topic, 'levelno', 'missing (and no levelname)');
  const severity = severityFromLevelName(levelname);
  const range = levelNameFromSeverity(severity);
  return { severity, level: range === 'UNSPECIFIED' ? levelname : range, levelno: undefined };
}

function readTime(f: Reader, topic: Topic): string {
  const created = f.num('created');
  if (created === undefined) throw bad(topic, 'created', 'missing');
  if (!(created >= 0 && created < MAX_CREATED)) {
    throw bad(topic, 'created', `${created} seconds since the epoch is out of range (accepted: 0 <= created < 1e10, 1970..2286)`);
  }
  return nanosFromPythonCreated(created);
}

function readMessage(r: Record<string, unknown>, f: Reader, topic: Topic): string {
  const msgRaw = r.msg;
  const msg = msgRaw === undefined || msgRaw === null ? undefined : typeof msgRaw === 'string' ? msgRaw : pyText(msgRaw, false); // logging allows any object; str() of it
  const message = f.str('message');
  if (message !== undefined) return unescapeMessage(message, msg, r.args);
  if (msg === undefined) throw bad(topic, 'message', 'missing (and no msg)');
  return pythonFormat(msg, r.args);
}

/** Context keys become attributes; its `key` places the record in its scope. */
function readContext(r: Record<string, unknown>, entry: LogEntry, topic: Topic): void {
  const context = r.context;
  if (context === undefined || context === null) return;
  if (!isPlainObject(context)) throw bad(topic, 'context', `expected an object or null, got ${describeValue(context)}`);
  const attributes = entry.attributes;
  for (const k in context) {
    if (k !== 'key') attributes[userName('context', k)] = context[k];
  }
  const key = context.key;
  if (key === undefined || key === null) return;
  if (typeof key !== 'string') {
    attributes['context.key'] = key;
    return;
  }
  entry.key = key;
  const parsed = parseKey(key);
  if (parsed !== undefined) {
    entry.task = parsed.task;
    entry.path = parsed.path;
    entry.seq = parsed.seq;
    return;
  }
  const task = rawTaskOfKey(key);
  if (task !== undefined) entry.task = task;
  let i = 0;
  let seq = 0;
  while (i < key.length && i < 16 && key.charCodeAt(i) >= 0x30 && key.charCodeAt(i) <= 0x39) seq = seq * 10 + key.charCodeAt(i++) - 0x30;
  if (i > 0 && i < 16 && key.charCodeAt(i) === 0x40 /* @ */) entry.seq = seq;
}

function scopeEvent(entry: LogEntry, levelno: number | undefined): ScopeEvent | undefined {
  if (entry.seq === undefined) return undefined;
  if (entry.seq === 0 && (levelno === INFO || (levelno === undefined && entry.severity === 9))) return 'enter';
  if (entry.seq > 0 && (levelno ?? 0) >= ERROR && entry.message.startsWith('FAILED ')) return 'fail';
  return undefined;
}

export function fromPythonRecord(record: unknown, topic: Topic): LogEntry {
  if (!isPlainObject(record)) throw bad(topic, 'record', `expected an object, got ${describeValue(record)}`);
  const r = record;
  const f = fieldReader(r, topic);
  const { severity, level, levelno } = readLevel(f, topic);
  const timeUnixNano = readTime(f, topic);
  const message = readMessage(r, f, topic);

  const attributes: Record<string, unknown> = Object.create(null);
  const resource: Record<string, unknown> = Object.create(null);
  const entry: LogEntry = {
    v: 2,
    timeUnixNano,
    level,
    severity,
    logger: f.str('name') ?? '',
    message,
    attributes,
    resource,
    system: topic.system,
    kind: topic.kind,
  };

  readContext(r, entry, topic);
  for (const k in r) {
    if (STANDARD_FIELDS.has(k) || SERVICE_FIELDS.has(k)) continue;
    const name = userName('extra', k);
    if (!(name in attributes)) attributes[name] = r[k];
  }

  const excText = f.str('exc_text');
  if (excText !== undefined && excText !== '') entry.exception = exceptionFromTraceback(excText);
  const stackInfo = f.str('stack_info');
  if (stackInfo !== undefined && stackInfo !== '') attributes['code.stacktrace'] = unescapeTraceback(stackInfo);

  const filepath = f.str('pathname') ?? f.str('filename');
  if (filepath !== undefined) attributes['code.filepath'] = filepath;
  const lineno = f.num('lineno');
  if (lineno !== undefined) attributes['code.lineno'] = lineno;
  const funcName = f.str('funcName');
  if (funcName !== undefined) attributes['code.function'] = funcName;
  const module = f.str('module');
  if (module !== undefined) attributes['code.namespace'] = module;
  const thread = f.num('thread');
  if (thread !== undefined) attributes['thread.id'] = thread;
  const threadName = f.str('threadName');
  if (threadName !== undefined) attributes['thread.name'] = threadName;

  const processName = f.str('processName');
  const service = typeof r.service_name === 'string' ? r.service_name : typeof r.service === 'string' ? r.service : processName;
  if (service !== undefined) resource['service.name'] = service;
  const hostname = f.str('hostname');
  if (hostname !== undefined) resource['host.name'] = hostname;
  const pid = f.num('process');
  if (pid !== undefined) resource['process.pid'] = pid;
  resource['telemetry.sdk.language'] = 'python';

  const event = scopeEvent(entry, levelno);
  if (event !== undefined) entry.event = event;

  // Context and extra values are the sender's: the same bounds as any JSON record.
  const problem = checkValues(entry);
  if (problem !== undefined) throw bad(topic, problem[0], problem[1]);
  return entry;
}

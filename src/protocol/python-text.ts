/**
 * Text handling for the 2018 Python distlog's records: `msg % args` and undoing the
 * JSONFormatter's newline escaping. Every function here is one forward scan (or a
 * fixed number of them) over its input: a record can be up to maxMessageBytes long
 * and is sent by whoever can reach the socket, so no backtracking regular
 * expression and no search that restarts from every position (issue 6: the former
 * regexes took seconds on 64 KB and days on 16 MB).
 */

/** One `%` conversion specifier of a Python format string. */
interface Spec {
  /** `%(name)s` key, when given. */
  name?: string;
  /** Conversion letter: s r a d i u o x X e E f F g G c, or '%' for `%%`. */
  conv: string;
  precision?: number | undefined;
  /** Index just past the specifier in the format string. */
  end: number;
}

const CONVERSIONS = 'srauidoxXeEfFgGc%';

/** What follows the `%` (and the `(name)`): flags, width, precision, length, conversion. */
interface Tail {
  conv: string;
  precision?: number;
  end: number;
}

/**
 * Memo for readSpec. `close` is the position of the next ')' at or after the last
 * search (-1: none left, -2: not searched yet); `tail` is the parsed text after it.
 * Many `%(` before one ')' (or none) share both, so each character is read a
 * bounded number of times however the `%`s are arranged.
 */
interface SpecMemo {
  close: number;
  tailAt: number;
  tail: Tail | undefined;
}

const newMemo = (): SpecMemo => ({ close: -2, tailAt: -1, tail: undefined });

function readTail(s: string, i: number): Tail | undefined {
  const n = s.length;
  // Each run below stops at a '%' at the latest, so unnamed specifiers never re-read text.
  while (i < n && '#0- +'.includes(s[i]!)) i++;
  if (s[i] === '*') i++;
  else while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  let precision: number | undefined;
  if (s[i] === '.') {
    i++;
    const p = i;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    precision = i - p > 0 && i - p < 4 ? Number(s.slice(p, i)) : 0;
  }
  if (i < n && 'hlL'.includes(s[i]!)) i++;
  if (i >= n || !CONVERSIONS.includes(s[i]!)) return undefined;
  return precision === undefined ? { conv: s[i]!, end: i + 1 } : { conv: s[i]!, precision, end: i + 1 };
}

/**
 * Reads the specifier that starts with the '%' at `at`, or undefined when what
 * follows is not one (Python would have raised; we leave such text as written).
 */
function readSpec(s: string, at: number, memo: SpecMemo): Spec | undefined {
  const i = at + 1;
  if (s.charCodeAt(i) !== 0x28 /* ( */) {
    const t = readTail(s, i);
    return t && { conv: t.conv, precision: t.precision, end: t.end };
  }
  // Searches start past the previous hit, so together they read the text once.
  if (memo.close !== -1 && memo.close < i) memo.close = s.indexOf(')', i);
  if (memo.close === -1) return undefined;
  if (memo.tailAt !== memo.close) {
    memo.tailAt = memo.close;
    memo.tail = readTail(s, memo.close + 1);
  }
  const t = memo.tail;
  return t && { name: s.slice(i + 1, memo.close), conv: t.conv, precision: t.precision, end: t.end };
}

/** Deepest nesting `str()` of an argument renders; deeper parts become '...'. */
const REPR_DEPTH = 32;

/** Python's str()/repr() of a JSON value, roughly (lists and dicts as Python prints them). */
export function pyText(v: unknown, repr: boolean, depth = 0): string {
  if (typeof v === 'string') return repr ? `'${v}'` : v;
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v !== 'object') return String(v);
  if (depth >= REPR_DEPTH) return '...';
  if (Array.isArray(v)) return `[${v.map((x) => pyText(x, true, depth + 1)).join(', ')}]`;
  const parts: string[] = [];
  for (const k in v) parts.push(`'${k}': ${pyText((v as Record<string, unknown>)[k], true, depth + 1)}`);
  return `{${parts.join(', ')}}`;
}

function convert(spec: Spec, v: unknown): string {
  switch (spec.conv) {
    case 'd': case 'i': case 'u':
      return typeof v === 'number' ? String(Math.trunc(v)) : typeof v === 'boolean' ? (v ? '1' : '0') : pyText(v, false);
    case 'x': case 'X': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return pyText(v, false);
      const h = Math.trunc(v).toString(16);
      return spec.conv === 'X' ? h.toUpperCase() : h;
    }
    case 'f': case 'F':
      return typeof v === 'number' ? v.toFixed(spec.precision ?? 6) : pyText(v, false);
    case 'r': case 'a':
      return pyText(v, true);
    default:
      return pyText(v, false);
  }
}

/**
 * Output bound for `msg % args`: a `%(big)s` repeated can multiply a message
 * (1 MB of `%(a)s` times a 1 MB argument). Past it, the message stays as written.
 */
const MAX_FORMATTED_CHARS = 4 << 20;

/** Python's `msg % args` for the usual conversions; anything it cannot format is left as written. */
export function pythonFormat(msg: string, args: unknown): string {
  if (args === null || args === undefined || msg.indexOf('%') < 0) return msg;
  const list = Array.isArray(args) ? args : [args];
  // logging: a single mapping argument serves `%(name)s` (LogRecord.__init__ unwraps it).
  const dict = isMapping(args) ? args : list.length === 1 && isMapping(list[0]) ? list[0] : undefined;
  const memo = newMemo();
  let out = '';
  let next = 0;
  let from = 0;
  for (let at = msg.indexOf('%'); at >= 0; at = msg.indexOf('%', at)) {
    const spec = readSpec(msg, at, memo);
    if (spec === undefined) { at++; continue; }
    let text: string | undefined;
    if (spec.conv === '%') text = '%';
    else if (spec.name !== undefined) text = dict !== undefined && Object.hasOwn(dict, spec.name) ? convert(spec, dict[spec.name]) : undefined;
    else if (next < list.length) text = convert(spec, list[next++]);
    if (text !== undefined) {
      out += msg.slice(from, at) + text;
      from = spec.end;
      if (out.length > MAX_FORMATTED_CHARS) return msg;
    }
    at = spec.end;
  }
  return out + msg.slice(from);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The literal parts of a format string, `%%` already turned into '%': what any
 * `msg % args` result must contain, in order, between the substituted values.
 */
function literalParts(msg: string): string[] {
  const parts: string[] = [];
  const memo = newMemo();
  let cur = '';
  let from = 0;
  for (let at = msg.indexOf('%'); at >= 0; at = msg.indexOf('%', at)) {
    const spec = readSpec(msg, at, memo);
    if (spec === undefined) { at++; continue; }
    cur += msg.slice(from, at);
    if (spec.conv === '%') cur += '%';
    else { parts.push(cur); cur = ''; }
    from = at = spec.end;
  }
  parts.push(cur + msg.slice(from));
  return parts;
}

const escapeNewlines = (s: string): string => (s.includes('\n') ? s.split('\n').join('\\n') : s);

/** First index >= from of `needle` in `hay` (Knuth-Morris-Pratt: linear in both, whatever the input). */
function indexOfLinear(hay: string, needle: string, from: number): number {
  const m = needle.length;
  if (m === 0) return from;
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && needle.charCodeAt(i) !== needle.charCodeAt(k)) k = fail[k - 1]!;
    if (needle.charCodeAt(i) === needle.charCodeAt(k)) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < hay.length; i++) {
    while (k > 0 && hay.charCodeAt(i) !== needle.charCodeAt(k)) k = fail[k - 1]!;
    if (hay.charCodeAt(i) === needle.charCodeAt(k)) k++;
    if (k === m) return i - m + 1;
  }
  return -1;
}

/**
 * The record's `message` with the JSONFormatter's escaping undone where it can be
 * told apart from text that really contained a backslash and an `n`.
 *
 * The original sent `message = (msg % args).replace('\n', '\\n')` beside `msg`
 * (with real newlines) and `args = None`. The format string's literal parts are
 * known, so their newlines are restored; the substituted values are not known,
 * so a backslash-n there stays as sent (`'path %s' % r'C:\new.txt'` keeps its
 * path). When the message does not follow the template, it is kept as sent.
 */
export function unescapeMessage(message: string, msg: string | undefined, args: unknown): string {
  if (msg === undefined || !message.includes('\\n')) return message;
  if (args !== null && args !== undefined) {
    const formatted = pythonFormat(msg, args);
    if (escapeNewlines(formatted) === message) return formatted;
  }
  if (!msg.includes('\n')) return message; // no newline in the literal parts to restore
  const parts = literalParts(msg);
  const escaped = parts.map(escapeNewlines);
  const first = escaped[0]!;
  const last = escaped[escaped.length - 1]!;
  if (parts.length === 1) return first === message ? parts[0]! : message;
  if (!message.startsWith(first) || !message.endsWith(last) || first.length + last.length > message.length) return message;
  let out = parts[0]!;
  let pos = first.length;
  const tailAt = message.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const at = indexOfLinear(message, escaped[k]!, pos);
    if (at < 0 || at + escaped[k]!.length > tailAt) return message;
    out += message.slice(pos, at) + parts[k]!;
    pos = at + escaped[k]!.length;
  }
  return out + message.slice(pos, tailAt) + parts[parts.length - 1]!;
}

const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
/** Ends a Windows path seen in running text: whitespace and quotes. */
const endsPath = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x22 || c === 0x27 || c === 0x0a || c === 0x0d;

/**
 * A traceback (`exc_text`, `stack_info`) with the JSONFormatter's `\n` escapes
 * turned back into newlines, without corrupting Windows paths. The escaping only
 * touched newlines, so a backslash followed by `n` is ambiguous; it is kept
 * literal where a path is far more likely than a line break:
 * - inside the quoted path of a `  File "..."` line (Windows forbids '"' in paths);
 * - after a drive letter (`C:\`), up to the next whitespace or quote;
 * - after an even run of backslashes (`'C:\\new.txt'`, as repr() prints a path):
 *   only an odd run ends in an escape.
 * One pass, no backtracking.
 */
export function unescapeTraceback(text: string): string {
  if (!text.includes('\\n')) return text;
  const n = text.length;
  let out = '';
  let from = 0; // text[from..i) is still to be copied as is
  let lineStart = true;
  let inPath = false;
  let i = 0;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      if (text.startsWith('  File "', i)) {
        const q = text.indexOf('"', i + 8);
        if (q >= 0) {
          i = q + 1; // copied verbatim with the rest of the line
          continue;
        }
      }
    }
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      let j = i;
      while (j < n && text.charCodeAt(j) === 0x5c) j++;
      if (j < n && text.charCodeAt(j) === 0x6e /* n */ && (j - i) % 2 === 1 && !inPath) {
        out += text.slice(from, j - 1) + '\n';
        from = i = j + 1;
        lineStart = true;
        continue;
      }
      i = j;
      continue;
    }
    if (inPath) {
      if (endsPath(c)) inPath = false;
    } else if (isLetter(c) && text.charCodeAt(i + 1) === 0x3a && text.charCodeAt(i + 2) === 0x5c && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) {
      inPath = true;
    }
    i++;
  }
  return out + text.slice(from);
}

/**
 * Record keys: `<seq>@<task>[/<path>]`, e.g. `3@5b5e8d3dcdce4011899ae77a68171c0d/1/2`.
 * `seq` orders the records of one scope without trusting clocks, `task` names the
 * tree, `path` the subtask position in it ('' for the task itself).
 *
 * Parsing is strict so that a key which does not parse is recognisable and kept
 * verbatim by the caller (the Python original emitted `0@<built-in function id>`).
 */
export interface ParsedKey {
  seq: number;
  task: string;
  /** Subtask numbers joined by '/', '' for the task itself. */
  path: string;
}

/** Task ids we accept in a key: OTel trace ids, UUIDs with dashes, simple tokens. */
function isTaskChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x2d || c === 0x5f || c === 0x2e || c === 0x3a // - _ . :
  );
}

/** Hand-rolled rather than a RegExp: the collector parses one key per foreign record. */
export function parseKey(key: string): ParsedKey | undefined {
  const n = key.length;
  let i = 0;
  let seq = 0;
  while (i < n) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    i++;
  }
  if (i === 0 || i > 15 || i >= n || key.charCodeAt(i) !== 0x40 /* @ */) return undefined;
  const taskStart = ++i;
  while (i < n && isTaskChar(key.charCodeAt(i))) i++;
  if (i === taskStart) return undefined;
  const task = key.slice(taskStart, i);
  if (i === n) return { seq, task, path: '' };
  if (key.charCodeAt(i) !== 0x2f /* / */) return undefined;
  const pathStart = i + 1;
  // Each segment: one or more digits; no empty segments, no trailing '/'.
  let digits = 0;
  for (i = pathStart; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2f && digits > 0) digits = 0;
    else return undefined;
  }
  if (digits === 0) return undefined;
  return { seq, task, path: key.slice(pathStart) };
}

export function formatKey(seq: number, task: string, path: string): string {
  return path === '' ? `${seq}@${task}` : `${seq}@${task}/${path}`;
}

/**
 * For a key that does not parse: the text between '@' and the first '/', if any,
 * so records of one broken producer still group together (`<built-in function id>`).
 */
export function rawTaskOfKey(key: string): string | undefined {
  const at = key.indexOf('@');
  if (at < 0) return undefined;
  const slash = key.indexOf('/', at + 1);
  const task = slash < 0 ? key.slice(at + 1) : key.slice(at + 1, slash);
  return task === '' ? undefined : task;
}

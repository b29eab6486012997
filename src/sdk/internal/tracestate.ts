/**
 * W3C `tracestate` handling for the `distlog=` member that carries a scope's
 * subtask path. Written here rather than with core's TraceState because that
 * one refuses a new member once the header is at 512 characters; W3C says to
 * make room by dropping other members (long ones first), and the distlog member
 * must win so the remote side knows its place in the tree.
 */
export const DISTLOG_MEMBER = 'distlog';
const MAX_MEMBERS = 32;
const MAX_LENGTH = 512;
const LONG_MEMBER = 128;

const KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Optional whitespace around a list member (spaces and tabs). */
const OWS = /^[ \t]+|[ \t]+$/g;

export type Member = readonly [key: string, value: string];

/**
 * Parses a tracestate header strictly, per W3C Trace Context level 2: a member
 * with an illegal key or value, a repeated key, or more than 32 members make
 * the whole header invalid, and it is dropped whole (returns []). Empty list
 * members and optional whitespace around members are allowed.
 */
export function parseTraceState(header: string | undefined): Member[] {
  if (!header) return [];
  const seen = new Set<string>();
  const out: Member[] = [];
  for (const raw of header.split(',')) {
    const m = raw.replace(OWS, '');
    if (m === '') continue;
    const eq = m.indexOf('=');
    if (eq <= 0) return [];
    const key = m.slice(0, eq);
    const value = m.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value) || seen.has(key)) return [];
    seen.add(key);
    out.push([key, value]);
    if (out.length > MAX_MEMBERS) return [];
  }
  return out;
}

function length(members: readonly Member[]): number {
  let n = members.length > 0 ? members.length - 1 : 0;
  for (const [k, v] of members) n += k.length + 1 + v.length;
  return n;
}

/**
 * Members with `key=value` first (any old entry for key removed), then trimmed to
 * W3C limits: at most 32 members, at most 512 characters, dropping members over
 * 128 characters (from the right) before dropping others from the right.
 */
export function withFrontMember(members: readonly Member[], key: string, value: string): Member[] {
  const out: Member[] = [[key, value]];
  for (const m of members) if (m[0] !== key) out.push(m);
  if (out.length > MAX_MEMBERS) out.length = MAX_MEMBERS;
  let len = length(out);
  for (let i = out.length - 1; len > MAX_LENGTH && i > 0; i--) {
    const m = out[i]!;
    if (m[0].length + 1 + m[1].length > LONG_MEMBER) {
      out.splice(i, 1);
      len = length(out);
    }
  }
  while (len > MAX_LENGTH && out.length > 1) {
    out.pop();
    len = length(out);
  }
  return out;
}

export function serializeTraceState(members: readonly Member[]): string {
  return members.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A member value is the subtask path as in keys, e.g. `1/3/2` ('/' is legal in W3C values). */
const MEMBER_PATH = /^[1-9][0-9]*(?:\/[1-9][0-9]*)*$/;

/** The subtask path from a member value, or undefined when it is not one of ours. */
export function memberToPath(value: string | undefined): string | undefined {
  return value !== undefined && MEMBER_PATH.test(value) ? value : undefined;
}

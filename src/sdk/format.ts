/**
 * printf-style message formatting with util.format's semantics and a fast path
 * for the common case (primitive arguments, %s %d %i %f %j %%). Anything else
 * (objects under %s/%o/%O, symbols, extra object arguments) goes to util.format,
 * so results always equal util.format's.
 */
import { format, types } from 'node:util';
import { isPlainObject as isPlainMap } from '../protocol/plain-object.js';

const PERCENT = 37; // '%'

/**
 * Number of arguments the format string consumes (placeholders other than %%).
 * Cached per string: messages are nearly always literals.
 */
const placeholderCache = new Map<string, number>();
const MAX_CACHE = 4096;

export function countPlaceholders(msg: string): number {
  let n = placeholderCache.get(msg);
  if (n !== undefined) return n;
  n = 0;
  for (let i = msg.indexOf('%'); i !== -1 && i < msg.length - 1; i = msg.indexOf('%', i + 1)) {
    const c = msg[i + 1];
    if (c === '%') {
      i++;
    } else if ('sdifjoOc'.includes(c!)) {
      n++;
    }
  }
  if (placeholderCache.size < MAX_CACHE) placeholderCache.set(msg, n);
  return n;
}

/**
 * The protocol's one test for "a map of data" (src/protocol/plain-object.ts),
 * guarded: a Proxy whose getPrototypeOf trap throws is nobody's data, and a log
 * call must not throw.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  try {
    return isPlainMap(v);
  } catch {
    return false;
  }
}

/** Formats `msg` with the first `count` entries of `args`. */
export function formatMessage(msg: string, args: readonly unknown[], count: number): string {
  if (count === 0) return msg.includes('%%') ? format(msg) : msg;
  let out = '';
  let last = 0;
  let a = 0;
  for (let i = msg.indexOf('%'); i !== -1 && i < msg.length - 1; i = msg.indexOf('%', i + 1)) {
    const code = msg.charCodeAt(i + 1);
    let piece: string | undefined;
    if (code === PERCENT) {
      piece = '%';
    } else if (a < count) {
      const arg = args[a];
      const t = typeof arg;
      switch (msg[i + 1]) {
        case 's':
          if (t === 'object' || t === 'symbol' || t === 'function') return slow(msg, args, count);
          piece = t === 'bigint' ? `${arg}n` : String(arg);
          break;
        case 'd':
        case 'i':
        case 'f':
          if (t !== 'number') return slow(msg, args, count);
          piece = msg[i + 1] === 'i' ? String(Math.trunc(arg as number)) : String(arg);
          break;
        case 'j':
          try {
            piece = JSON.stringify(arg) ?? 'undefined';
          } catch {
            return slow(msg, args, count);
          }
          break;
        default:
          return slow(msg, args, count); // %o %O %c and unknown letters
      }
      a++;
    } else {
      continue;
    }
    out += msg.slice(last, i) + piece;
    last = i + 2;
    i++;
  }
  out += msg.slice(last);
  // util.format appends arguments that had no placeholder, separated by spaces.
  for (; a < count; a++) {
    const arg = args[a];
    if (arg !== null && typeof arg === 'object') return slow(msg, args, count);
    out += ' ' + (typeof arg === 'string' ? arg : format('%O', arg));
  }
  return out;
}

function slow(msg: string, args: readonly unknown[], count: number): string {
  return format(msg, ...args.slice(0, count));
}

export interface SplitArgs {
  /** How many leading args are format arguments. */
  formatCount: number;
  /** The trailing structured-data object, when there is one. */
  data: Record<string, unknown> | undefined;
}

/**
 * The convention of every distlog call: `(msg, ...formatArgs, data?)`. The last
 * argument is data when it is a plain object that no placeholder consumes, so
 * `info('payload %j', obj)` formats obj while `info('saved %s', id, { ms })`
 * attaches { ms } as attributes.
 */
export function splitArgs(msg: string, args: readonly unknown[]): SplitArgs {
  const n = args.length;
  if (n > 0) {
    const last = args[n - 1];
    if (isPlainObject(last) && n > countPlaceholders(msg)) return { formatCount: n - 1, data: last };
  }
  return { formatCount: n, data: undefined };
}

export interface SplitLogArgs extends SplitArgs {
  /** A trailing Error (before the data object, if any) that no placeholder consumes. */
  error: Error | undefined;
}

/**
 * splitArgs for log calls, which also take a trailing Error:
 * `(msg, ...formatArgs, error?, data?)`. `error('failed', err)` and
 * `error('failed', err, { id })` give the error apart; `error('failed: %s', err)`
 * formats it, because the placeholder consumes it.
 */
export function splitLogArgs(msg: string, args: readonly unknown[]): SplitLogArgs {
  const placeholders = countPlaceholders(msg);
  let end = args.length;
  let data: Record<string, unknown> | undefined;
  let error: Error | undefined;
  if (end > placeholders && isPlainObject(args[end - 1])) data = args[--end] as Record<string, unknown>;
  if (end > placeholders && isErrorValue(args[end - 1])) error = args[--end] as Error;
  return { formatCount: end, data, error };
}

function isErrorValue(v: unknown): boolean {
  return v instanceof Error || types.isNativeError(v);
}

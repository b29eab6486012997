/** Small text helpers shared by the text renderers: colours, durations, attributes. */
import type { LogEntry } from '../protocol/log-entry.js';

export const RED = '\x1b[31m';
export const GREEN = '\x1b[32m';
export const YELLOW = '\x1b[33m';
export const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export type Paint = (code: string, text: string) => string;

export function painter(color: boolean): Paint {
  return color ? (code, text) => (text === '' || code === '' ? text : `${code}${text}${RESET}`) : (_code, text) => text;
}

/** 0.006 ms, 1.5 ms, 123 ms, 1.23 s, 61.2 s: three significant digits. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/**
 * Attributes not shown on a record's line: the exception is shown under it, and
 * source location and thread (semantic conventions every Python record carries)
 * would drown the user's own context.
 */
const HIDDEN_PREFIXES = ['exception.', 'code.', 'thread.'];

/**
 * A record's attributes as `k=v` pairs, without the hidden ones and without
 * those equal in `shown` (its scope's context, already on the scope's line).
 */
export function formatAttributes(e: LogEntry, shown?: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.attributes)) {
    if (HIDDEN_PREFIXES.some((p) => k.startsWith(p))) continue;
    if (shown && k in shown && (shown[k] === v || JSON.stringify(shown[k]) === JSON.stringify(v))) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.join(' ');
}

/** Log content is untrusted: no terminal control sequences reach the screen (tabs and newlines stay). */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function levelPaint(e: LogEntry): string {
  return e.severity >= 17 ? RED : e.severity >= 13 ? YELLOW : '';
}

/** "2026-11-25T14:00:00.123Z" from decimal nanoseconds; the raw text when it is not a time. */
export function formatTime(nanos: string): string {
  if (!/^\d{1,21}$/.test(nanos)) return nanos;
  const ms = Number(BigInt(nanos) / 1_000_000n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? nanos : d.toISOString();
}

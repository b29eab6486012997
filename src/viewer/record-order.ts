/**
 * Orders and facts about single records that the tree model needs. Every order
 * here depends on the records alone (never on arrival), so that any permutation
 * of a task's records builds the same tree.
 */
import type { LogEntry } from '../protocol/log-entry.js';

/** OTel severity number of ERROR: records at or above it count as errors. */
export const ERROR_SEVERITY = 17;

export const isError = (e: LogEntry): boolean => e.severity >= ERROR_SEVERITY;

/** Compares decimal nanosecond strings (shorter = earlier; '0' and pre-2001 dates are shorter). */
export function compareTime(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const cmpStr = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/**
 * A scope's records by seq, the order its producer wrote them (pino's
 * millisecond clock misorders records written within one millisecond); records
 * without seq (plain OTLP) after them, by time. Full ties fall back to the
 * record's content, so the order never depends on arrival.
 */
export function compareRecords(a: LogEntry, b: LogEntry): number {
  const sa = a.seq ?? Number.MAX_SAFE_INTEGER;
  const sb = b.seq ?? Number.MAX_SAFE_INTEGER;
  if (sa !== sb) return sa - sb;
  return (
    compareTime(a.timeUnixNano, b.timeUnixNano) ||
    cmpStr(a.event, b.event) ||
    cmpStr(a.message, b.message) ||
    cmpStr(a.logger, b.logger) ||
    cmpStr(a.span, b.span) ||
    cmpStr(JSON.stringify(a), JSON.stringify(b))
  );
}

/** Index at which `e` goes into the sorted `list` (after equal records). */
export function insertionIndex(list: readonly LogEntry[], e: LogEntry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRecords(list[mid]!, e) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A record of the 2018 Python distlog, as src/protocol/python.ts normalises
 * it: resource `telemetry.sdk.language` = 'python' and a distlog `key`, but
 * no span id. (A Python OpenTelemetry SDK record has the same language but a
 * span id and no key: it is plain OTLP.)
 */
export function isPythonOriginal(e: LogEntry): boolean {
  return e.resource['telemetry.sdk.language'] === 'python' && e.key !== undefined && e.span === undefined;
}

/**
 * The process that wrote a record, for comparing its clock only with itself:
 * host, pid and service. Records lacking all three share one key.
 */
export function processKey(e: LogEntry): string {
  const r = e.resource;
  return `${String(r['host.name'] ?? '')}|${String(r['process.pid'] ?? '')}|${String(r['service.name'] ?? '')}`;
}

export function serviceOf(e: LogEntry): string | undefined {
  const s = e.resource['service.name'];
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/** Last number of a subtask path ('1/3' -> 3; '' -> 0). */
export function lastPathNumber(path: string): number {
  return path === '' ? 0 : Number(path.slice(path.lastIndexOf('/') + 1));
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

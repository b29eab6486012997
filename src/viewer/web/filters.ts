/**
 * The filters of the API and the live feed, from URL query parameters:
 * `level` (minimum level word, e.g. warn), `service` (exact service.name),
 * `logger` (a logger pattern, `db.*`), `text` (case-insensitive substring of the
 * message, exception and attribute values), `task` (one task id), `failed`
 * (tasks: failed or with errors only). A bad value is an error naming the
 * parameter, answered with 400.
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import { thresholdOfLevelWord } from '../../protocol/levels.js';
import { compileLoggerPattern } from '../../protocol/logger-pattern.js';
import type { TaskRow } from './wire.js';

export interface Filters {
  minSeverity: number;
  service: string | undefined;
  logger: ((name: string) => boolean) | undefined;
  text: string | undefined;
  task: string | undefined;
  failedOnly: boolean;
}

export class FilterError extends Error {}

const MAX_PARAM = 500;

export function parseFilters(q: URLSearchParams): Filters {
  const get = (name: string): string | undefined => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (v.length > MAX_PARAM) throw new FilterError(`${name}: longer than ${MAX_PARAM} characters`);
    return v;
  };
  const level = get('level');
  const minSeverity = level === undefined ? 0 : thresholdOfLevelWord(level);
  if (minSeverity === undefined) throw new FilterError(`level: unknown level ${JSON.stringify(level)} (trace, debug, info, warn, error, fatal)`);
  const logger = get('logger');
  const failed = get('failed');
  return {
    minSeverity,
    service: get('service'),
    logger: logger === undefined ? undefined : compileLoggerPattern(logger),
    text: get('text')?.toLowerCase(),
    task: get('task'),
    failedOnly: failed === '1' || failed === 'true',
  };
}

/** The searchable text of a record: message, exception and attribute values. */
function haystack(e: LogEntry): string {
  let s = e.message;
  if (e.exception) s += `\n${e.exception.type ?? ''} ${e.exception.message}`;
  for (const v of Object.values(e.attributes)) s += `\n${typeof v === 'string' ? v : JSON.stringify(v)}`;
  return s.toLowerCase();
}

export function recordMatches(f: Filters, e: LogEntry): boolean {
  if (e.severity < f.minSeverity) return false;
  if (f.service !== undefined && e.resource['service.name'] !== f.service) return false;
  if (f.logger && !f.logger(e.logger)) return false;
  if (f.task !== undefined && e.task !== f.task) return false;
  if (f.failedOnly && e.severity < 17 && e.event !== 'fail') return false;
  if (f.text !== undefined && !haystack(e).includes(f.text)) return false;
  return true;
}

/** Task rows: service, failed-only and text (on the title) apply; level and logger are record filters. */
export function taskMatches(f: Filters, t: TaskRow): boolean {
  if (f.service !== undefined && !t.services.includes(f.service)) return false;
  if (f.failedOnly && t.status !== 'failed' && t.errorCount === 0) return false;
  if (f.text !== undefined && !t.title.toLowerCase().includes(f.text) && !t.task.includes(f.text)) return false;
  return true;
}

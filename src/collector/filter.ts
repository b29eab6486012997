/**
 * Per-plugin record filters: validated and compiled once at startup into one
 * predicate, so the hot path is a few comparisons per record and no config
 * interpretation (`compileFilter` returns undefined when everything passes, and
 * the router then skips filtering altogether).
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { checkEnum, checkKeys, checkString, didYouMean, isPlainObject, joinPath, type ConfigError } from '../plugins/api.js';
import type { FilterConfig } from './config-types.js';

export type EntryPredicate = (entry: LogEntry) => boolean;

/** OTel severity numbers at the start of each level band. */
const LEVELS: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };
/** Names producers use for the same bands (Python's WARNING/CRITICAL). */
const LEVEL_ALIASES: Record<string, number> = { WARNING: 13, CRITICAL: 21, EXCEPTION: 17 };
const LEVEL_NAMES = Object.keys(LEVELS);

const SYSTEMS: Record<string, string> = { T: 'T', S: 'S', P: 'P', test: 'T', staging: 'S', production: 'P' };
const KINDS: Record<string, string> = { L: 'L', P: 'P', log: 'L', perf: 'P', performance: 'P' };

const FILTER_KEYS = ['level', 'systems', 'kinds', 'loggers', 'services', 'attributes'] as const;

function severityOfName(name: string): number {
  const upper = name.toUpperCase();
  return LEVELS[upper] ?? LEVEL_ALIASES[upper] ?? 0;
}

function checkStringList(value: unknown, path: string, allowed?: Record<string, string>): ConfigError[] {
  if (!Array.isArray(value)) return [{ path, message: `expected a list of strings, got ${JSON.stringify(value)}` }];
  const errors: ConfigError[] = [];
  value.forEach((item, i) => {
    const p = joinPath(path, i);
    if (allowed) errors.push(...checkEnum(item, Object.keys(allowed), p));
    else errors.push(...checkString(item, p));
  });
  return errors;
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

export function validateFilter(raw: unknown, path: string): ConfigError[] {
  if (!isPlainObject(raw)) return [{ path, message: `expected a map, got ${JSON.stringify(raw)}` }];
  const errors = checkKeys(raw, FILTER_KEYS, path);
  if (raw.level !== undefined) {
    const level = raw.level;
    const p = joinPath(path, 'level');
    if (typeof level === 'number') {
      if (!Number.isInteger(level) || level < 1 || level > 24) {
        errors.push({ path: p, message: `severity number must be an integer from 1 to 24, got ${level}` });
      }
    } else if (typeof level !== 'string' || severityOfName(level) === 0) {
      const guess = typeof level === 'string' ? didYouMean(level.toUpperCase(), LEVEL_NAMES) : undefined;
      errors.push({
        path: p,
        message: `unknown level ${JSON.stringify(level)}`,
        hint: (guess ? `did you mean "${guess}"? ` : '') + `allowed: ${LEVEL_NAMES.join(', ')} or a severity number 1..24`,
      });
    }
  }
  if (raw.systems !== undefined) errors.push(...checkStringList(raw.systems, joinPath(path, 'systems'), SYSTEMS));
  if (raw.kinds !== undefined) errors.push(...checkStringList(raw.kinds, joinPath(path, 'kinds'), KINDS));
  if (raw.loggers !== undefined) errors.push(...checkStringList(raw.loggers, joinPath(path, 'loggers')));
  if (raw.services !== undefined) errors.push(...checkStringList(raw.services, joinPath(path, 'services')));
  if (raw.attributes !== undefined) {
    const p = joinPath(path, 'attributes');
    if (!isPlainObject(raw.attributes)) {
      errors.push({ path: p, message: 'expected a map of attribute name to value (or list of values)' });
    } else {
      for (const [name, v] of Object.entries(raw.attributes)) {
        const ok = isScalar(v) || (Array.isArray(v) && v.length > 0 && v.every(isScalar));
        if (!ok) errors.push({ path: joinPath(p, name), message: 'expected a value or a non-empty list of values' });
      }
    }
  }
  return errors;
}

function loggerMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

/** Builds the predicate for a validated filter; undefined means "everything passes". */
export function compileFilter(filter: FilterConfig): EntryPredicate | undefined {
  const tests: EntryPredicate[] = [];
  if (filter.level !== undefined) {
    const min = typeof filter.level === 'number' ? filter.level : severityOfName(filter.level);
    // Records with severity 0 (unspecified) fall back to their level text.
    tests.push((e) => (e.severity || severityOfName(e.level)) >= min);
  }
  if (filter.systems?.length) {
    const set = new Set(filter.systems.map((s) => SYSTEMS[s]));
    tests.push((e) => set.has(e.system));
  }
  if (filter.kinds?.length) {
    const set = new Set(filter.kinds.map((k) => KINDS[k]));
    tests.push((e) => set.has(e.kind));
  }
  if (filter.loggers?.length) {
    const match = loggerMatcher(filter.loggers);
    tests.push((e) => match(e.logger));
  }
  if (filter.services?.length) {
    const set = new Set<unknown>(filter.services);
    tests.push((e) => set.has(e.resource['service.name']));
  }
  for (const [name, want] of Object.entries(filter.attributes ?? {})) {
    const accepted = new Set<unknown>(Array.isArray(want) ? want : [want]);
    tests.push((e) => accepted.has(e.attributes[name]));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (e) => {
    for (const t of tests) if (!t(e)) return false;
    return true;
  };
}

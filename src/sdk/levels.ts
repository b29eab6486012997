/**
 * Level rules: which severity each logger lets through. A rule names a logger
 * exactly (`db`), by glob (`db.*`, `*`), and the most specific match wins
 * (longest pattern without its wildcards). Thresholds are computed when rules
 * change, never per record; loggers read a cached number.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'off';

export const LEVEL_SEVERITY: Readonly<Record<LevelName, number>> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
  off: SeverityNumber.FATAL4 + 1,
};

export function isLevelName(v: unknown): v is LevelName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(LEVEL_SEVERITY, v.toLowerCase());
}

/** Parses a level name (any case; `warning` accepted), or undefined. */
export function parseLevel(v: unknown): LevelName | undefined {
  if (typeof v !== 'string') return undefined;
  const l = v.toLowerCase();
  if (l === 'warning') return 'warn';
  return isLevelName(l) ? (l as LevelName) : undefined;
}

interface Rule {
  pattern: string;
  min: number;
  specificity: number;
  test: (name: string) => boolean;
}

function rule(pattern: string, level: LevelName): Rule {
  // exact names outrank globs of the same literal length
  return { pattern, min: LEVEL_SEVERITY[level], specificity: pattern.replaceAll('*', '').length + (pattern.includes('*') ? 0 : 0.5), test: compile(pattern) };
}

function compile(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (name) => re.test(name);
}

export class LevelRules {
  private rules: Rule[] = [];
  private defaultMin: number;
  private cache = new Map<string, number>();
  private listeners = new Set<() => void>();

  constructor(defaultLevel: LevelName = 'info') {
    this.defaultMin = LEVEL_SEVERITY[defaultLevel];
  }

  /** `set('debug')` sets the default; `set('db.*', 'debug')` sets a rule. */
  set(patternOrLevel: string, level?: LevelName): void {
    if (level === undefined) {
      const l = parseLevel(patternOrLevel);
      if (!l) return;
      this.defaultMin = LEVEL_SEVERITY[l];
    } else {
      const l = parseLevel(level);
      if (!l) return;
      this.rules = this.rules.filter((r) => r.pattern !== patternOrLevel);
      this.rules.push(rule(patternOrLevel, l));
      this.rules.sort((a, b) => b.specificity - a.specificity);
    }
    this.changed();
  }

  /** Replaces all rules at once (e.g. a set pushed from the collector). */
  replace(defaultLevel: LevelName, rules: Readonly<Record<string, LevelName>>): void {
    this.rules = [];
    this.defaultMin = LEVEL_SEVERITY[parseLevel(defaultLevel) ?? 'info'];
    for (const [pattern, level] of Object.entries(rules)) {
      const l = parseLevel(level);
      if (!l) continue;
      this.rules.push(rule(pattern, l));
    }
    this.rules.sort((a, b) => b.specificity - a.specificity);
    this.changed();
  }

  /** Lowest severity number that `loggerName` lets through. */
  thresholdFor(loggerName: string): number {
    let min = this.cache.get(loggerName);
    if (min === undefined) {
      min = this.rules.find((r) => r.test(loggerName))?.min ?? this.defaultMin;
      this.cache.set(loggerName, min);
    }
    return min;
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.cache.clear();
    for (const fn of this.listeners) fn();
  }
}

/**
 * Level rules: which severity each logger lets through. A rule names loggers by
 * the protocol's one pattern syntax (`db` exactly, `db.*`, `*`; see
 * src/protocol/logger-pattern.ts) and the most specific match wins (longest
 * pattern without its wildcards, an exact name before a glob). Level words are
 * the protocol's too (`warning`, `critical`, `notice`... mean what they mean in
 * a collector filter). Thresholds are computed when rules change, never per
 * record; loggers read a cached number.
 */
import { LEVEL_NAMES, levelNameFromSeverity, OFF_SEVERITY, thresholdOfLevelWord } from '../protocol/levels.js';
import { compileLoggerPattern, loggerPatternSpecificity, type NameMatcher } from '../protocol/logger-pattern.js';

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'off';

/** The protocol's level names, lower-case, and `off`. */
const NAMES: readonly LevelName[] = [...LEVEL_NAMES.map((n) => n.toLowerCase() as LevelName), 'off'];

export const LEVEL_SEVERITY: Readonly<Record<LevelName, number>> = Object.fromEntries(
  NAMES.map((n) => [n, thresholdOfLevelWord(n)!]),
) as Record<LevelName, number>;

export function isLevelName(v: unknown): v is LevelName {
  return typeof v === 'string' && (NAMES as readonly string[]).includes(v.toLowerCase());
}

/**
 * Parses a level word (any case; aliases such as `warning` and `critical`
 * accepted) to the level whose range it falls in, or undefined.
 */
export function parseLevel(v: unknown): LevelName | undefined {
  if (typeof v !== 'string') return undefined;
  const min = thresholdOfLevelWord(v);
  if (min === undefined) return undefined;
  return min === OFF_SEVERITY ? 'off' : (levelNameFromSeverity(min).toLowerCase() as LevelName);
}

/** The lowest severity a level word lets through (`notice` is 10, between INFO and INFO3), or undefined. */
function thresholdOf(level: unknown): number | undefined {
  return typeof level === 'string' ? thresholdOfLevelWord(level) : undefined;
}

interface Rule {
  pattern: string;
  min: number;
  specificity: number;
  test: NameMatcher;
}

function rule(pattern: string, min: number): Rule {
  return { pattern, min, specificity: loggerPatternSpecificity(pattern), test: compileLoggerPattern(pattern) };
}

export class LevelRules {
  private rules: Rule[] = [];
  private defaultMin: number;
  private cache = new Map<string, number>();
  private listeners = new Set<() => void>();

  /** An unknown level word falls back to `info`. */
  constructor(defaultLevel: LevelName | string = 'info') {
    this.defaultMin = thresholdOf(defaultLevel) ?? LEVEL_SEVERITY.info;
  }

  /** `set('debug')` sets the default; `set('db.*', 'debug')` sets a rule. */
  set(patternOrLevel: string, level?: LevelName): void {
    if (level === undefined) {
      const min = thresholdOf(patternOrLevel);
      if (min === undefined) return;
      this.defaultMin = min;
    } else {
      const min = thresholdOf(level);
      if (min === undefined) return;
      this.rules = this.rules.filter((r) => r.pattern !== patternOrLevel);
      this.rules.push(rule(patternOrLevel, min));
      this.rules.sort((a, b) => b.specificity - a.specificity);
    }
    this.changed();
  }

  /** Replaces all rules at once (e.g. a set pushed from the collector). */
  replace(defaultLevel: LevelName, rules: Readonly<Record<string, LevelName>>): void {
    this.rules = [];
    this.defaultMin = thresholdOf(defaultLevel) ?? LEVEL_SEVERITY.info;
    for (const [pattern, level] of Object.entries(rules)) {
      const min = thresholdOf(level);
      if (min === undefined) continue;
      this.rules.push(rule(pattern, min));
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

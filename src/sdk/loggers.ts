/**
 * The process-wide level rules and the facade loggers that follow them.
 * `getLogger(name)` returns one Logger per name, so level changes reach it.
 */
import { LevelRules, type LevelName } from './levels.js';
import { Logger } from './logger.js';

/** `DISTLOG_LEVEL` sets the default level: any level word of the shared vocabulary; unknown words mean info. */
export const levels = new LevelRules(process.env.DISTLOG_LEVEL ?? 'info');

const loggers = new Map<string, Logger>();

levels.onChange(() => {
  for (const l of loggers.values()) l.refresh();
});

export function getLogger(name = 'app'): Logger {
  let l = loggers.get(name);
  if (l === undefined) {
    l = new Logger(name, levels);
    loggers.set(name, l);
  }
  return l;
}

/**
 * Changes levels at run time: `setLevel('debug')` for the default,
 * `setLevel('db.*', 'debug')` for loggers matching a pattern (`*` matches any
 * run of characters, dots included; see src/protocol/logger-pattern.ts).
 */
export function setLevel(patternOrLevel: string, level?: LevelName): void {
  levels.set(patternOrLevel, level);
}

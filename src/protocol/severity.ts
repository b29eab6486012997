/**
 * Level names <-> OpenTelemetry severity numbers. OTel splits 1..24 into six
 * ranges of four (TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20,
 * FATAL 21-24); the first number of a range is the plain level.
 */
const NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** Aliases other loggers use (Python, pino, syslog), upper-cased. */
const ALIASES: Record<string, number> = {
  TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21,
  WARNING: 13, CRITICAL: 21, NOTICE: 10, ERR: 17, CRIT: 21, ALERT: 22, EMERG: 23, EMERGENCY: 23,
  NOTSET: 0, UNSPECIFIED: 0,
};

/**
 * Severity number for a level name, case-insensitive. `TRACE2`..`FATAL4` (the OTel
 * short names for the sub-levels) map to their numbers. Unknown names give 0
 * (unspecified), never an exception: the name is the producer's own text.
 */
export function severityFromLevelName(name: string): number {
  const up = name.toUpperCase();
  const base = ALIASES[up];
  if (base !== undefined) return base;
  const last = up.charCodeAt(up.length - 1);
  if (last >= 0x32 && last <= 0x34) {
    const b = ALIASES[up.slice(0, -1)];
    if (b !== undefined && NAMES.includes(up.slice(0, -1) as (typeof NAMES)[number])) return b + (last - 0x31);
  }
  return 0;
}

/** Plain range name for a severity number (`INFO` for 9..12); `UNSPECIFIED` outside 1..24. */
export function levelNameFromSeverity(n: number): string {
  if (!(n >= 1 && n <= 24)) return 'UNSPECIFIED';
  return NAMES[Math.floor((Math.floor(n) - 1) / 4)]!;
}

/**
 * Python logging level (10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR, 50 CRITICAL) to
 * OTel severity. Each Python step of 10 spans one OTel range of 4, so numbers in
 * between land on the sub-levels: 25 -> 11 (INFO3), 35 -> 15; below 10 is TRACE
 * (1..4), above 50 stays FATAL (capped at 24). 0 (NOTSET) is unspecified.
 */
export function severityFromPythonLevel(levelno: number): number {
  if (!(levelno > 0)) return 0;
  if (levelno < 10) return 1 + Math.min(3, Math.floor((levelno * 4) / 10));
  const sev = 5 + Math.floor(((levelno - 10) * 4) / 10);
  return Math.min(24, sev);
}

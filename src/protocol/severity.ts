/**
 * Severity conversions used by the decoders. The level words themselves live in
 * levels.ts (the one vocabulary); this file adds the Python logging numbers.
 */
export { severityFromLevelName, levelNameFromSeverity } from './levels.js';

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

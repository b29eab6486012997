/**
 * Options of the `file` plugin, their defaults and their validation.
 * File names come from a pattern so that records can be split by system and
 * kind (a performance stream apart from logs) and by day (rotation by date).
 */
import { checkEnum, checkInt, checkKeys, checkString, joinPath, type ConfigError } from '../api.js';

export type FsyncPolicy = 'never' | 'interval' | 'batch';

export interface FileOptions {
  /** Folder for the files; relative to the config file's folder. Created if missing. */
  directory: string;
  /** File name pattern; placeholders: {system} {kind} {systemName} {kindName} {date}. */
  pattern: string;
  /** Rotate a file before it would grow past this many bytes (0 = never by size). */
  maxBytes: number;
  /** Time zone of {date}; a new date starts a new file (rotation by day). */
  timezone: 'utc' | 'local';
  /** never: leave it to the OS; interval: every fsyncIntervalMs; batch: after every consumed batch. */
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
}

export const FILE_DEFAULTS: FileOptions = {
  directory: './distlog-data',
  pattern: '{system}{kind}-{date}.jsonl',
  maxBytes: 256 * 1024 * 1024,
  timezone: 'utc',
  fsync: 'interval',
  fsyncIntervalMs: 1000,
};

export const PLACEHOLDERS = ['system', 'kind', 'systemName', 'kindName', 'date'] as const;
const KEYS = Object.keys(FILE_DEFAULTS);

export function validateFileOptions(o: Record<string, unknown>, path: string): ConfigError[] {
  const errors = checkKeys(o, KEYS, path);
  errors.push(...checkString(o.directory, joinPath(path, 'directory')));
  const pp = joinPath(path, 'pattern');
  const patternErrors = checkString(o.pattern, pp);
  errors.push(...patternErrors);
  if (!patternErrors.length) {
    const pattern = o.pattern as string;
    for (const m of pattern.matchAll(/\{([^}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
        errors.push({ path: pp, message: `unknown placeholder {${m[1]}}`, hint: `allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` });
      }
    }
    if (pattern.startsWith('/') || pattern.split(/[\\/]/).includes('..') || /[\\/]$/.test(pattern)) {
      errors.push({ path: pp, message: 'pattern must be a relative file name inside directory', hint: 'e.g. {system}{kind}-{date}.jsonl' });
    }
  }
  errors.push(...checkInt(o.maxBytes, 0, Number.MAX_SAFE_INTEGER, joinPath(path, 'maxBytes')));
  errors.push(...checkEnum(o.timezone, ['utc', 'local'], joinPath(path, 'timezone')));
  errors.push(...checkEnum(o.fsync, ['never', 'interval', 'batch'], joinPath(path, 'fsync')));
  errors.push(...checkInt(o.fsyncIntervalMs, 10, 3_600_000, joinPath(path, 'fsyncIntervalMs')));
  return errors;
}

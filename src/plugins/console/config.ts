/** Options of the `console` plugin, their defaults and their validation. */
import { checkBool, checkEnum, checkInt, checkKeys, joinPath, type ConfigError } from '../api.js';

export interface ConsoleOptions {
  stream: 'stdout' | 'stderr';
  /** auto: colour only on a TTY and when NO_COLOR is unset. */
  color: 'auto' | 'always' | 'never';
  /** text: one readable line per record; json: the LogEntry as one JSON line. */
  format: 'text' | 'json';
  /** time column: local clock time (HH:MM:SS.mmm), full UTC ISO time, or none. */
  time: 'local' | 'iso' | 'none';
  /** Append the record's attributes as key=value. */
  attributes: boolean;
  /** Spaces per scope depth level. */
  indent: number;
}

export const CONSOLE_DEFAULTS: ConsoleOptions = {
  stream: 'stdout',
  color: 'auto',
  format: 'text',
  time: 'local',
  attributes: true,
  indent: 2,
};

export function validateConsoleOptions(o: Record<string, unknown>, path: string): ConfigError[] {
  return [
    ...checkKeys(o, Object.keys(CONSOLE_DEFAULTS), path),
    ...checkEnum(o.stream, ['stdout', 'stderr'], joinPath(path, 'stream')),
    ...checkEnum(o.color, ['auto', 'always', 'never'], joinPath(path, 'color')),
    ...checkEnum(o.format, ['text', 'json'], joinPath(path, 'format')),
    ...checkEnum(o.time, ['local', 'iso', 'none'], joinPath(path, 'time')),
    ...checkBool(o.attributes, joinPath(path, 'attributes')),
    ...checkInt(o.indent, 0, 16, joinPath(path, 'indent')),
  ];
}

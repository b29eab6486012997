/**
 * One JSON line of a store (the file plugin's output, `distlog tree` input) read
 * back as a LogEntry, validated as the collector validates what it receives.
 */
import type { EntryError } from './errors.js';
import type { LogEntry } from './log-entry.js';
import { validateEntry } from './validate.js';

/** The entry, or a string saying what is wrong with the line (for a `file:line: ...` report). */
export function parseEntryLine(line: string): LogEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not a JSON line (${(err as Error).message})`;
  }
  const errors: EntryError[] = [];
  const e = validateEntry(value, 0, errors);
  if (e) return e;
  const field = errors[0]!.path.replace(/^entries\[0\]\.?/, '');
  return `not a LogEntry: ${field ? `${field}: ` : ''}${errors[0]!.message}`;
}

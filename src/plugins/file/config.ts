/**
 * Options of the `file` plugin: one schema gives their type, defaults,
 * validation and JSON Schema. File names come from a pattern so that records can
 * be split by system and kind (a performance stream apart from logs) and by day
 * (rotation by date).
 */
import { defaultsOf, Type, withMessage, type Problem, type Static } from '../api.js';

export const PLACEHOLDERS = ['system', 'kind', 'systemName', 'kindName', 'date'] as const;

const PLACEHOLDER_HINT = `allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;

/**
 * A relative file name inside the directory, built from literal text and known
 * placeholders: not absolute, no `..` segment, no trailing slash.
 */
const PATTERN_RE = `^(?![\\\\/])(?!(?:.*[\\\\/])?\\.\\.(?:[\\\\/]|$))(?!.*[\\\\/]$)(?:[^{}]|\\{(?:${PLACEHOLDERS.join('|')})\\})+$`;

function patternProblems(value: unknown): Problem[] {
  if (typeof value !== 'string' || value === '') return [{ message: `expected a non-empty string, got ${JSON.stringify(value)}` }];
  const problems: Problem[] = [];
  for (const m of value.matchAll(/\{([^{}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) problems.push({ message: `unknown placeholder ${m[0]}`, hint: PLACEHOLDER_HINT });
  }
  if (/[{}]/.test(value.replace(/\{[^{}]*\}/g, ''))) problems.push({ message: 'unmatched { or } in pattern', hint: PLACEHOLDER_HINT });
  if (/^[\\/]/.test(value) || value.split(/[\\/]/).includes('..') || /[\\/]$/.test(value)) {
    problems.push({ message: 'pattern must be a relative file name inside directory', hint: 'e.g. {system}{kind}-{date}.jsonl' });
  }
  return problems;
}

export const FileOptionsSchema = Type.Object(
  {
    directory: Type.String({
      minLength: 1,
      default: './distlog-data',
      description: 'Folder for the files; relative to the config file\'s folder. Created if missing.',
    }),
    pattern: withMessage(
      Type.String({
        pattern: PATTERN_RE,
        default: '{system}{kind}-{date}.jsonl',
        description: 'File name pattern; placeholders: {system} {kind} {systemName} {kindName} {date} (YYYY-MM-DD).',
      }),
      patternProblems,
    ),
    maxBytes: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 256 * 1024 * 1024,
      description: 'Rotate a file before it would grow past this many bytes (0 = never by size).',
    }),
    timezone: Type.Union([Type.Literal('utc'), Type.Literal('local')], {
      default: 'utc',
      description: 'Time zone of {date}; a new date starts a new file (rotation by day).',
    }),
    fsync: Type.Union([Type.Literal('never'), Type.Literal('interval'), Type.Literal('batch')], {
      default: 'interval',
      description: 'never: leave it to the OS; interval: every fsyncIntervalMs; batch: after every consumed batch.',
    }),
    fsyncIntervalMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 1000 }),
  },
  { additionalProperties: false, description: 'Options of the file plugin: every record as one JSON line.' },
);

export type FileOptions = Static<typeof FileOptionsSchema>;
export type FsyncPolicy = FileOptions['fsync'];

/** The defaults the schema declares (for tests and embedders building options by hand). */
export const FILE_DEFAULTS = defaultsOf(FileOptionsSchema) as FileOptions;

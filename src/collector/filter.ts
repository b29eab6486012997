/**
 * Per-plugin record filters: the `filter:` schema, and its compiler. A filter
 * is validated once (by the schema) and compiled once at startup into one
 * predicate, so the hot path is a few comparisons per record and no config
 * interpretation (`compileFilter` returns undefined when everything passes, and
 * the router then skips filtering altogether). Level words, logger patterns and
 * system/kind names are the protocol's shared vocabulary.
 */
import { LEVEL_NAMES, MAX_SEVERITY, MIN_SEVERITY, levelWordPattern, severityFromLevelName, thresholdOfLevelWord, LEVEL_ALIASES } from '../protocol/levels.js';
import { compileLoggerPatterns } from '../protocol/logger-pattern.js';
import type { LogEntry } from '../protocol/log-entry.js';
import { KIND_WORDS, SYSTEM_WORDS } from '../protocol/names.js';
import { didYouMean, Type, withMessage, type Static } from '../plugins/api.js';

export type EntryPredicate = (entry: LogEntry) => boolean;

const LEVEL_HINT = `allowed: ${LEVEL_NAMES.join(', ')} or a severity number ${MIN_SEVERITY}..${MAX_SEVERITY}`;

const Level = withMessage(
  Type.Union(
    [
      Type.String({ pattern: levelWordPattern(), examples: [...LEVEL_NAMES] }),
      Type.Integer({ minimum: MIN_SEVERITY, maximum: MAX_SEVERITY }),
    ],
    { description: `Minimum level: ${LEVEL_NAMES.join(', ')} (also ${LEVEL_ALIASES.join(', ')}, any case) or an OTel severity number 1..24.` },
  ),
  (v) => {
    if (typeof v === 'number') return { message: `severity number must be an integer from ${MIN_SEVERITY} to ${MAX_SEVERITY}, got ${v}` };
    const guess = typeof v === 'string' ? didYouMean(v.toUpperCase(), [...LEVEL_NAMES, ...LEVEL_ALIASES]) : undefined;
    return { message: `unknown level ${JSON.stringify(v)}`, hint: (guess ? `did you mean "${guess}"? ` : '') + LEVEL_HINT };
  },
);

const words = (map: Readonly<Record<string, string>>) => Type.Union(Object.keys(map).map((w) => Type.Literal(w)));
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const AttributeValue = withMessage(Type.Union([Scalar, Type.Array(Scalar, { minItems: 1 })]), () => ({
  message: 'expected a value or a non-empty list of values',
}));

export const FilterSchema = Type.Object(
  {
    level: Type.Optional(Level),
    systems: Type.Optional(Type.Array(words(SYSTEM_WORDS), { description: 'System codes or names: T/test, S/staging, P/production.' })),
    kinds: Type.Optional(Type.Array(words(KIND_WORDS), { description: 'Kind codes or names: L/log, P/perf.' })),
    loggers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Logger names; `*` matches any run of characters, dots included (`db.*` matches db.pool and db.pool.conn).',
      }),
    ),
    services: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'resource service.name values.' })),
    attributes: Type.Optional(
      withMessage(
        Type.Record(Type.String(), AttributeValue, { description: 'Attribute name to the required value, or a list of accepted values.' }),
        () => ({ message: 'expected a map of attribute name to value (or list of values)' }),
      ),
    ),
  },
  { additionalProperties: false, default: {}, description: 'Which records this plugin gets; absent keys let everything through.' },
);

export type FilterConfig = Static<typeof FilterSchema>;

/** Builds the predicate for a validated filter; undefined means "everything passes". */
export function compileFilter(filter: FilterConfig): EntryPredicate | undefined {
  const tests: EntryPredicate[] = [];
  if (filter.level !== undefined) {
    const min = typeof filter.level === 'number' ? filter.level : thresholdOfLevelWord(filter.level)!;
    // Records with severity 0 (unspecified) fall back to their level text.
    tests.push((e) => (e.severity || severityFromLevelName(e.level)) >= min);
  }
  if (filter.systems?.length) {
    const set = new Set<string>(filter.systems.map((s) => SYSTEM_WORDS[s]!));
    tests.push((e) => set.has(e.system));
  }
  if (filter.kinds?.length) {
    const set = new Set<string>(filter.kinds.map((k) => KIND_WORDS[k]!));
    tests.push((e) => set.has(e.kind));
  }
  if (filter.loggers?.length) {
    const match = compileLoggerPatterns(filter.loggers);
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

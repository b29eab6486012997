/**
 * The level vocabulary, shared by every part that reads a level word: records
 * arriving with only a level text, the collector's `filter.level`, the SDK's
 * level rules (and the coming collector-to-app level channel). One table, so a
 * word means the same severity everywhere.
 *
 * OpenTelemetry splits severity 1..24 into six ranges of four (TRACE 1-4,
 * DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24); a plain name is
 * the first number of its range and `INFO2`..`INFO4` (OTel's short names) the
 * others. Aliases are the words other loggers use (Python, syslog):
 *   WARNING = WARN, ERR = ERROR, CRITICAL / CRIT = FATAL (Python's top level),
 *   NOTICE = INFO2 (10), ALERT = FATAL2 (22), EMERG / EMERGENCY = FATAL3 (23).
 * NOTICE follows the OTel data model's syslog mapping: a notice is an INFO that
 * matters a little more, so as a record's level it is INFO2, and as a threshold
 * (`level: NOTICE`, `setLevel('x', 'notice')`) it lets INFO2 and above through.
 * `OFF` is a threshold only: above every severity.
 */

/** The six canonical level names, lowest first. */
export const LEVEL_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

/** Lowest and highest OTel severity numbers; 0 is "unspecified". */
export const MIN_SEVERITY = 1;
export const MAX_SEVERITY = 24;
/** The threshold of `OFF`: no record passes it. */
export const OFF_SEVERITY = MAX_SEVERITY + 1;

/** Every accepted word (upper case) and its severity number. */
const WORDS: Readonly<Record<string, number>> = {
  TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21,
  NOTICE: 10, WARNING: 13, ERR: 17, CRITICAL: 21, CRIT: 21, ALERT: 22, EMERG: 23, EMERGENCY: 23,
};

/** Alias words (everything accepted besides the canonical names), for hints and schemas. */
export const LEVEL_ALIASES: readonly string[] = Object.keys(WORDS).filter((w) => !(LEVEL_NAMES as readonly string[]).includes(w));

/**
 * Severity number of a level word (any case): a name, an alias or a sub-level
 * (`INFO3`). Undefined for anything else; `OFF` is not a record level.
 */
export function severityOfLevelWord(word: string): number | undefined {
  const up = word.toUpperCase();
  const n = WORDS[up];
  if (n !== undefined) return n;
  const last = up.charCodeAt(up.length - 1);
  if (last >= 0x32 && last <= 0x34) {
    const base = up.slice(0, -1);
    // Sub-levels exist for the six canonical names only (no `WARNING2`).
    if ((LEVEL_NAMES as readonly string[]).includes(base)) return WORDS[base]! + (last - 0x31);
  }
  return undefined;
}

/**
 * Lowest severity a threshold word lets through: any level word, or `OFF`
 * (nothing passes). Undefined for an unknown word.
 */
export function thresholdOfLevelWord(word: string): number | undefined {
  return word.toUpperCase() === 'OFF' ? OFF_SEVERITY : severityOfLevelWord(word);
}

/**
 * Severity number for a record's level text, case-insensitive. Unknown text
 * gives 0 (unspecified), never an exception: the text is the producer's own.
 */
export function severityFromLevelName(name: string): number {
  return severityOfLevelWord(name) ?? 0;
}

/** Plain range name for a severity number (`INFO` for 9..12); `UNSPECIFIED` outside 1..24. */
export function levelNameFromSeverity(n: number): LevelName | 'UNSPECIFIED' {
  if (!(n >= MIN_SEVERITY && n <= MAX_SEVERITY)) return 'UNSPECIFIED';
  return LEVEL_NAMES[Math.floor((Math.floor(n) - 1) / 4)]!;
}

/**
 * A regular expression source matching every threshold word in any case, for
 * JSON Schema `pattern` (which has no case-insensitive flag).
 */
export function levelWordPattern(): string {
  const anyCase = (w: string) => [...w].map((c) => (/[A-Z]/.test(c) ? `[${c}${c.toLowerCase()}]` : c)).join('');
  const words = [...Object.keys(WORDS), 'OFF'].map(anyCase);
  const subLevels = `(?:${LEVEL_NAMES.map(anyCase).join('|')})[2-4]`;
  return `^(?:${words.join('|')}|${subLevels})$`;
}

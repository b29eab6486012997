/**
 * Logger-name patterns: the one glob syntax used wherever loggers are chosen by
 * name — the collector's `filter.loggers`, the SDK's level rules, and the level
 * rules the collector will push to apps (read the same way on both sides).
 *
 *   - `*` matches any run of characters, dots included, or none:
 *     `db.*` matches `db.pool` and `db.pool.conn` (not `db`); `*` matches every
 *     name; `*.sql` matches `db.sql` and `a.b.sql`; `app*` matches `app` and `apps`.
 *   - Every other character matches itself (no `?`, no classes, no escapes).
 *   - A pattern without `*` is an exact name.
 *
 * Matching walks the pattern's literal pieces left to right, so it is linear in
 * the name whatever the pattern (a regex built from `*a*a*a*b` can backtrack).
 */

export type NameMatcher = (name: string) => boolean;

/** Compiles one pattern. */
export function compileLoggerPattern(pattern: string): NameMatcher {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  const fixed = first.length + last.length;
  return (name) => {
    if (name.length < fixed || !name.startsWith(first) || !name.endsWith(last)) return false;
    // Leftmost placement of each middle piece leaves the most room for the rest.
    let at = first.length;
    const end = name.length - last.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** Compiles a list: a name matches when any pattern matches it (exact names by one Set lookup). */
export function compileLoggerPatterns(patterns: readonly string[]): NameMatcher {
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map(compileLoggerPattern);
  if (globs.length === 0) return (name) => exact.has(name);
  return (name) => exact.has(name) || globs.some((m) => m(name));
}

/**
 * How specific a pattern is, for "the most specific rule wins": the number of
 * literal characters, an exact name ranking above a glob of the same length.
 */
export function loggerPatternSpecificity(pattern: string): number {
  return pattern.includes('*') ? pattern.replaceAll('*', '').length : pattern.length + 0.5;
}

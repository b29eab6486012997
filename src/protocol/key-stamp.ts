/**
 * A record's key (`<seq>@<task>/<path>`, DESIGN.md "Scopes and keys") as the SDK
 * made it, handed to the OTLP writer in parts beside the `distlog.key` attribute.
 *
 * WHY. The key is the one attribute whose value is new in every record, and it is
 * built by concatenation: writing it meant flattening that fresh string and
 * encoding it character by character, the largest single cost per record in
 * bench/sdk-emit (about a quarter of the full path). In parts, the writer writes
 * the seq's digits and copies the scope's `@<task>/<path>` bytes, made once per scope.
 *
 * The attribute stays the truth: the writer uses the parts only while the
 * record's `distlog.key` is still the very string the SDK stamped (any processor
 * that rewrote it gets its own value written). Symbol keys: invisible to other
 * exporters, JSON and Object.keys.
 */

/** The `distlog.key` string as stamped. */
export const KEY_TEXT = Symbol('distlog.key.text');
/** Its `<seq>`. */
export const KEY_SEQ = Symbol('distlog.key.seq');
/** Its `<task>` or `<task>/<path>` (one string object per scope). */
export const KEY_TAIL = Symbol('distlog.key.tail');

/** A record that may carry its key in parts. */
export interface KeyStamped {
  [KEY_TEXT]?: string | undefined;
  [KEY_SEQ]?: number | undefined;
  [KEY_TAIL]?: string | undefined;
}

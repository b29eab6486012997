/**
 * Config schemas: each component (the receiver, a plugin's options, a filter...)
 * declares its config once, as a TypeBox schema, and gets from it
 *   - its TypeScript type (`Static<typeof Schema>`),
 *   - its defaults (`default:` on each property, collected by `defaultsOf`),
 *   - its validation, with every error at once in distlog's wording
 *     (`validateConfig`: YAML path, message, hint, did-you-mean),
 *   - its JSON Schema (the schema object itself; `distlogd schema`).
 *
 * Why TypeBox (`@sinclair/typebox`): its schemas *are* JSON Schema objects (no
 * conversion step that could drift), `Static<>` gives the type with no code
 * generation, its `Value.Errors` reports every failure with a JSON pointer and
 * the failing sub-schema (so messages can be worded here), and it is small, has
 * no dependencies, and is maintained and widely used (Fastify's type provider).
 * The 0.34 line is used; its successor is published as `typebox` 1.x with the
 * same model, so moving later is mechanical.
 *
 * What JSON Schema cannot say is attached to the schema under Symbol keys (not
 * part of the JSON): `withMessage` words the error for a sub-schema (e.g. "unknown
 * placeholder {day}" instead of "does not match pattern"), `withCheck` adds a rule
 * between fields (maxBackoffMs >= initialBackoffMs) that runs once the value is
 * otherwise valid.
 */
import { Kind, type Static, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { isPlainObject } from '../protocol/plain-object.js';

/** One problem in a config, located by its YAML path (e.g. `plugins[1].filter.level`). */
export interface ConfigError {
  path: string;
  message: string;
  /** What to do about it: did-you-mean, the allowed values, an example. */
  hint?: string;
  /** 1-based position in the YAML text, filled in by the collector when known. */
  line?: number;
  col?: number;
}

/** A problem as a message function states it; `at` is a sub-path below the schema's own place. */
export interface Problem {
  message: string;
  hint?: string;
  at?: string | number;
}

const MESSAGE = Symbol.for('distlog.config.message');
const CHECK = Symbol.for('distlog.config.check');

type Explain = (value: unknown) => Problem | Problem[];
type Check = (value: never) => Problem[];
type Annotated = TSchema & { [MESSAGE]?: Explain; [CHECK]?: Check };

/** Words the error(s) reported when `schema` rejects a value, instead of the generic wording. */
export function withMessage<T extends TSchema>(schema: T, explain: (value: unknown) => Problem | Problem[]): T {
  (schema as Annotated)[MESSAGE] = explain;
  return schema;
}

/** Adds a rule JSON Schema cannot state; it runs only on a value the schema accepts. */
export function withCheck<T extends TSchema>(schema: T, check: (value: Static<T>) => Problem[]): T {
  (schema as Annotated)[CHECK] = check as Check;
  return schema;
}

/** `a.b` / `a[1]` style path joining. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Edit distance counting a swap of neighbours as one edit (`levle` → `level`), for did-you-mean hints. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate when it is plausibly a typo (case-insensitive), else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // An abbreviation (`prod` for `production`) is as likely as a typo.
  if (lower.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** `did you mean "x"? allowed: a, b` — the hint for a word not in a list. */
export function allowedHint(word: unknown, allowed: readonly string[]): string {
  const guess = typeof word === 'string' ? didYouMean(word, allowed) : undefined;
  return (guess ? `did you mean "${guess}"? ` : '') + `allowed: ${allowed.join(', ')}`;
}

/**
 * Deep-merges `over` onto `base`: maps merge key by key, everything else
 * (scalars, lists) replaces. A null over a map (a YAML section left empty)
 * keeps the map. Used for "user config over defaults".
 */
export function mergeOptions<T>(base: T, over: unknown): T {
  if (isPlainObject(base) && over === null) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // defineProperty, not assignment: a `__proto__` key stays a key (and is reported as unknown).
    Object.defineProperty(out, k, { value: Object.hasOwn(base, k) ? mergeOptions(base[k], v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/**
 * The defaults a schema declares: an object's defaults are its properties'
 * defaults; a property without `default` (and without defaulted children) has none.
 */
export function defaultsOf(schema: TSchema): unknown {
  if ('default' in schema) return structuredClone(schema.default as unknown);
  if (schema[Kind] !== 'Object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const d = defaultsOf(prop);
    if (d !== undefined) out[key] = d;
  }
  return out;
}

/** The schema's defaults with `value` merged over them. */
export function withDefaults<T extends TSchema>(schema: T, value: unknown): Static<T> {
  return mergeOptions(defaultsOf(schema), value) as Static<T>;
}

function shown(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
}

/** JSON pointer (`/plugins/0/filter`) → YAML path (`plugins[0].filter`), reading indices against the value. */
function pathOf(base: string, pointer: string, root: unknown): string {
  let path = base;
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      path = joinPath(path, Number(seg));
      node = node[Number(seg)];
    } else {
      path = joinPath(path, seg);
      node = isPlainObject(node) ? node[seg] : undefined;
    }
  }
  return path;
}

function rangeOf(s: TSchema, integer: boolean): string {
  const what = integer ? 'an integer' : 'a number';
  const min = s.minimum as number | undefined;
  const max = s.maximum as number | undefined;
  const unbounded = max === undefined || max >= Number.MAX_SAFE_INTEGER;
  if (min !== undefined && !unbounded) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} >= ${min}`;
  if (!unbounded) return `${what} <= ${max}`;
  return what;
}

function literalsOf(s: TSchema): string[] | undefined {
  const options = s.anyOf as TSchema[] | undefined;
  if (!options?.every((o) => o[Kind] === 'Literal')) return undefined;
  return options.map((o) => String(o.const));
}

/** distlog's wording of one TypeBox error (the schema's own message function wins). */
function describe(e: ValueError): Problem[] {
  const s = e.schema as Annotated;
  // These two are reported against the parent object's schema or a property's; a
  // message function speaks for the value itself.
  if (s[MESSAGE] && e.type !== ValueErrorType.ObjectAdditionalProperties) {
    const p = s[MESSAGE](e.value);
    return Array.isArray(p) ? p : [p];
  }
  const v = e.value;
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = e.path.slice(e.path.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~');
      return [{ message: 'unknown key', hint: allowedHint(key, Object.keys(s.properties as object)) }];
    }
    case ValueErrorType.ObjectRequiredProperty:
      return [{ message: 'missing required key' }];
    case ValueErrorType.Object:
      return [{ message: `expected a map, got ${shown(v)}` }];
    case ValueErrorType.Integer:
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return [{ message: `expected ${rangeOf(s, true)}, got ${shown(v)}` }];
    case ValueErrorType.Number:
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.NumberMaximum:
      return [{ message: `expected ${rangeOf(s, false)}, got ${shown(v)}` }];
    case ValueErrorType.Boolean:
      return [{ message: `expected true or false, got ${shown(v)}` }];
    case ValueErrorType.String:
    case ValueErrorType.StringMinLength:
      return [{ message: `expected a${(s.minLength as number) > 0 ? ' non-empty' : ''} string, got ${shown(v)}` }];
    case ValueErrorType.StringMaxLength:
      return [{ message: `expected at most ${s.maxLength as number} characters, got ${(v as string).length}` }];
    case ValueErrorType.StringPattern:
      return [{ message: `invalid value ${shown(v)}`, hint: `expected to match ${s.pattern as string}` }];
    case ValueErrorType.Array:
      return [{ message: `expected a list, got ${shown(v)}` }];
    case ValueErrorType.ArrayMinItems:
      return [{ message: `expected at least ${s.minItems as number} item${s.minItems === 1 ? '' : 's'}` }];
    case ValueErrorType.ArrayMaxItems:
      return [{ message: `expected at most ${s.maxItems as number} items` }];
    case ValueErrorType.Literal:
      return [{ message: `invalid value ${shown(v)}`, hint: `expected ${shown(s.const)}` }];
    case ValueErrorType.Union: {
      const allowed = literalsOf(s);
      if (allowed) return [{ message: `invalid value ${shown(v)}`, hint: allowedHint(v, allowed) }];
      return [{ message: `invalid value ${shown(v)}` }];
    }
    default:
      return [{ message: e.message }];
  }
}

/** Runs the `withCheck` rules of every sub-schema whose value the schema accepts. */
function runChecks(schema: Annotated, value: unknown, path: string, out: ConfigError[]): void {
  if (schema[Kind] === 'Object' && isPlainObject(value)) {
    for (const [key, prop] of Object.entries(schema.properties as Record<string, Annotated>)) {
      if (value[key] !== undefined) runChecks(prop, value[key], joinPath(path, key), out);
    }
  } else if (schema[Kind] === 'Array' && Array.isArray(value)) {
    value.forEach((item, i) => runChecks(schema.items as Annotated, item, joinPath(path, i), out));
  }
  if (schema[CHECK] && Value.Check(schema, value)) {
    for (const p of schema[CHECK](value as never)) out.push(located(p, path));
  }
}

function located(p: Problem, path: string): ConfigError {
  const at = p.at === undefined ? path : joinPath(path, p.at);
  return p.hint === undefined ? { path: at, message: p.message } : { path: at, message: p.message, hint: p.hint };
}

/**
 * Every problem of `value` against `schema`, worded for users, each with its
 * YAML path under `path`. One report per place: the first failure found there
 * (an integer that is also out of range is reported once).
 */
export function validateConfig(schema: TSchema, value: unknown, path = ''): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const where = pathOf(path, e.path, value);
    if (seen.has(where)) continue;
    seen.add(where);
    for (const p of describe(e)) out.push(located(p, where));
  }
  runChecks(schema as Annotated, value, path, out);
  return out;
}

/**
 * The schema as plain JSON Schema for editors: Symbol-keyed annotations dropped
 * and, since a config is merged over defaults, a key with a default (or whose
 * keys all have defaults) is no longer required.
 */
export function toJsonSchema(schema: TSchema): Record<string, unknown> {
  const optional = (s: TSchema): boolean =>
    'default' in s || (s[Kind] === 'Object' && ((s.required as string[] | undefined) ?? []).every((k) => optional((s.properties as Record<string, TSchema>)[k]!)));
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (!isPlainObject(s)) return s;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) out[k] = k === 'default' || k === 'examples' || k === 'const' ? structuredClone(v) : walk(v);
    if ((s as TSchema)[Kind] === 'Object' && Array.isArray(s.required)) {
      const props = s.properties as Record<string, TSchema>;
      const required = (s.required as string[]).filter((k) => !optional(props[k]!));
      if (required.length) out.required = required;
      else delete out.required;
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

/**
 * The plugin contract of distlogd, modelled on OpenTelemetry Collector components:
 * a factory (type name + defaults + validate + create) and an instance with a
 * small lifecycle. Built-in and third-party plugins implement exactly this; a
 * third-party module default-exports a PluginFactory or exports it as `factory`.
 *
 * The option helpers below live here (not in the collector) so that plugins,
 * which may import only this file and the protocol, can validate with the same
 * wording, paths and did-you-mean hints as the collector's own config.
 */
import type { LogEntry } from '../protocol/log-entry.js';

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

/** Where a plugin reports its own problems; the daemon prefixes the plugin name. */
export interface PluginLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PluginContext {
  /** The plugin's configured name (unique within the daemon). */
  name: string;
  logger: PluginLogger;
  /** Folder that relative paths in the options are relative to (the config file's folder, or the cwd). */
  baseDir: string;
}

/**
 * What consume() may report when it took the batch but had to leave some entries
 * out (e.g. one record that cannot be serialized): those are dropped alone and
 * counted as dropped, the rest as written, and the batch is not retried.
 */
export interface ConsumeResult {
  dropped: number;
}

export interface PluginInstance {
  /** Open files/connections. Called once before the first consume(). */
  start(): Promise<void> | void;
  /**
   * Take a batch. Resolve once the batch is accepted (written or safely buffered);
   * reject/throw to have the router retry it with backoff. The array is shared
   * with other plugins: never mutate it or its entries.
   */
  consume(batch: readonly LogEntry[]): Promise<ConsumeResult | void> | ConsumeResult | void;
  /** Push buffered data out (e.g. to disk). */
  flush(): Promise<void> | void;
  /** Release everything. Must be safe to call twice and without start(). */
  shutdown(): Promise<void> | void;
  /** One line saying where the plugin writes, printed at daemon start. */
  describe?(): string;
}

export interface PluginFactory<O extends object = Record<string, unknown>> {
  /** The `type:` that selects this plugin in the config. */
  type: string;
  /** Complete default options; user options are deep-merged over them before validate(). */
  defaults: O;
  /** Check merged options; `path` is the YAML path of the options map. Return every problem at once. */
  validate(options: Record<string, unknown>, path: string): ConfigError[];
  /** Build an instance from options that passed validate(). Must not do I/O: start() does. */
  create(options: O, ctx: PluginContext): PluginInstance;
}

// ---------------------------------------------------------------------------
// Option helpers shared by the collector and plugins.

/** `a.b` / `a[1]` style path joining. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function listOf(values: readonly string[]): string {
  return values.join(', ');
}

/** Errors for keys of `obj` that are not in `allowed`, each with a did-you-mean hint. */
export function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const guess = didYouMean(key, allowed);
    errors.push({
      path: joinPath(path, key),
      message: 'unknown key',
      hint: (guess ? `did you mean "${guess}"? ` : '') + `allowed: ${listOf(allowed)}`,
    });
  }
  return errors;
}

/** Checks a value against a list of allowed strings. */
export function checkEnum(value: unknown, allowed: readonly string[], path: string): ConfigError[] {
  if (typeof value === 'string' && allowed.includes(value)) return [];
  const guess = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
  return [
    {
      path,
      message: `invalid value ${JSON.stringify(value)}`,
      hint: (guess ? `did you mean "${guess}"? ` : '') + `allowed: ${listOf(allowed)}`,
    },
  ];
}

/** Checks an integer within [min, max]. */
export function checkInt(value: unknown, min: number, max: number, path: string): ConfigError[] {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return [];
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return [{ path, message: `expected ${range}, got ${JSON.stringify(value)}` }];
}

export function checkBool(value: unknown, path: string): ConfigError[] {
  return typeof value === 'boolean' ? [] : [{ path, message: `expected true or false, got ${JSON.stringify(value)}` }];
}

export function checkString(value: unknown, path: string, nonEmpty = true): ConfigError[] {
  if (typeof value === 'string' && (!nonEmpty || value.length > 0)) return [];
  return [{ path, message: `expected a${nonEmpty ? ' non-empty' : ''} string, got ${JSON.stringify(value)}` }];
}

/**
 * Deep-merges `over` onto `base`: maps merge key by key, everything else
 * (scalars, lists) replaces. Used for "user config over defaults".
 */
export function mergeOptions<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeOptions(base[k], v) : v;
  return out as T;
}

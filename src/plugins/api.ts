/**
 * The plugin contract of distlogd, modelled on OpenTelemetry Collector components:
 * a factory (type name + config schema + create) and an instance with a small
 * lifecycle. Built-in and third-party plugins implement exactly this; a
 * third-party module default-exports a PluginFactory or exports it as `factory`:
 *
 *   import { Type } from '@sinclair/typebox';          // or from 'distlog/plugins'
 *   export default {
 *     type: 'memo',
 *     configSchema: Type.Object({ out: Type.String({ default: '' }) }, { additionalProperties: false }),
 *     create: (options, ctx) => ({ start() {}, consume(batch) {}, flush() {}, shutdown() {} }),
 *   };
 *
 * The schema states the options' type, defaults and validation once (see
 * config-schema.ts); the collector merges the user's options over its defaults,
 * reports every problem with its YAML path, and `distlogd schema` includes it in
 * the JSON Schema editors read. The schema helpers are re-exported here so that
 * plugins, which may import only this file and the protocol, word their errors
 * the way the collector does.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { LogEntry } from '../protocol/log-entry.js';
import type { JsonLines } from '../protocol/json-lines.js';
import type { ReadableStore, StoreReader } from './store.js';

export { Type, type Static, type TSchema } from '@sinclair/typebox';
export {
  type ConfigError,
  type Problem,
  withMessage,
  withCheck,
  validateConfig,
  defaultsOf,
  withDefaults,
  mergeOptions,
  joinPath,
  didYouMean,
  allowedHint,
  toJsonSchema,
} from './config-schema.js';
export { isPlainObject } from '../protocol/plain-object.js';
export {
  type JsonLines,
  EMPTY_JSON_LINES,
  lineCount,
  lineStart,
  lineText,
  systemOfLine,
  kindOfLine,
  sliceJsonLines,
  concatJsonLines,
  jsonLinesFromEntries,
} from '../protocol/json-lines.js';
export { jsonlFilesUnder } from './jsonl-files.js';
export * from './store.js';

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
  /**
   * The collector's counters now, per plugin and for the receiver (what
   * `distlog stats` shows). Given by distlogd; absent where a plugin runs
   * without a collector. Call it at run time, not in create().
   */
  stats?: () => CollectorCountersView;
  /**
   * The configured plugins that can be read back (`reader()`), in config order.
   * Given by distlogd; call it at run time (after start): plugins configured
   * after this one are created later.
   */
  stores?: () => ConfiguredStore[];
}

/** The part of the collector's counters a plugin may read (structurally the collector's CollectorStats). */
export interface CollectorCountersView {
  uptimeSeconds: number;
  receiver: { messages: number; entries: number; bytes: number; badMessages: number; badEntries: number };
  plugins: Record<string, { received: number; written: number; dropped: number; errors: number; filtered: number; queued: number }>;
  badInput: Record<string, number>;
}

/** A configured plugin whose records can be read back. */
export interface ConfiguredStore {
  name: string;
  type: string;
  reader(): StoreReader;
}

/**
 * What consume() may report when it took the batch but had to leave some entries
 * out (e.g. one record that cannot be serialized): those are dropped alone and
 * counted as dropped, the rest as written, and the batch is not retried.
 */
export interface ConsumeResult {
  dropped: number;
}


/** A store plugin may also offer `reader()` (ReadableStore, store.ts): the viewer's read interface. */
export interface PluginInstance extends ReadableStore {
  /** Open files/connections. Called once before the first consume(). */
  start(): Promise<void> | void;
  /**
   * Take a batch. Resolve once the batch is accepted (written or safely buffered);
   * reject/throw to have the router retry it with backoff. The array is shared
   * with other plugins: never mutate it or its entries.
   *
   * Contract:
   * - **Never block the event loop.** Every plugin, the receiver and the control
   *   channel share one thread: a consume() that computes or does synchronous
   *   I/O for 200 ms per batch slows every other plugin about 11x
   *   (bench/plugin-worker). Do I/O asynchronously; split heavy CPU work or move
   *   it to a worker_thread yourself (handing a batch over costs a structured
   *   clone per record, measured in the same bench).
   * - **All or nothing per call.** After the retries (`queue.retry`) fail, the
   *   collector bisects the batch to find the record(s) you cannot take, drops
   *   and counts only those (`rejected`), and delivers the rest in smaller
   *   calls. A call that wrote part of a batch and then threw makes those
   *   records appear twice; write a batch whole, or be idempotent.
   * - **Throw per batch, not per process.** A failure that is not about the
   *   records (backend down) fails every piece alike; the collector sees that,
   *   stops bisecting and counts the batch as dropped.
   * - **Take your time, but make progress.** A full lane in the default
   *   `whenFull: block` mode holds the receiver (backpressure to the producers)
   *   while consume() keeps succeeding; a plugin that writes nothing for
   *   `queue.blockTimeoutMs` stops holding it and loses its newest entries
   *   (counted) until it writes again. `consumeTimeoutMs` bounds one call.
   */
  consume(batch: readonly LogEntry[]): Promise<ConsumeResult | void> | ConsumeResult | void;
  /**
   * Optional: take a batch as ready JSON lines (JsonLines: the bytes, each
   * line's end, system and kind; each line is the JSON of the LogEntry that
   * consume() would get). A plugin that stores or ships JSON text offers this,
   * and when every plugin of the collector does (and none has a filter), the
   * collector writes lines straight from the wire without building a LogEntry
   * per record. Same contract as consume(): all or nothing, throw to retry; a
   * failed batch is bisected with sliceJsonLines. consume() stays required:
   * it is called whenever a message arrived as objects for another plugin or
   * this plugin's lane filters. The batch's bytes may be shared: never write
   * into them. They are lent until the call settles: the collector writes
   * other lines over them afterwards (it reuses its buffers), so a plugin that
   * keeps lines past its call (a buffer of its own, a later retry) copies them.
   */
  consumeLines?(lines: JsonLines): Promise<ConsumeResult | void> | ConsumeResult | void;
  /** Push buffered data out (e.g. to disk). */
  flush(): Promise<void> | void;
  /** Release everything. Must be safe to call twice and without start(). */
  shutdown(): Promise<void> | void;
  /** One line saying where the plugin writes, printed at daemon start. */
  describe?(): string;
  /**
   * The plugin's own counters (requests sent, records passed through, ...),
   * beside the ones the collector keeps for every plugin: shown by
   * `distlog stats` and the web view. Cheap and synchronous; never throws.
   */
  counters?(): Readonly<Record<string, number | string>>;
}

export interface PluginFactory<S extends TSchema = TSchema> {
  /** The `type:` that selects this plugin in the config. */
  type: string;
  /**
   * The options' schema (TypeBox, i.e. JSON Schema with types): defaults on its
   * properties, `additionalProperties: false` so misspelt keys are caught.
   * User options are deep-merged over its defaults and validated against it.
   */
  configSchema: S;
  /** Build an instance from options that passed the schema. Must not do I/O: start() does. */
  create(options: Static<S>, ctx: PluginContext): PluginInstance;
}

/** Checks a value that claims to be a factory: undefined when it is one, else what it lacks. */
export function factoryProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const f = v as Record<string, unknown>;
  const schema = f.configSchema;
  const missing = [
    typeof f.type === 'string' && f.type !== '' ? '' : 'type (a string)',
    // TypeBox marks its schemas with this registered symbol, shared by every copy of TypeBox.
    typeof schema === 'object' && schema !== null && Symbol.for('TypeBox.Kind') in schema ? '' : 'configSchema (a TypeBox schema)',
    typeof f.create === 'function' ? '' : 'create()',
  ].filter(Boolean);
  return missing.length ? `missing ${missing.join(', ')}` : undefined;
}

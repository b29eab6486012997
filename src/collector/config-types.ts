/**
 * The shape of a distlogd config after loading: YAML merged over these
 * defaults, validated, `${ENV}` substituted and plugin types resolved to
 * factories. Kept apart from the loader so the router and receiver can use the
 * types without pulling in YAML handling.
 */
import type { PluginFactory } from '../plugins/api.js';

export interface ReceiverConfig {
  /** ZeroMQ endpoints the PULL socket binds, e.g. `tcp://127.0.0.1:5010` (`:*` = any free port). */
  endpoints: string[];
  /** Larger messages are refused and counted (reason `size`). */
  maxMessageBytes: number;
  /** ZeroMQ receive high-water mark, in messages. */
  highWaterMark: number;
  /** At most one bad-input report line per reason per this many seconds. */
  reportIntervalSeconds: number;
}

export interface FilterConfig {
  /** Minimum level name (TRACE..FATAL) or OTel severity number; absent = all. */
  level?: string | number;
  /** System codes or names: T/test, S/staging, P/production. */
  systems?: string[];
  /** Kind codes or names: L/log, P/perf. */
  kinds?: string[];
  /** Logger names; a trailing `*` makes a prefix (`db.*`, `app*`). */
  loggers?: string[];
  /** resource `service.name` values. */
  services?: string[];
  /** Attribute name → required value, or a list of accepted values. */
  attributes?: Record<string, unknown>;
}

export type WhenFull = 'drop_newest' | 'block';

export interface RetryConfig {
  /** Attempts per batch including the first; then the batch is dropped and counted. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export interface QueueConfig {
  /** Entries waiting for this plugin; beyond it the receiver waits (`block`) or new entries are dropped (`drop_newest`). */
  maxEntries: number;
  /**
   * Bytes waiting for this plugin, estimated as each entry's share of its
   * message's wire size (decoded entries take about 2-4x that in heap). Full
   * when either bound is reached.
   */
  maxBytes: number;
  /** Queued batches are coalesced into consume() calls of at most this many entries. */
  batchMaxEntries: number;
  /**
   * `block` (default): a full lane holds the receiver (backpressure to the
   * producers) while its plugin makes progress. `drop_newest`: never holds; what
   * does not fit is dropped and counted.
   */
  whenFull: WhenFull;
  /**
   * A full `block` lane whose plugin has written nothing for this long (down,
   * hung, failing every batch) stops holding the receiver and drops its newest
   * entries, counted, until it writes again. 0 = hold for ever.
   */
  blockTimeoutMs: number;
  /** A consume() that has not settled after this long counts as failed (0 = wait forever). */
  consumeTimeoutMs: number;
  retry: RetryConfig;
}

export interface PluginConfig {
  name: string;
  type: string;
  factory: PluginFactory<object>;
  options: Record<string, unknown>;
  filter: FilterConfig;
  queue: QueueConfig;
}

/** The admin/query channel `distlog stats` talks to (ZeroMQ REP). */
export interface ControlConfig {
  /** e.g. `tcp://127.0.0.1:5011`; empty = off (the default). */
  endpoint: string;
}

export interface CollectorConfig {
  receiver: ReceiverConfig;
  control: ControlConfig;
  stats: { intervalSeconds: number };
  shutdown: { drainTimeoutSeconds: number };
  plugins: PluginConfig[];
  /** Folder relative paths are resolved against (the config file's, or the cwd). */
  baseDir: string;
  /** Where the config came from, for messages: a file path or `(embedded default)`. */
  source: string;
}

export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:5010';
/** What `distlog stats` asks when given no --from; distlogd binds it only when configured. */
export const SUGGESTED_CONTROL_ENDPOINT = 'tcp://127.0.0.1:5011';
export const DEFAULT_CONTROL: ControlConfig = { endpoint: '' };

export const DEFAULT_RECEIVER: ReceiverConfig = {
  endpoints: [DEFAULT_ENDPOINT],
  maxMessageBytes: 16 * 1024 * 1024,
  // Messages libzmq buffers before the sender feels backpressure. A message is a
  // whole batch (about 230 KB OTLP / 450 KB JSON at 1,024 records), so 100 keeps
  // this buffer near 25-45 MB; 1,000 let it reach ~800 MB RSS in bench/e2e.
  highWaterMark: 100,
  reportIntervalSeconds: 10,
};

export const DEFAULT_QUEUE: QueueConfig = {
  // Decoded entries take ~0.5-1 KB of heap each; lanes share the entry objects.
  maxEntries: 50_000,
  maxBytes: 64 * 1024 * 1024,
  batchMaxEntries: 2_000,
  whenFull: 'block',
  blockTimeoutMs: 10_000,
  consumeTimeoutMs: 30_000,
  retry: { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 10_000 },
};

/** The embedded default, as the YAML a user would write (also printed by the docs). */
export const DEFAULT_CONFIG_YAML = `# distlogd embedded default configuration
receiver:
  endpoints:
    - ${DEFAULT_ENDPOINT}
  maxMessageBytes: ${DEFAULT_RECEIVER.maxMessageBytes}
  highWaterMark: ${DEFAULT_RECEIVER.highWaterMark}
  reportIntervalSeconds: ${DEFAULT_RECEIVER.reportIntervalSeconds}
control:
  endpoint: ""
stats:
  intervalSeconds: 60
shutdown:
  drainTimeoutSeconds: 10
plugins:
  - type: console
  - type: file
    options:
      directory: ./distlog-data
`;

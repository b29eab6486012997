/**
 * The collector's own config sections, each declared once as a schema: its
 * TypeScript type, defaults, validation and JSON Schema all come from here
 * (see src/plugins/config-schema.ts for how). Plugin options are each plugin's
 * own schema; `filter` is declared beside its compiler in filter.ts.
 */
import { DEFAULT_ENDPOINT, ENDPOINT_HINT, ENDPOINT_PATTERN } from '../protocol/endpoint.js';
import { Type, withCheck, withMessage, type Static } from '../plugins/api.js';
import { FilterSchema } from './filter.js';

const MAX = Number.MAX_SAFE_INTEGER;
/** libzmq's ZMQ_MAXMSGSIZE is an int64 but the binding takes a JS number; 1 GiB is plenty. */
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;
const DAY_SECONDS = 86_400;
const HOUR_MS = 3_600_000;

const Endpoint = withMessage(Type.String({ pattern: ENDPOINT_PATTERN }), (v) => ({
  message: `invalid endpoint ${JSON.stringify(v)}`,
  hint: ENDPOINT_HINT,
}));

/**
 * The OTLP/HTTP logs receiver (POST /v1/logs). Nested under `receiver:` so that
 * existing configs stay valid; off by default, loopback by default when on.
 */
export const OtlpHttpReceiverSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Accept OTLP/HTTP logs (protobuf or JSON, gzip or not) on POST /v1/logs.' }),
    endpoint: withMessage(
      Type.String({ pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}$', default: '127.0.0.1:4318', description: 'host:port to listen on (port 0 = any free port).' }),
      (v) => ({ message: `invalid endpoint ${JSON.stringify(v)}`, hint: 'host:port, e.g. 127.0.0.1:4318' }),
    ),
    maxBodyBytes: Type.Integer({ minimum: 64, maximum: MAX_MESSAGE_BYTES, default: 16 * 1024 * 1024, description: 'Request bodies larger than this (as sent, before decompression) get 413, counted (reason size).' }),
    maxDecompressedBytes: Type.Integer({ minimum: 64, maximum: MAX_MESSAGE_BYTES, default: 64 * 1024 * 1024, description: 'A gzip body that inflates past this gets 413, counted (reason size): gzip bombs.' }),
    system: Type.Union([Type.Literal('T'), Type.Literal('S'), Type.Literal('P')], { default: 'P', description: 'System code of records whose request has no x-distlog-system header.' }),
    retryAfterSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 1, description: 'Retry-After of the 503 answered while a blocking plugin queue is full (backpressure).' }),
  },
  { additionalProperties: false, description: 'OTLP/HTTP logs receiver.' },
);

export const ReceiverSchema = Type.Object(
  {
    endpoints: withMessage(
      Type.Array(Endpoint, {
        minItems: 1,
        default: [DEFAULT_ENDPOINT],
        description: 'ZeroMQ endpoints the PULL socket binds, e.g. tcp://127.0.0.1:5010 (PORT * = any free port).',
      }),
      () => ({ message: 'expected a non-empty list of endpoints', hint: `e.g. - ${DEFAULT_ENDPOINT}` }),
    ),
    maxMessageBytes: Type.Integer({
      minimum: 64,
      maximum: MAX_MESSAGE_BYTES,
      default: 16 * 1024 * 1024,
      description: 'Larger messages are refused and counted (reason size).',
    }),
    // Messages libzmq buffers per connected sender before it feels backpressure. A
    // message is a whole batch: ~250 KB at 1,024 small records but ~2.7 MB at 1,024
    // records of 2 KB, where 100 held 270 MB (bench/e2e); 10 keeps it near 27 MB.
    highWaterMark: Type.Integer({ minimum: 0, maximum: MAX, default: 4, description: 'ZeroMQ receive high-water mark, in messages (whole batches, up to maxMessageBytes each) per sender.' }),
    maxEntriesPerMessage: Type.Integer({
      minimum: 1,
      maximum: MAX,
      default: 100_000,
      description: 'A message with more records is refused and counted (amplification bound).',
    }),
    reportIntervalSeconds: Type.Integer({
      minimum: 0,
      maximum: DAY_SECONDS,
      default: 10,
      description: 'At most one bad-input report line per reason per this many seconds.',
    }),
    otlpHttp: Type.Optional(OtlpHttpReceiverSchema),
  },
  { additionalProperties: false, description: 'The ZeroMQ PULL receiver.' },
);

export const RetrySchema = withCheck(
  Type.Object(
    {
      maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Attempts per batch including the first; then it is dropped and counted.' }),
      initialBackoffMs: Type.Integer({ minimum: 0, maximum: HOUR_MS, default: 200 }),
      maxBackoffMs: Type.Integer({ minimum: 0, maximum: HOUR_MS, default: 10_000 }),
    },
    { additionalProperties: false },
  ),
  (r) => (r.maxBackoffMs < r.initialBackoffMs ? [{ at: 'maxBackoffMs', message: 'must not be less than initialBackoffMs' }] : []),
);

export const WhenFullSchema = Type.Union([Type.Literal('drop_newest'), Type.Literal('block')], {
  default: 'block',
  description: 'block: a full queue makes the receiver wait (backpressure to the producers); drop_newest: new records are dropped and counted.',
});

export const QueueSchema = Type.Object(
  {
    // Decoded entries take ~0.5-3 KB of heap each; lanes share the entry objects.
    // maxBytes counts an estimate of that heap (wire share + ENTRY_OVERHEAD_BYTES,
    // see receiver.ts): 16 MiB is ~30,000 small records or ~5,500 of 2 KB. A
    // `block` lane that is making progress holds the receiver from 4 MiB on
    // (BLOCK_HOLD_BYTES, pipeline.ts); the rest is room for an outage.
    maxEntries: Type.Integer({ minimum: 1, maximum: MAX, default: 50_000, description: 'Entries waiting for this plugin.' }),
    maxBytes: Type.Integer({ minimum: 1024, maximum: MAX, default: 16 * 1024 * 1024, description: 'Bytes of entries waiting for this plugin.' }),
    batchMaxEntries: Type.Integer({ minimum: 1, maximum: MAX, default: 2_000, description: 'Queued batches are coalesced into consume() calls of at most this many entries.' }),
    whenFull: WhenFullSchema,
    blockTimeoutMs: Type.Integer({
      minimum: 0,
      maximum: HOUR_MS,
      default: 10_000,
      description: 'whenFull block: how long the receiver waits for room before dropping (0 = wait forever).',
    }),
    consumeTimeoutMs: Type.Integer({ minimum: 0, maximum: MAX, default: 30_000, description: 'A consume() not settled after this long counts as failed (0 = wait forever).' }),
    retry: RetrySchema,
  },
  { additionalProperties: false, description: "The plugin's own bounded queue." },
);

/** Plugin names appear in stats lines and messages; keep them plain. */
const PluginName = withMessage(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Unique name (default: from the type).' }), (v) => ({
  message: `invalid name ${JSON.stringify(v)}`,
  hint: 'use 1-64 letters, digits, _ . -',
}));

const PluginType = withMessage(
  Type.String({ minLength: 1, description: 'A plugin type: a built-in name, a module path (./my-plugin.js) or a package name.' }),
  (v) =>
    v === undefined || v === ''
      ? { message: 'missing plugin type', hint: 'a built-in name (console, file), a module path or a package name' }
      : { message: `expected a plugin type name, got ${JSON.stringify(v)}` },
);

/** One `plugins:` item without its options, which the plugin's own schema checks. */
export const PluginEntrySchema = withMessage(
  Type.Object(
    {
      type: PluginType,
      name: Type.Optional(PluginName),
      options: Type.Optional(Type.Object({}, { description: "The plugin's options (see its schema)." })),
      filter: FilterSchema,
      queue: QueueSchema,
    },
    { additionalProperties: false },
  ),
  () => ({ message: 'expected a map with at least `type`', hint: 'e.g. - type: file' }),
);

export const StatsSchema = Type.Object(
  {
    intervalSeconds: Type.Integer({ minimum: 0, maximum: DAY_SECONDS, default: 60, description: 'Seconds between stats lines (0 = none).' }),
  },
  { additionalProperties: false },
);

export const ShutdownSchema = Type.Object(
  {
    drainTimeoutSeconds: Type.Integer({ minimum: 0, maximum: DAY_SECONDS, default: 10, description: 'How long a stop may take to deliver what is queued.' }),
  },
  { additionalProperties: false },
);

export const ControlSchema = Type.Object(
  {
    endpoint: withMessage(
      Type.Union([Type.Literal(''), Type.String({ pattern: ENDPOINT_PATTERN })], {
        default: '',
        description: 'ZeroMQ endpoint the control channel (level rules to apps) binds; empty = off.',
      }),
      (v) => ({ message: `invalid endpoint ${JSON.stringify(v)}`, hint: `${ENDPOINT_HINT}; or '' for off` }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The whole file. `plugins` defaults to none here: the collector knows no
 * plugin, so which ones run when the file names none is the distribution's
 * choice (its base config; see LoadOptions.baseConfig).
 */
const sections = {
  receiver: ReceiverSchema,
  stats: StatsSchema,
  shutdown: ShutdownSchema,
  plugins: withMessage(
    Type.Array(PluginEntrySchema, { default: [], description: 'The plugins every record is routed to, each with its own filter and queue.' }),
    (v) => ({ message: `expected a list of plugins, got ${JSON.stringify(v)}`, hint: 'e.g. plugins: [{ type: console }]' }),
  ),
  control: ControlSchema,
};

export const CollectorFileSchema = withMessage(
  Type.Object(sections, { additionalProperties: false, title: 'distlogd configuration' }),
  () => ({ message: 'the config must be a map', hint: `top-level keys: ${Object.keys(sections).join(', ')}` }),
);

export type ReceiverConfig = Static<typeof ReceiverSchema>;
export type OtlpHttpReceiverConfig = Static<typeof OtlpHttpReceiverSchema>;
export type RetryConfig = Static<typeof RetrySchema>;
export type QueueConfig = Static<typeof QueueSchema>;
export type WhenFull = Static<typeof WhenFullSchema>;
export type StatsConfig = Static<typeof StatsSchema>;
export type ShutdownConfig = Static<typeof ShutdownSchema>;
export type ControlConfig = Static<typeof ControlSchema>;

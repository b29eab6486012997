/**
 * Options of the `mongodb` plugin, declared once (type, defaults, validation,
 * JSON Schema). The URI is checked by the driver's own parser at config time,
 * so `distlogd --check-config` reports a malformed URI before anything runs.
 */
import { mongo } from './driver.js';
import { defaultsOf, Type, withCheck, withMessage, type Problem, type Static } from '../api.js';

const URI_HINT = 'e.g. mongodb://127.0.0.1:27017 or mongodb+srv://user:pass@cluster.example.net';

/** The driver's verdict on a URI; undefined when it parses. Never connects. */
export function uriProblem(uri: string): string | undefined {
  try {
    // The constructor parses and validates the whole connection string (hosts,
    // ports, options) synchronously; connecting happens only in connect().
    new (mongo().MongoClient)(uri);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** MongoDB's rules for database names: no /\. "$*<>:|? or space, at most 63 bytes. */
const DB_NAME = '^[^/\\\\. "$*<>:|?]{1,63}$';
/** Collection names: not empty, no `$`, not `system.`-prefixed. */
const COLLECTION_NAME = '^(?!system\\.)[^$\\u0000]{1,120}$';

const CollectionName = (def: string, description: string) =>
  withMessage(Type.String({ pattern: COLLECTION_NAME, default: def, description }), (v) => ({
    message: `invalid collection name ${JSON.stringify(v)}`,
    hint: 'a non-empty name without $, not starting with "system."',
  }));

export const MongoOptionsSchema = Type.Object(
  {
    uri: withCheck(
      withMessage(
        Type.String({
          pattern: '^mongodb(\\+srv)?://.+',
          default: 'mongodb://127.0.0.1:27017',
          description: 'MongoDB connection string (any MongoDB-protocol server, e.g. FerretDB). ${ENV} substitution applies.',
        }),
        (v) => ({ message: `invalid MongoDB URI ${JSON.stringify(v)}`, hint: URI_HINT }),
      ),
      (uri): Problem[] => {
        const why = uriProblem(uri);
        return why ? [{ message: `invalid MongoDB URI: ${why}`, hint: URI_HINT }] : [];
      },
    ),
    database: withMessage(Type.String({ pattern: DB_NAME, default: 'distlog', description: 'Database name.' }), (v) => ({
      message: `invalid database name ${JSON.stringify(v)}`,
      hint: '1-63 characters, none of / \\ . " $ * < > : | ? or space',
    })),
    collections: Type.Object(
      {
        log: CollectionName('logs', 'Collection for log records (kind L).'),
        perf: CollectionName('perf', 'Collection for performance data (kind P).'),
      },
      { additionalProperties: false, description: 'One collection per kind, so performance data stays apart from logs.' },
    ),
    writeConcern: Type.Object(
      {
        w: Type.Union([Type.Integer({ minimum: 0, maximum: 50 }), Type.Literal('majority')], {
          default: 1,
          description: 'Acknowledgement: a number of members, or "majority". 0 = unacknowledged (then duplicates and losses go unseen).',
        }),
        journal: Type.Boolean({ default: false, description: 'Wait for the journal before acknowledging.' }),
        wtimeoutMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 0, description: 'Give up waiting for w after this long (0 = no limit).' }),
      },
      { additionalProperties: false },
    ),
    serverSelectionTimeoutMs: Type.Integer({
      minimum: 100,
      maximum: 600_000,
      default: 2_000,
      description: 'How long one write waits for a reachable server before failing; short, so an outage fails fast and the queue retries with backoff.',
    }),
    connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 2_000, description: 'TCP connect timeout.' }),
    socketTimeoutMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 20_000, description: 'A reply not received after this long fails the write (0 = none).' }),
    createIndexes: Type.Boolean({ default: true, description: 'Create the indexes (task+seq, time, level, service, attributes) at start.' }),
    ttlDays: Type.Number({
      minimum: 0,
      maximum: 36_500,
      default: 0,
      description: 'Delete records older than this many days with a TTL index on `time` (0 = keep). Needs real MongoDB: FerretDB has no TTL indexes (a warning at start).',
    }),
    capped: Type.Object(
      {
        sizeBytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Create missing collections capped at this size (0 = not capped). The retention that works on FerretDB.' }),
        maxDocuments: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Also cap the number of documents (0 = no count limit).' }),
      },
      { additionalProperties: false, description: 'Capped collections: oldest records are removed first once the size is reached. Only applies when the plugin creates the collection.' },
    ),
  },
  { additionalProperties: false, description: 'Options of the mongodb plugin: records as documents, batched unordered insertMany.' },
);

export type MongoOptions = Static<typeof MongoOptionsSchema>;

export const MONGO_DEFAULTS = defaultsOf(MongoOptionsSchema) as MongoOptions;

/**
 * `--from` values naming a store, opened as a StoreReader (the plugins' read
 * interface): `file:DIR`, `mongodb://HOST:PORT/DB`, `redis://HOST:PORT[/db][?stream=KEY]`.
 * Each scheme has an opener in STORE_OPENERS.
 */
import type { StoreReader } from '../plugins/api.js';
import { FileStoreReader } from '../plugins/file/index.js';
import { MONGO_DEFAULTS, openMongoStore } from '../plugins/mongodb/index.js';
import { REDIS_DEFAULTS, RedisStreamReader, redisUrlProblems } from '../plugins/redis/index.js';

export type StoreOpener = (from: string) => { reader: StoreReader } | { error: string };

function openFile(from: string): { reader: StoreReader } | { error: string } {
  const path = from.slice('file:'.length);
  return path === '' ? { error: '--from file: needs a folder or file, e.g. file:./distlog-data' } : { reader: new FileStoreReader(path) };
}

/** redis://HOST:PORT[/db][?stream=KEY]; KEY is a stream or a key pattern (default: the plugin's). */
function openRedis(from: string): { reader: StoreReader } | { error: string } {
  const problems = redisUrlProblems(from.replace(/\?.*$/, ''));
  if (problems.length) return { error: `--from ${from}: ${problems[0]!.message}${problems[0]!.hint ? ` (${problems[0]!.hint})` : ''}` };
  const url = new URL(from);
  const key = url.searchParams.get('stream') ?? REDIS_DEFAULTS.key;
  for (const name of url.searchParams.keys()) if (name !== 'stream') return { error: `--from ${from}: unknown parameter ${JSON.stringify(name)} (allowed: stream)` };
  url.search = '';
  return { reader: new RedisStreamReader({ url: url.toString(), key }) };
}

/** mongodb://HOST:PORT/DB[?log=COLL&perf=COLL]: the database and collections the mongodb plugin writes. */
function openMongo(from: string): { reader: StoreReader } | { error: string } {
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    return { error: `--from ${from}: not a MongoDB URI (mongodb://HOST:PORT/DB)` };
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || MONGO_DEFAULTS.database;
  const log = url.searchParams.get('log') ?? MONGO_DEFAULTS.collections.log;
  const perf = url.searchParams.get('perf') ?? MONGO_DEFAULTS.collections.perf;
  url.searchParams.delete('log');
  url.searchParams.delete('perf');
  url.pathname = '/';
  return { reader: openMongoStore(url.toString(), database, log, perf) };
}

export const STORE_OPENERS: Record<string, StoreOpener> = {
  file: openFile,
  mongodb: openMongo,
  'mongodb+srv': openMongo,
  redis: openRedis,
  rediss: openRedis,
};

export function openStoreFrom(from: string): { reader: StoreReader } | { error: string } {
  const colon = from.indexOf(':');
  const scheme = colon > 0 ? from.slice(0, colon) : '';
  const opener = STORE_OPENERS[scheme];
  if (opener) return opener(from);
  const known = Object.keys(STORE_OPENERS).map((s) => `${s}:`).join(', ');
  return { error: `--from ${JSON.stringify(from)}: expected file:DIR, mongodb://HOST:PORT/DB or redis://HOST:PORT[/db][?stream=KEY] (readable stores: ${known})` };
}

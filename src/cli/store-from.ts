/**
 * `--from` values naming a store, opened as a StoreReader (the plugins' read
 * interface): `file:DIR`, `redis://HOST:PORT[/db][?stream=KEY]`. Each scheme has
 * an opener in STORE_OPENERS; a store plugin adds its scheme(s) there
 * (`mongodb:` / `mongodb+srv:` are left for the mongodb plugin).
 */
import type { StoreReader } from '../plugins/api.js';
import { FileStoreReader } from '../plugins/file/index.js';
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

export const STORE_OPENERS: Record<string, StoreOpener> = {
  file: openFile,
  redis: openRedis,
  rediss: openRedis,
};

export function openStoreFrom(from: string): { reader: StoreReader } | { error: string } {
  const colon = from.indexOf(':');
  const scheme = colon > 0 ? from.slice(0, colon) : '';
  const opener = STORE_OPENERS[scheme];
  if (opener) return opener(from);
  const known = Object.keys(STORE_OPENERS).map((s) => `${s}:`).join(', ');
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') return { error: `--from ${scheme}: this build cannot read MongoDB yet; readable stores: ${known}` };
  return { error: `--from ${JSON.stringify(from)}: expected file:DIR or redis://HOST:PORT[/db][?stream=KEY] (readable stores: ${known})` };
}

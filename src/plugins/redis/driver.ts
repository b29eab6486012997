/**
 * The Redis client library, loaded on first use: a distlogd without a redis
 * plugin should not carry its ~15 MB of resident memory (see mongodb/driver.ts).
 */
import { createRequire } from 'node:module';
import type * as RedisDriver from 'redis';

const load = createRequire(import.meta.url);
let driver: typeof RedisDriver | undefined;

export function redisDriver(): typeof RedisDriver {
  return (driver ??= load('redis') as typeof RedisDriver);
}

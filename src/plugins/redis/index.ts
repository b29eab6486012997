/** The `redis` plugin: records as JSON into Redis streams, lists or pub/sub channels. */
import type { PluginFactory } from '../api.js';
import { RedisSink } from './plugin.js';
import { RedisOptionsSchema } from './schema.js';

export const redisPlugin: PluginFactory<typeof RedisOptionsSchema> = {
  type: 'redis',
  configSchema: RedisOptionsSchema,
  create: (options, ctx) => new RedisSink(options, ctx),
};

export { RedisSink } from './plugin.js';
export { RedisStreamReader, type RedisReaderOptions } from './reader.js';
export { RedisOptionsSchema, REDIS_DEFAULTS, MODES, KEY_PLACEHOLDERS, redisUrlProblems } from './schema.js';
export type { RedisOptions, RedisMode } from './schema.js';

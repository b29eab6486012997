/**
 * Options of the `redis` plugin: one schema gives their type, defaults,
 * validation (a malformed URL or an unknown mode is reported at
 * `distlogd --check-config`, with its YAML path) and JSON Schema.
 */
import { defaultsOf, Type, withCheck, withMessage, type Problem, type Static } from '../api.js';

export const MODES = ['stream', 'list', 'pubsub'] as const;
export const KEY_PLACEHOLDERS = ['system', 'kind', 'service', 'systemName', 'kindName'] as const;

const KEY_HINT = `allowed: ${KEY_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;

/** What is wrong with a Redis URL (redis://[user:pass@]host[:port][/db]), as problems. */
export function redisUrlProblems(value: string): Problem[] {
  const example = 'e.g. redis://127.0.0.1:6379/0 or rediss://user:pass@host:6380';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ message: `malformed URL ${JSON.stringify(value)}`, hint: example }];
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return [{ message: `URL scheme must be redis: or rediss:, got ${JSON.stringify(url.protocol)}`, hint: example }];
  if (!url.hostname) return [{ message: `URL ${JSON.stringify(value)} names no host`, hint: example }];
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,5}$/.test(url.pathname)) {
    return [{ message: `URL path must be a database number, got ${JSON.stringify(url.pathname)}`, hint: example }];
  }
  return [];
}

function keyProblems(value: unknown): Problem[] {
  if (typeof value !== 'string' || value === '') return [{ message: `expected a non-empty string, got ${JSON.stringify(value)}` }];
  const problems: Problem[] = [];
  for (const m of value.matchAll(/\{([^{}]*)\}/g)) {
    if (!(KEY_PLACEHOLDERS as readonly string[]).includes(m[1]!)) problems.push({ message: `unknown placeholder ${m[0]}`, hint: KEY_HINT });
  }
  if (/[{}]/.test(value.replace(/\{[^{}]*\}/g, ''))) problems.push({ message: 'unmatched { or } in key', hint: KEY_HINT });
  return problems;
}

const KEY_RE = `^(?:[^{}]|\\{(?:${KEY_PLACEHOLDERS.join('|')})\\})+$`;

export const RedisOptionsSchema = Type.Object(
  {
    url: withCheck(
      Type.String({ minLength: 1, default: 'redis://127.0.0.1:6379', description: 'redis://[user:pass@]host[:port][/db] (rediss:// for TLS).' }),
      (url) => redisUrlProblems(url),
    ),
    mode: Type.Union([Type.Literal('stream'), Type.Literal('list'), Type.Literal('pubsub')], {
      default: 'stream',
      description: 'stream: XADD (readable by distlog tree); list: RPUSH + LTRIM; pubsub: PUBLISH (nothing stored).',
    }),
    key: withMessage(
      Type.String({
        pattern: KEY_RE,
        default: 'distlog:{system}:{kind}:{service}',
        description: 'Stream / list / channel name; placeholders: {system} {kind} {service} {systemName} {kindName}.',
      }),
      keyProblems,
    ),
    maxLen: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 1_000_000,
      description: 'Keep about this many records per stream (XADD MAXLEN ~) or exactly this many per list (LTRIM); 0 = unbounded.',
    }),
    connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
    reconnectMaxDelayMs: Type.Integer({
      minimum: 50,
      maximum: 600_000,
      default: 5_000,
      description: 'Reconnect attempts back off up to this delay and never stop; meanwhile batches wait in the plugin queue.',
    }),
  },
  { additionalProperties: false, description: 'Options of the redis plugin: records as JSON into streams, lists or pub/sub channels.' },
);

export type RedisOptions = Static<typeof RedisOptionsSchema>;
export type RedisMode = RedisOptions['mode'];

export const REDIS_DEFAULTS = defaultsOf(RedisOptionsSchema) as RedisOptions;

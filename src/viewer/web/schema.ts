/**
 * Options of the `web` plugin: one schema gives their type, defaults,
 * validation and JSON Schema. The rule between fields (a token when the
 * address is not loopback) is a config error too (withCheck).
 */
import { defaultsOf, Type, withCheck, withMessage, type Problem, type Static } from '../../plugins/api.js';

export const WEB_ENDPOINT_PATTERN = '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$';

export const WebOptionsSchema = withCheck(Type.Object(
  {
    endpoint: withMessage(
      Type.String({
        pattern: WEB_ENDPOINT_PATTERN,
        default: '127.0.0.1:5080',
        description: 'HOST:PORT the web view listens on (HTTP). Port 0 = any free port. Any address but loopback needs `token`.',
      }),
      (v) => ({ message: `invalid endpoint ${JSON.stringify(v)}`, hint: 'HOST:PORT, e.g. 127.0.0.1:5080 or [::1]:5080' }),
    ),
    token: Type.String({
      default: '',
      description:
        'Shared secret a browser must show (open /?token=..., which sets a cookie; or header Authorization: Bearer ...). ' +
        'Required when endpoint is not a loopback address; optional on loopback. Use ${ENV} to keep it out of the file.',
    }),
    store: Type.String({
      default: '',
      description:
        'Name of the configured store plugin (mongodb, redis or file) to read older tasks from. ' +
        "'' = the first mongodb or redis plugin, else the first file plugin. The in-memory recent window is always read too.",
    }),
    recent: Type.Object(
      {
        maxTasks: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 500, description: 'Tasks kept in memory (least recently updated evicted first; counted).' }),
        maxRecords: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 100_000, description: 'Records kept in memory over all tasks (evictions counted).' }),
        tailRecords: Type.Integer({ minimum: 1, maximum: 100_000, default: 2_000, description: 'Most recent records kept for the live tail and /api/records.' }),
      },
      { additionalProperties: false, description: 'Bounds of the in-memory recent window this plugin builds from the records it consumes.' },
    ),
    sse: Type.Object(
      {
        maxQueuedBytes: Type.Integer({
          minimum: 1024,
          maximum: 1_073_741_824,
          default: 1_048_576,
          description: 'Per browser: bytes of events queued while its connection is behind; past it events are skipped and the browser gets a gap marker with the count.',
        }),
        maxClients: Type.Integer({ minimum: 1, maximum: 10_000, default: 32, description: 'Live connections at once; more are refused with 503.' }),
        maxRecordsPerEvent: Type.Integer({
          minimum: 1,
          maximum: 10_000,
          default: 200,
          description: 'Records sent live per consumed batch (the newest); the rest are counted as omitted in the event.',
        }),
      },
      { additionalProperties: false, description: 'Live updates (Server-Sent Events).' },
    ),
  },
  { additionalProperties: false, description: 'Options of the web plugin: the browser view of tasks, records and counters.' },
), (o) => webOptionsProblems(o));

export type WebOptions = Static<typeof WebOptionsSchema>;

/** The defaults the schema declares. */
export const WEB_DEFAULTS = defaultsOf(WebOptionsSchema) as WebOptions;

/** Splits HOST:PORT (HOST may be [v6]). */
export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(endpoint.slice(i + 1)) };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The rules the schema cannot state (a config error naming the option). */
export function webOptionsProblems(o: { endpoint: string; token: string }): Problem[] {
  const { host, port } = splitEndpoint(o.endpoint);
  if (port > 65535) return [{ at: 'endpoint', message: `port ${port} is out of range`, hint: '0..65535; 0 = any free port' }];
  if (!isLoopbackHost(host) && o.token === '') {
    return [{
      at: 'token',
      message: `required because endpoint ${JSON.stringify(o.endpoint)} is not a loopback address: anyone who reaches it could read the logs`,
      hint: 'set token: ${DISTLOG_WEB_TOKEN} (16+ characters, e.g. `openssl rand -hex 16`), or bind 127.0.0.1',
    }];
  }
  if (o.token !== '' && o.token.length < 16) return [{ at: 'token', message: 'too short', hint: 'use at least 16 characters, e.g. `openssl rand -hex 16`' }];
  return [];
}

/** Options of the `otlp` plugin: where to send, how, and how hard to retry. */
import { Type, withCheck, withMessage, type Static } from '../api.js';

export const OtlpOptionsSchema = withCheck(
  Type.Object(
    {
      endpoint: withMessage(
        Type.String({
          pattern: '^https?://[^\\s/]+(/\\S*)?$',
          default: 'http://127.0.0.1:4318/v1/logs',
          description: 'Full OTLP/HTTP logs URL, e.g. http://otel-collector:4318/v1/logs.',
        }),
        (v) => ({ message: `invalid endpoint ${JSON.stringify(v)}`, hint: 'an http(s) URL ending in /v1/logs, e.g. http://127.0.0.1:4318/v1/logs' }),
      ),
      encoding: Type.Union([Type.Literal('protobuf'), Type.Literal('json')], {
        default: 'protobuf',
        description: 'OTLP/HTTP body: protobuf (application/x-protobuf) or OTLP/JSON (application/json), for backends that take only JSON.',
      }),
      compression: Type.Union([Type.Literal('gzip'), Type.Literal('none')], { default: 'gzip', description: 'Body compression.' }),
      headers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }), Type.String(), {
        default: {},
        description: 'Extra request headers, e.g. authorization: "Bearer ${OTLP_TOKEN}".',
      }),
      timeoutMs: Type.Integer({ minimum: 1, maximum: 600_000, default: 10_000, description: 'One request; a timeout counts as a connection error (retried).' }),
      retry: Type.Object(
        {
          maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'Attempts per consume() on 429/502/503/504 and connection errors; then the batch goes back to the queue\'s retry.' }),
          initialBackoffMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 200 }),
          maxBackoffMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 5_000, description: 'Also caps a server\'s Retry-After.' }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  (o) => (o.retry.maxBackoffMs < o.retry.initialBackoffMs ? [{ at: 'retry.maxBackoffMs', message: 'must not be less than initialBackoffMs' }] : []),
);

export type OtlpOptions = Static<typeof OtlpOptionsSchema>;

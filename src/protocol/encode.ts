/**
 * A batch of records -> the payload frame for one ZeroMQ message. The exporter
 * pairs it with `formatTopic({ system, kind, encoding })`.
 *
 * The encoder trusts its input (the SDK built it): validation happens once, on
 * the collector side, where input is untrusted. Telemetry must not throw into the
 * app, so callers should still catch: a cyclic `body` makes JSON.stringify throw.
 */
import { ProtocolError } from './errors.js';
import type { BatchMeta, LogEntry } from './log-entry.js';
import type { Encoding } from './topic.js';
import { encodeJson } from './json-codec.js';
import { encodeOtlp } from './otlp-codec.js';

export function encodeBatch(entries: readonly LogEntry[], encoding: Encoding, meta?: BatchMeta): Uint8Array {
  if (encoding === 'J') return encodeJson(entries, meta);
  if (encoding === 'O') return encodeOtlp(entries, meta);
  throw new ProtocolError('encoding', `cannot encode: unknown encoding "${String(encoding)}"; use J (JSON) or O (OTLP protobuf)`);
}

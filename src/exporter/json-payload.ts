/**
 * The JSON (`J`) encoding, for tools in any language that read the wire: the
 * exporter encodes OTLP first (one mapping from the SDK record, otlp-encoder.ts),
 * then turns each OTLP payload into the LogEntry records the collector would make
 * from it (the protocol's own decoder) and writes those as a JSON envelope. Slower
 * than `O`, and not the default; what a J reader gets is by construction what an
 * O reader gets.
 */
import { decodeOtlp } from '../protocol/otlp-decode.js';
import { encodeJson } from '../protocol/json-codec.js';
import type { LogEntry, SystemCode } from '../protocol/log-entry.js';
import { JSON_SEQ_PLACEHOLDER } from './batch-envelope.js';
import { UnencodableRecordError } from './otlp-writer.js';

export interface JsonPayload {
  payload: Buffer;
  records: number;
}

/**
 * OTLP payload -> JSON payload(s) of at most `maxPayloadBytes` each (JSON is larger
 * than OTLP, so one OTLP payload may become several). `drop` gets records too big
 * for any JSON message.
 */
export function otlpToJson(
  otlp: Buffer,
  system: SystemCode,
  producer: string,
  maxPayloadBytes: number,
  drop: (records: number, error: Error) => void,
): JsonPayload[] {
  const { entries } = decodeOtlp(otlp, { system, kind: 'L' });
  const out: JsonPayload[] = [];
  split(entries, producer, maxPayloadBytes, out, drop);
  return out;
}

function split(entries: LogEntry[], producer: string, max: number, out: JsonPayload[], drop: (records: number, error: Error) => void): void {
  const payload = encodeJson(entries, { producer, seq: JSON_SEQ_PLACEHOLDER });
  if (payload.length <= max) {
    out.push({ payload, records: entries.length });
    return;
  }
  if (entries.length === 1) {
    drop(1, new UnencodableRecordError(`a record of ${payload.length} JSON bytes does not fit in a message of at most ${max} bytes (maxMessageBytes)`));
    return;
  }
  const half = entries.length >> 1;
  split(entries.slice(0, half), producer, max, out, drop);
  split(entries.slice(half), producer, max, out, drop);
}

/** The end-of-stream batch: no records, only the envelope. */
export function emptyJsonPayload(producer: string): Buffer {
  return encodeJson([], { producer, seq: JSON_SEQ_PLACEHOLDER });
}

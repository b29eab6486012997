/**
 * The topic frame of distlogd's PUB feed (the `zmq-pub` plugin): the 2018
 * `[system][kind][encoding]` bytes, then the record's service and level, so a
 * ZeroMQ SUB socket can filter by prefix in that order:
 *
 *   PLJ|checkout|ERROR
 *   │││ │        └ level: the record's plain OTel range name (TRACE DEBUG INFO WARN ERROR
 *   │││ │          FATAL, UNSPECIFIED for severity 0), from its severity number
 *   │││ └ service: resource `service.name`, `|` and `%` written as %7C and %25; empty when unknown
 *   ││└ encoding of the payload: J (JSON envelope) or O (OTLP protobuf)
 *   │└ kind: L log, P performance
 *   └ system: T test, S staging, P production
 *
 * Prefix `PL` = every production log; `PLJ|checkout|` = all of checkout's;
 * `PLJ|checkout|ERROR` = its errors. A level threshold is one prefix per level
 * at or above it. Encoding sits before the service (not at the end, where it
 * would be easier to ignore) so that the first three bytes stay the original
 * topic frame, which every distlog reader already parses.
 *
 * Lives in the protocol because both ends need it: the plugin that publishes and
 * `subscribe()` (and subscribers in other languages, which read this comment).
 */
import { ProtocolError } from './errors.js';
import type { KindCode, SystemCode } from './log-entry.js';
import { LEVEL_NAMES, levelNameFromSeverity, type LevelName } from './levels.js';
import { describeBytes, parseTopic, type Encoding, type Topic } from './topic.js';

/** distlogd's default PUB endpoint (the PULL receiver is on 5010). */
export const DEFAULT_PUB_ENDPOINT = 'tcp://127.0.0.1:5012';

/** Separator between the topic's fields. */
export const PUB_TOPIC_SEPARATOR = '|';

/** Level names a PUB topic carries, lowest first; UNSPECIFIED is severity 0 (or out of range). */
export const PUB_TOPIC_LEVELS: readonly (LevelName | 'UNSPECIFIED')[] = ['UNSPECIFIED', ...LEVEL_NAMES];

export interface PubTopic extends Topic {
  /** The record's service.name, decoded ('' when the producer named none). */
  service: string;
  /** Plain level name of the records' severity. */
  level: LevelName | 'UNSPECIFIED';
}

/** `%` and `|` percent-encoded, so a service name can never end the field early. */
export function encodeTopicService(service: string): string {
  return service.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
}

function decodeTopicService(field: string): string {
  return field.replace(/%(25|7C)/gi, (_, h: string) => (h === '25' ? '%' : '|'));
}

/** The topic text for one group of records (system, kind, service, level); the encoding byte included. */
export function pubTopicText(t: { system: SystemCode; kind: KindCode; encoding: Encoding; service: string; severity: number }): string {
  return `${t.system}${t.kind}${t.encoding}|${encodeTopicService(t.service)}|${levelNameFromSeverity(t.severity)}`;
}

/**
 * Parses a PUB topic frame. A bare 3-byte frame (`PLJ`) is accepted too, with an
 * empty service and UNSPECIFIED level: a publisher that does not extend the topic.
 */
export function parsePubTopic(frame: Uint8Array): PubTopic {
  const base = parseTopic(frame.subarray(0, 3));
  if (frame.length === 3) return { ...base, service: '', level: 'UNSPECIFIED' };
  const text = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8');
  const fields = text.slice(3).split(PUB_TOPIC_SEPARATOR);
  const level = fields[2] as PubTopic['level'];
  // fields[0] is what precedes the first separator: must be nothing.
  if (fields.length < 3 || fields[0] !== '' || !PUB_TOPIC_LEVELS.includes(level)) {
    throw new ProtocolError('topic', `PUB topic "${describeBytes(frame, 80)}": expected SKE|service|LEVEL (e.g. PLJ|checkout|ERROR)`, describeBytes(frame, 80));
  }
  return { ...base, service: decodeTopicService(fields[1]!), level };
}

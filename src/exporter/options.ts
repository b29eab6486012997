/**
 * Options of the ZeroMQ exporter, their defaults, and their validation.
 *
 * Validation happens once, at construction (DESIGN.md "Hot path: validate at
 * setup, not per record"): a bad option is a programming error and throws a clear
 * message; after that the exporter never throws into the application.
 */
import { randomBytes } from 'node:crypto';
import type { Encoding } from '../protocol/index.js';
import type { SystemCode } from '../protocol/log-entry.js';
import { DEFAULT_ENDPOINT } from '../protocol/endpoint.js';

/**
 * The encoding written when none is given: OTLP protobuf, the binary encoding
 * bench/codec chose (about 2x JSON's encode rate in the app, 2.2x its decode
 * rate in the collector, 56 % of its bytes; an OpenTelemetry Collector reads it
 * unchanged). `encoding: 'J'` gives human-readable JSON for other tools.
 */
export const DEFAULT_ENCODING: Encoding = 'O';
/** distlogd's default PULL endpoint (the protocol's, shared with the collector). */
export { DEFAULT_ENDPOINT };
export const DEFAULT_SYSTEM: SystemCode = 'P';
/**
 * Messages ZeroMQ queues per connected collector before send() has to wait.
 * A message is one batch, so this bounds the app's memory at about HWM x batch
 * bytes per peer: 100 x a 1,024-record JSON batch (~450 KB) ≈ 45 MB. ZeroMQ's
 * own default (1,000) would let a stalled collector cost the app ~450 MB.
 */
export const DEFAULT_SEND_HIGH_WATER_MARK = 100;
/** How long one message may wait for room (HWM, or no collector at all) before it is dropped. */
export const DEFAULT_SEND_TIMEOUT_MS = 2000;
/**
 * How long messages already handed to ZeroMQ may still be delivered after close.
 * ZeroMQ's own default (-1, forever) would keep a process whose collector is gone
 * from ever exiting.
 */
export const DEFAULT_LINGER_MS = 1000;
/** Messages waiting in JS for their turn at the socket (ZeroMQ allows one blocked send). */
export const DEFAULT_MAX_QUEUED_MESSAGES = 256;

export interface ZmqExporterOptions {
  /**
   * Collector endpoint(s), e.g. `tcp://127.0.0.1:5010`. With several, one PUSH
   * socket connects to all and ZeroMQ deals messages round-robin across the
   * connected ones. Default {@link DEFAULT_ENDPOINT}.
   */
  endpoint?: string | readonly string[];
  /** Test / Staging / Production: the topic's first byte. Default 'P'. */
  system?: SystemCode;
  /** Payload encoding (topic's third byte). Default {@link DEFAULT_ENCODING}. */
  encoding?: Encoding;
  /** ZMQ_SNDHWM, in messages per peer. Default 100. */
  sendHighWaterMark?: number;
  /** Bound on how long a message waits to be queued before it is dropped. Default 2000 ms. */
  sendTimeoutMs?: number;
  /** ZMQ_LINGER at close. Default 1000 ms; -1 (forever) is refused. */
  lingerMs?: number;
  /** Messages waiting in JS behind a blocked send; more are dropped at once. Default 256. */
  maxQueuedMessages?: number;
  /**
   * ZMQ_IMMEDIATE. Default true: messages queue only to completed connections,
   * so a collector that is down neither swallows its round-robin share nor makes
   * drops look like sends; with no collector at all, sends time out and count as
   * dropped.
   */
  immediate?: boolean;
  /** Identifies this exporter in every batch's meta (delivery accounting). Default: 16 random hex digits. */
  producerId?: string;
}

/** Options after defaults and validation; what the exporter and transport run on. */
export interface ResolvedZmqExporterOptions {
  endpoints: readonly string[];
  system: SystemCode;
  encoding: Encoding;
  sendHighWaterMark: number;
  sendTimeoutMs: number;
  lingerMs: number;
  maxQueuedMessages: number;
  immediate: boolean;
  producerId: string;
}

/** Applies defaults and reports every bad option at once. Throws TypeError. */
export function resolveOptions(options: ZmqExporterOptions = {}): ResolvedZmqExporterOptions {
  const errors: string[] = [];
  const endpointOpt = options.endpoint ?? DEFAULT_ENDPOINT;
  const endpoints = typeof endpointOpt === 'string' ? [endpointOpt] : [...endpointOpt];
  if (endpoints.length === 0) errors.push('endpoint: give at least one endpoint');
  for (const e of endpoints) {
    // ZeroMQ's own message for a bad address ("Invalid argument") says nothing
    // about which one; check the shape here so the error names it.
    if (typeof e !== 'string' || !/^(tcp|ipc|inproc):\/\/.+/.test(e)) {
      errors.push(`endpoint: "${String(e)}" is not a ZeroMQ address like tcp://127.0.0.1:5010`);
    }
  }
  const system = options.system ?? DEFAULT_SYSTEM;
  if (system !== 'T' && system !== 'S' && system !== 'P') errors.push(`system: "${String(system)}" is not T, S or P`);
  const encoding = options.encoding ?? DEFAULT_ENCODING;
  if (typeof encoding !== 'string' || encoding.length !== 1) errors.push(`encoding: "${String(encoding)}" is not an encoding letter`);

  const sendHighWaterMark = int(options.sendHighWaterMark, DEFAULT_SEND_HIGH_WATER_MARK, 'sendHighWaterMark', 0, errors);
  const sendTimeoutMs = int(options.sendTimeoutMs, DEFAULT_SEND_TIMEOUT_MS, 'sendTimeoutMs', 0, errors);
  const lingerMs = int(options.lingerMs, DEFAULT_LINGER_MS, 'lingerMs', 0, errors);
  const maxQueuedMessages = int(options.maxQueuedMessages, DEFAULT_MAX_QUEUED_MESSAGES, 'maxQueuedMessages', 0, errors);
  const immediate = options.immediate ?? true;
  if (typeof immediate !== 'boolean') errors.push('immediate: must be true or false');
  const producerId = options.producerId ?? randomBytes(8).toString('hex');
  if (typeof producerId !== 'string' || producerId.length === 0) errors.push('producerId: must be a non-empty string');

  if (errors.length > 0) throw new TypeError(`ZmqLogRecordExporter: invalid options:\n  ${errors.join('\n  ')}`);
  return { endpoints, system, encoding, sendHighWaterMark, sendTimeoutMs, lingerMs, maxQueuedMessages, immediate, producerId };
}

function int(value: number | undefined, fallback: number, name: string, min: number, errors: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    errors.push(`${name}: ${String(value)} is not an integer >= ${min}`);
    return fallback;
  }
  return value;
}

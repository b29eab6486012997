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
import { DEFAULT_ENDPOINT, ENDPOINT_HINT, isEndpoint } from '../protocol/endpoint.js';
import { isSystemCode } from '../protocol/names.js';

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
 * 1: then ZeroMQ holds at most the message in its pipe plus the one its I/O
 * thread is writing, so the exporter knows exactly what a close would lose and
 * counts it (transport.ts); the app's queue (the batch processor, bounded) absorbs
 * bursts instead, and a slow collector pushes back to it. The collector's own
 * receive buffer and TCP keep the pipeline full: a larger value does not raise
 * throughput (bench/e2e), it only makes shutdown accounting inexact.
 */
export const DEFAULT_SEND_HIGH_WATER_MARK = 1;
/** How long one message may wait for room (HWM, or no collector at all) before it is dropped. */
export const DEFAULT_SEND_TIMEOUT_MS = 2000;
/**
 * Largest message, in bytes (topic frame included), the same as the collector's
 * default `receiver.maxMessageBytes` (16 MiB): the exporter splits batches under
 * it, and drops (and counts) a single record bigger than any message.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/**
 * How long shutdown() (and register()'s exit flush) may take to deliver what was
 * accepted; whatever is not delivered by then is counted as dropped.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 3000;
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
  /** ZMQ_SNDHWM, in messages per peer. Default 1 (exact shutdown accounting needs 1; see DEFAULT_SEND_HIGH_WATER_MARK). */
  sendHighWaterMark?: number;
  /**
   * How long a message may wait for a collector to take it. When one times out the
   * exporter stops waiting: later messages are dropped (counted) at once until a
   * collector is ready again (checked every 250 ms, without sending). Default 2000 ms.
   */
  sendTimeoutMs?: number;
  /**
   * Messages are split so none exceeds this many bytes (topic included); set it to
   * the collector's `receiver.maxMessageBytes` when you changed that. A single
   * record larger than any message is dropped and counted. Default 16 MiB.
   */
  maxMessageBytes?: number;
  /**
   * Deadline of shutdown() (and forceFlush()) to deliver what was accepted; what is
   * not delivered by then is counted as dropped. Default 3000 ms.
   */
  shutdownTimeoutMs?: number;
  /**
   * When records start being dropped because no collector answers, say so once on
   * stderr (process.emitWarning, code DISTLOG_NO_COLLECTOR, with the endpoint and
   * the count so far). Default true.
   */
  warnOnDrop?: boolean;
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
  maxMessageBytes: number;
  shutdownTimeoutMs: number;
  warnOnDrop: boolean;
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
    if (!isEndpoint(e)) errors.push(`endpoint: "${String(e)}" is not a ZeroMQ address (${ENDPOINT_HINT})`);
  }
  const system = options.system ?? DEFAULT_SYSTEM;
  if (!isSystemCode(system)) errors.push(`system: "${String(system)}" is not T, S or P`);
  const encoding = options.encoding ?? DEFAULT_ENCODING;
  if (typeof encoding !== 'string' || encoding.length !== 1) errors.push(`encoding: "${String(encoding)}" is not an encoding letter`);

  const sendHighWaterMark = int(options.sendHighWaterMark, DEFAULT_SEND_HIGH_WATER_MARK, 'sendHighWaterMark', 1, errors);
  const sendTimeoutMs = int(options.sendTimeoutMs, DEFAULT_SEND_TIMEOUT_MS, 'sendTimeoutMs', 0, errors);
  const maxMessageBytes = int(options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES, 'maxMessageBytes', 1024, errors);
  const shutdownTimeoutMs = int(options.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS, 'shutdownTimeoutMs', 0, errors);
  const warnOnDrop = options.warnOnDrop ?? true;
  if (typeof warnOnDrop !== 'boolean') errors.push('warnOnDrop: must be true or false');
  const maxQueuedMessages = int(options.maxQueuedMessages, DEFAULT_MAX_QUEUED_MESSAGES, 'maxQueuedMessages', 0, errors);
  const immediate = options.immediate ?? true;
  if (typeof immediate !== 'boolean') errors.push('immediate: must be true or false');
  const producerId = options.producerId ?? randomBytes(8).toString('hex');
  if (typeof producerId !== 'string' || producerId.length === 0 || Buffer.byteLength(producerId) > 100) {
    errors.push('producerId: must be a non-empty string of at most 100 bytes');
  }

  if (errors.length > 0) throw new TypeError(`ZmqLogRecordExporter: invalid options:\n  ${errors.join('\n  ')}`);
  return { endpoints, system, encoding, sendHighWaterMark, sendTimeoutMs, maxMessageBytes, shutdownTimeoutMs, warnOnDrop, maxQueuedMessages, immediate, producerId };
}

function int(value: number | undefined, fallback: number, name: string, min: number, errors: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    errors.push(`${name}: ${String(value)} is not an integer >= ${min}`);
    return fallback;
  }
  return value;
}

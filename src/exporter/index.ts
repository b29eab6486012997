/**
 * The ZeroMQ exporter: an OpenTelemetry LogRecordExporter that sends batches of
 * canonical LogEntry records to distlogd over a PUSH socket.
 */
export { ZmqLogRecordExporter } from './zmq-exporter.js';
export type { ZmqExporterStats } from './zmq-exporter.js';
export {
  DEFAULT_ENCODING,
  DEFAULT_ENDPOINT,
  DEFAULT_LINGER_MS,
  DEFAULT_MAX_QUEUED_MESSAGES,
  DEFAULT_SEND_HIGH_WATER_MARK,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_SYSTEM,
  resolveOptions,
} from './options.js';
export type { ResolvedZmqExporterOptions, ZmqExporterOptions } from './options.js';
export { PushTransport, TransportError } from './transport.js';
export type { Frames, PushTransportOptions, SendCallback, TransportErrorCode } from './transport.js';

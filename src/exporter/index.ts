/**
 * The ZeroMQ exporter: an OpenTelemetry LogRecordExporter that encodes OTLP
 * straight from the SDK's records and sends them to distlogd over a PUSH socket,
 * counting every record it could not deliver.
 */
export { ZmqLogRecordExporter, DroppedRecordsError } from './zmq-exporter.js';
export type { DropReasons, ZmqExporterStats } from './zmq-exporter.js';
export {
  DEFAULT_ENCODING,
  DEFAULT_ENDPOINT,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_QUEUED_MESSAGES,
  DEFAULT_SEND_HIGH_WATER_MARK,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SYSTEM,
  resolveOptions,
} from './options.js';
export type { ResolvedZmqExporterOptions, ZmqExporterOptions } from './options.js';
export { OtlpBatchEncoder } from './otlp-encoder.js';
export type { EncodeSink } from './otlp-encoder.js';
export { UnencodableRecordError, MAX_VALUE_DEPTH } from './otlp-writer.js';
export { BatchEnvelope } from './batch-envelope.js';
export { PushTransport, TransportError } from './transport.js';
export type { CloseReport, Frames, MessageTransport, OutgoingMessage, PushTransportOptions, SendCallback, TransportErrorCode } from './transport.js';

/**
 * The distlog wire: topic frame, batch codecs (JSON `J`, OTLP protobuf `O`), the
 * canonical LogEntry, record keys, severities and the Python-distlog adapter.
 * Imports nothing else of ours.
 */
export { type Encoding, type Topic, ENCODINGS, parseTopic, formatTopic, topicString } from './topic.js';
export { encodeBatch } from './encode.js';
export { type DecodeLimits, type DecodedMessage, decodeMessage } from './decode.js';
export { ProtocolError, type ProtocolErrorCode, type EntryError } from './errors.js';
export { type ParsedKey, parseKey, formatKey } from './key.js';
export { fromPythonRecord } from './python.js';
export { severityFromLevelName, levelNameFromSeverity, severityFromPythonLevel } from './severity.js';
export { validateEntry, isUnixNano } from './validate.js';
export { ENVELOPE_VERSION } from './json-codec.js';
export { encodeOtlp, BATCH_META_FIELD } from './otlp-codec.js';
export { decodeOtlp, type OtlpDecoded } from './otlp-decode.js';
export { unixNanoFromHrTime, unixNanoFromMillis } from './time.js';
export {
  LOG_ENTRY_VERSION,
  type LogEntry,
  type BatchMeta,
  type ExceptionInfo,
  type ScopeEvent,
  type SystemCode,
  type KindCode,
} from './log-entry.js';
export {
  RESERVED_PREFIX,
  ATTR_KEY,
  ATTR_SEQ,
  ATTR_PATH,
  ATTR_TASK,
  ATTR_SPAN,
  ATTR_PARENT_SPAN,
  ATTR_EVENT,
  ATTR_DURATION_MS,
  ATTR_KIND,
  ATTR_MESSAGE,
  ATTR_SYSTEM,
  ATTR_EXCEPTION_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  isReservedAttribute,
} from './attributes.js';

/**
 * The distlog wire: topic frame, batch codecs (JSON `J`, OTLP protobuf `O`), the
 * canonical LogEntry, record keys, the Python-distlog adapter, and the shared
 * vocabulary (levels, logger patterns, system/kind names, endpoints).
 * Imports nothing else of ours.
 */
export { type Encoding, type Topic, ENCODINGS, parseTopic, formatTopic, topicString } from './topic.js';
export { type PubTopic, DEFAULT_PUB_ENDPOINT, PUB_TOPIC_LEVELS, pubTopicText, parsePubTopic, encodeTopicService } from './pub-topic.js';
export { encodeBatch } from './encode.js';
export { type DecodeLimits, type DecodedMessage, decodeMessage, DEFAULT_MAX_ENTRIES } from './decode.js';
export { type DecodedLines, decodeMessageLines } from './decode-lines.js';
export {
  type JsonLines,
  EMPTY_JSON_LINES,
  lineCount,
  lineStart,
  lineText,
  systemOfLine,
  kindOfLine,
  sliceJsonLines,
  concatJsonLines,
  jsonLinesFromEntries,
} from './json-lines.js';
export { type OtlpLines, otlpToJsonLines } from './otlp-lines.js';
export { ProtocolError, type ProtocolErrorCode, type EntryError } from './errors.js';
export { type ParsedKey, parseKey, formatKey } from './key.js';
export { callSpanId, callerKey, MAX_DERIVED_CALL } from './call-span.js';
export { fromPythonRecord } from './python.js';
export { severityFromPythonLevel } from './severity.js';
export {
  LEVEL_NAMES,
  LEVEL_ALIASES,
  MIN_SEVERITY,
  MAX_SEVERITY,
  OFF_SEVERITY,
  type LevelName,
  severityFromLevelName,
  levelNameFromSeverity,
  severityOfLevelWord,
  thresholdOfLevelWord,
  levelWordPattern,
} from './levels.js';
export { type NameMatcher, compileLoggerPattern, compileLoggerPatterns, loggerPatternSpecificity } from './logger-pattern.js';
export { SYSTEM_CODES, KIND_CODES, SYSTEM_NAMES, KIND_NAMES, SYSTEM_WORDS, KIND_WORDS, isSystemCode, isKindCode } from './names.js';
export { DEFAULT_ENDPOINT, ENDPOINT_PATTERN, ENDPOINT_HINT, isEndpoint } from './endpoint.js';
export { isPlainObject } from './plain-object.js';
export { validateEntry, isUnixNano } from './validate.js';
export { ENVELOPE_VERSION } from './json-codec.js';
export { encodeOtlp, BATCH_META_FIELD } from './otlp-codec.js';
export { decodeOtlp, countOtlpRecords, DEFAULT_MAX_DEPTH, type OtlpDecoded, type OtlpDecodeOptions } from './otlp-decode.js';
export { BYTES_TAG, INT_TAG, bytesValue, intValue } from './tagged-values.js';
export { unixNanoFromHrTime, unixNanoFromMillis } from './time.js';
export {
  LOG_ENTRY_VERSION,
  LOG_ENTRY_VERSIONS_READ,
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

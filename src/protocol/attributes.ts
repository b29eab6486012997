/**
 * Reserved OpenTelemetry attribute names through which the SDK hands scope facts
 * to exporters (and OTLP carries them between processes). User context can never
 * set a name that starts with RESERVED_PREFIX.
 */
export const RESERVED_PREFIX = 'distlog.';

export const ATTR_KEY = 'distlog.key';
export const ATTR_SEQ = 'distlog.seq';
export const ATTR_PATH = 'distlog.path';
/** Task id when it is not a valid trace id (records normalised from foreign producers). */
export const ATTR_TASK = 'distlog.task';
export const ATTR_PARENT_SPAN = 'distlog.parent_span_id';
export const ATTR_EVENT = 'distlog.event';
export const ATTR_DURATION_MS = 'distlog.duration_ms';
/** Record kind: 'P' for performance data; absent means log. */
export const ATTR_KIND = 'distlog.kind';

/** OpenTelemetry semantic-convention names for exceptions on log records. */
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

export function isReservedAttribute(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** Span id when it is not 16 lower-case hex (OTLP's span_id field holds only real ones). */
export const ATTR_SPAN = 'distlog.span_id';
/**
 * The formatted message, in OTLP only when the record also has a structured body
 * (the body then takes OTLP's `body` field).
 */
export const ATTR_MESSAGE = 'distlog.message';
/** System code T/S/P, as an OTLP resource attribute (a property of the producer's deployment). */
export const ATTR_SYSTEM = 'distlog.system';

/**
 * The canonical record. Every plugin, store and the viewer see this one flat,
 * JSON-friendly shape, whatever encoding or producer it came from (distlog SDK,
 * OTLP, the 2018 Python distlog).
 *
 * Bump LOG_ENTRY_VERSION only for a change that an old reader would misread;
 * adding an optional field is not such a change.
 */
export const LOG_ENTRY_VERSION = 2 as const;
/**
 * Record versions this reader accepts. A v1 record is a valid v2 record (v2 added
 * optional fields, and made `exception.type` optional, which an old reader would
 * misread: hence the bump); readers upgrade it in place.
 */
export const LOG_ENTRY_VERSIONS_READ: readonly number[] = [1, 2];

/** System a record comes from: Test, Staging, Production (topic byte 0). */
export type SystemCode = 'T' | 'S' | 'P';
/** Kind of record: Log or Performance data (topic byte 1). */
export type KindCode = 'L' | 'P';

/** What a scope record says about its scope. Absent on ordinary records. */
export type ScopeEvent = 'enter' | 'exit' | 'fail';

export interface ExceptionInfo {
  /** The error's class name, e.g. `TypeError`; absent when the producer named none (never invented). */
  type?: string;
  /** The error's message; '' when the producer sent only a type or a stack. */
  message: string;
  /** Stack trace / traceback with real newlines. */
  stack?: string;
}

export interface LogEntry {
  /** Shape version of this record (LOG_ENTRY_VERSION). */
  v: typeof LOG_ENTRY_VERSION;
  /**
   * Event time as nanoseconds since the Unix epoch, in decimal. A string because
   * a JS number cannot hold ns precision; always 19 digits for dates in
   * 2001..2286, so lexical order is time order.
   */
  timeUnixNano: string;
  /**
   * When the SDK or collector first saw the record, if different from timeUnixNano.
   * Absent means "the same": the OTLP encoder then writes timeUnixNano as
   * observed_time_unix_nano (a Collector shows 1970 when it is missing).
   */
  observedTimeUnixNano?: string;
  /** Level name: TRACE, DEBUG, INFO, WARN, ERROR, FATAL (or the producer's own text). */
  level: string;
  /**
   * True when the producer sent no severity text and `level` was derived from
   * `severity` (for viewers and filters): encoders then write no severity_text.
   */
  levelFromSeverity?: true;
  /** OpenTelemetry severity number 1..24 (0 = unspecified). */
  severity: number;
  /** Logger name = OpenTelemetry instrumentation scope name. */
  logger: string;
  /** Instrumentation scope version (OTLP InstrumentationScope.version). */
  loggerVersion?: string;
  /** Instrumentation scope schema URL (OTLP ScopeLogs.schema_url). */
  loggerSchemaUrl?: string;
  /** Instrumentation scope attributes (OTLP InstrumentationScope.attributes). Shared between records: read only. */
  loggerAttributes?: Record<string, unknown>;
  /** Attributes the producer dropped from the instrumentation scope. */
  loggerDroppedAttributesCount?: number;
  /**
   * OTLP LogRecord.event_name: the name of the event this record is (OpenTelemetry
   * events). Not to be confused with `event`, distlog's scope lifecycle.
   */
  eventName?: string;
  /** The human-readable message (formatted). */
  message: string;
  /** Structured body when the producer logged one that is not a plain string. */
  body?: unknown;
  /**
   * User / library attributes, scope context included; never `distlog.*` names.
   *
   * Values are JSON values, plus two tagged forms for what JSON cannot hold,
   * used wherever values nest (attributes, body, resource):
   * `{"$bytes": "<base64>"}` for an OTLP bytes value, and `{"$int": "<decimal>"}`
   * for an OTLP int64 outside +-(2^53 - 1). An object whose only key is one of
   * these with a string value is taken as that value by the OTLP encoder.
   */
  attributes: Record<string, unknown>;
  /** Attributes the producer dropped from this record (OTLP LogRecord.dropped_attributes_count). */
  droppedAttributesCount?: number;
  /** Task id: the OTel trace id (32 lower-case hex), or the producer's raw id. */
  task?: string;
  /** The scope's span id (16 lower-case hex). */
  span?: string;
  /**
   * OTLP LogRecord.flags: W3C trace flags in the low 8 bits (1 = sampled), the
   * rest reserved. Absent when 0 (OTLP cannot tell 0 from absent; the same holds
   * for the dropped counts and for empty names, versions and URLs below).
   */
  traceFlags?: number;
  /** The parent scope's span id, when the producer knew it. */
  parentSpan?: string;
  /** Subtask path below the task: '' for the task itself, '1/3/2' for a subtask. */
  path?: string;
  /** Record counter within its scope, from 0 (the enter record). */
  seq?: number;
  /**
   * Correlation key `<seq>@<task>[/<path>]` exactly as produced. Kept even when
   * it does not parse (the Python original sent `0@<built-in function id>`).
   */
  key?: string;
  /** Scope lifecycle: enter, exit (success) or fail. */
  event?: ScopeEvent;
  /** Scope duration in milliseconds, on exit and fail records. */
  durationMs?: number;
  exception?: ExceptionInfo;
  /** Producer resource: OTel resource attributes (service.name, host.name, process.pid, ...). */
  resource: Record<string, unknown>;
  /** OTLP ResourceLogs.schema_url. */
  resourceSchemaUrl?: string;
  /** Attributes the producer dropped from its resource. */
  resourceDroppedAttributesCount?: number;
  system: SystemCode;
  kind: KindCode;
}

/** Batch-level facts that travel beside the records of one message. */
export interface BatchMeta {
  /**
   * Identifies the sending exporter instance (stable for its lifetime). Reserved
   * for delivery accounting: gap counting and de-duplication.
   */
  producer?: string;
  /** Per-producer batch sequence number, from 1. Reserved like `producer`. */
  seq?: number;
  /**
   * Records this producer handed on before this batch (OTLP envelope field 3): lets the
   * collector count the records of the batches it missed exactly, not by estimate.
   */
  recordsBefore?: number;
}

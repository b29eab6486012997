/**
 * The canonical record. Every plugin, store and the viewer see this one flat,
 * JSON-friendly shape, whatever encoding or producer it came from (distlog SDK,
 * OTLP, the 2018 Python distlog).
 *
 * Bump LOG_ENTRY_VERSION only for a change that an old reader would misread;
 * adding an optional field is not such a change.
 */
export const LOG_ENTRY_VERSION = 1 as const;

/** System a record comes from: Test, Staging, Production (topic byte 0). */
export type SystemCode = 'T' | 'S' | 'P';
/** Kind of record: Log or Performance data (topic byte 1). */
export type KindCode = 'L' | 'P';

/** What a scope record says about its scope. Absent on ordinary records. */
export type ScopeEvent = 'enter' | 'exit' | 'fail';

export interface ExceptionInfo {
  /** The error's class name, e.g. `TypeError`; `Error` when unknown. */
  type: string;
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
  /** When the SDK or collector first saw the record, if different. */
  observedTimeUnixNano?: string;
  /** Level name: TRACE, DEBUG, INFO, WARN, ERROR, FATAL (or the producer's own text). */
  level: string;
  /** OpenTelemetry severity number 1..24 (0 = unspecified). */
  severity: number;
  /** Logger name = OpenTelemetry instrumentation scope name. */
  logger: string;
  /** The human-readable message (formatted). */
  message: string;
  /** Structured body when the producer logged one that is not a plain string. */
  body?: unknown;
  /** User / library attributes, scope context included; never `distlog.*` names. */
  attributes: Record<string, unknown>;
  /** Task id: the OTel trace id (32 lower-case hex), or the producer's raw id. */
  task?: string;
  /** The scope's span id (16 lower-case hex). */
  span?: string;
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
}

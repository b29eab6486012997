/**
 * ReadableLogRecord (OpenTelemetry SDK) → LogEntry (the canonical record).
 * Used by the exporter in the app and by the SDK's in-memory exporter, so a
 * test sees exactly the record the collector will store. Only a type comes
 * from sdk-logs: nothing of it runs here.
 *
 * This runs once per record inside the application, so it is written for speed:
 * one pass over the attributes with a switch on the reserved names, no closures,
 * no spreads, no regular expressions, and the resource attributes shared between
 * all records of one Resource instead of copied per record.
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  ATTR_DURATION_MS,
  ATTR_EVENT,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_KEY,
  ATTR_KIND,
  ATTR_PARENT_SPAN,
  ATTR_PATH,
  ATTR_SEQ,
  ATTR_TASK,
} from './attributes.js';
import { LOG_ENTRY_VERSION, type LogEntry, type ScopeEvent, type SystemCode } from './log-entry.js';
import { levelNameFromSeverity } from './severity.js';
import { bytesValue } from './tagged-values.js';
import { unixNanoFromHrTime } from './time.js';

const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';
/** Longest message made from a structured body; the body itself is kept whole in `body`. */
const MAX_SUMMARY_CHARS = 200;

type Resource = ReadableLogRecord['resource'];

/**
 * Remembers the last Resource's attributes: an app has one Resource, so records
 * share one attributes object instead of each carrying a copy. Encoders only read
 * it; nobody may mutate a LogEntry's `resource`.
 */
export class ResourceCache {
  private last: Resource | undefined;
  private attrs: Record<string, unknown> = {};

  get(resource: Resource): Record<string, unknown> {
    if (resource !== this.last) {
      this.last = resource;
      // Copied once per Resource so that a later change to a detector's result
      // cannot alter records already mapped.
      this.attrs = { ...(resource.attributes as Record<string, unknown>) };
    }
    return this.attrs;
  }
}

/**
 * Maps one record. `system` is the exporter's option; the kind comes from the
 * record (`distlog.kind` = 'P' marks performance data).
 */
export function toLogEntry(record: ReadableLogRecord, system: SystemCode, resources: ResourceCache): LogEntry {
  const severity = record.severityNumber ?? 0;
  const body = record.body;
  const entry: LogEntry = {
    v: LOG_ENTRY_VERSION,
    timeUnixNano: unixNanoFromHrTime(record.hrTime),
    level: record.severityText || levelNameFromSeverity(severity),
    severity,
    logger: record.instrumentationScope.name,
    message: typeof body === 'string' ? body : summarize(body),
    attributes: {},
    resource: resources.get(record.resource),
    system,
    kind: 'L',
  };
  const observed = record.hrTimeObserved;
  if (observed !== undefined && (observed[0] !== record.hrTime[0] || observed[1] !== record.hrTime[1])) {
    entry.observedTimeUnixNano = unixNanoFromHrTime(observed);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') entry.body = body;
  // LogEntry v2: the OTLP fields beside the attributes (see otlp-codec.ts for the mapping).
  if (!record.severityText) entry.levelFromSeverity = true;
  const scope = record.instrumentationScope;
  if (scope.version) entry.loggerVersion = scope.version;
  if (scope.schemaUrl) entry.loggerSchemaUrl = scope.schemaUrl;
  if (scope.attributes !== undefined && Object.keys(scope.attributes).length > 0) entry.loggerAttributes = scope.attributes as Record<string, unknown>;
  if (record.resource.schemaUrl) entry.resourceSchemaUrl = record.resource.schemaUrl;
  if (record.droppedAttributesCount > 0) entry.droppedAttributesCount = record.droppedAttributesCount;
  if (record.eventName) entry.eventName = record.eventName;

  const sc = record.spanContext;
  if (sc !== undefined && sc.traceId.length === 32 && sc.traceId !== INVALID_TRACE_ID) {
    entry.task = sc.traceId;
    if (sc.spanId.length === 16 && sc.spanId !== INVALID_SPAN_ID) entry.span = sc.spanId;
    if (sc.traceFlags) entry.traceFlags = sc.traceFlags;
  }

  const attributes = entry.attributes;
  const src = record.attributes as Record<string, unknown>;
  let excType: unknown;
  let excMessage: unknown;
  let excStack: unknown;
  for (const name in src) {
    const value = src[name];
    // First character decides cheaply whether the name can be reserved at all.
    const c = name.charCodeAt(0);
    if (c === 100 /* d */ && name.startsWith('distlog.')) {
      switch (name) {
        case ATTR_KEY:
          if (typeof value === 'string') entry.key = value;
          break;
        case ATTR_SEQ:
          if (typeof value === 'number') entry.seq = value;
          break;
        case ATTR_PATH:
          if (typeof value === 'string') entry.path = value;
          break;
        case ATTR_PARENT_SPAN:
          if (typeof value === 'string' && value.length > 0) entry.parentSpan = value;
          break;
        case ATTR_EVENT:
          if (value === 'enter' || value === 'exit' || value === 'fail') entry.event = value as ScopeEvent;
          break;
        case ATTR_DURATION_MS:
          if (typeof value === 'number') entry.durationMs = value;
          break;
        case ATTR_KIND:
          if (value === 'P') entry.kind = 'P';
          break;
        case ATTR_TASK:
          // Only for producers whose task id is not a trace id (foreign records).
          if (entry.task === undefined && typeof value === 'string' && value.length > 0) entry.task = value;
          break;
        default:
          // Unknown reserved names are dropped: LogEntry.attributes never holds distlog.*.
          break;
      }
      continue;
    }
    if (c === 101 /* e */ && name.startsWith('exception.')) {
      if (name === ATTR_EXCEPTION_TYPE) {
        excType = value;
        continue;
      }
      if (name === ATTR_EXCEPTION_MESSAGE) {
        excMessage = value;
        continue;
      }
      if (name === ATTR_EXCEPTION_STACKTRACE) {
        excStack = value;
        continue;
      }
    }
    if (value === undefined) continue;
    // LogEntry stays JSON: bytes travel as {"$bytes": base64} (tagged-values.ts).
    attributes[name] = typeof value === 'object' && value instanceof Uint8Array ? bytesValue(value) : value;
  }
  if (excType !== undefined || excMessage !== undefined || excStack !== undefined) {
    // Nothing invented: no type when the producer named none.
    entry.exception = { message: excMessage === undefined ? '' : String(excMessage) };
    if (excType !== undefined && excType !== '') entry.exception.type = String(excType);
    if (excStack !== undefined && excStack !== '') entry.exception.stack = String(excStack);
  }
  return entry;
}

/** A one-line, bounded message for a body that is not a string. */
function summarize(body: unknown): string {
  if (body === undefined || body === null) return '';
  switch (typeof body) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(body);
    case 'object':
      break;
    default:
      return String(body);
  }
  if (body instanceof Uint8Array) return `<${body.byteLength} bytes>`;
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined) return Array.isArray(body) ? '[array]' : '[object]';
  return text.length > MAX_SUMMARY_CHARS ? `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…` : text;
}

/**
 * Stamps every log record of the process with its place in the task tree:
 * the active scope's key, seq, path and context data, plus the scope facts of
 * enter/exit/fail records. Records from any library that logs through the
 * OpenTelemetry Logs API (pino and winston bridges included) pass here.
 *
 * It also applies the level rules before anything is stamped, so a filtered
 * record never consumes a seq number. Used alone (beside an existing setup),
 * list it first in your provider's processors, or give it `next` processors so
 * filtered records never reach them.
 */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import {
  ATTR_DURATION_MS,
  ATTR_EVENT,
  ATTR_KEY,
  ATTR_KIND,
  ATTR_PARENT_SPAN,
  ATTR_PATH,
  ATTR_SEQ,
  RESERVED_PREFIX,
} from '../protocol/attributes.js';
import { LeanLogRecord, RECORD_FACTS, RECORD_SCOPE } from './internal/lean-record.js';
import { KEY_SEQ, KEY_TAIL, KEY_TEXT } from '../protocol/key-stamp.js';
import { factsOf, type ScopeFacts } from './internal/scope-facts.js';
import { getScope } from './internal/scope-key.js';
import type { Scope } from './scope.js';
import type { LevelRules } from './levels.js';

export interface DistlogLogRecordProcessorOptions {
  /** Level rules applied to every record by logger name (none: everything passes). */
  levels?: LevelRules;
  /** Processors that receive each record after it is stamped (and only if it passed the levels). */
  next?: LogRecordProcessor[];
}

/**
 * The processor that stamps records with their place in the task tree
 * (`distlog.key`, `.seq`, `.path`, scope data, and the enter/exit/fail facts).
 */
export class DistlogLogRecordProcessor implements LogRecordProcessor {
  private readonly levels: LevelRules | undefined;
  private readonly next: LogRecordProcessor[];

  constructor(options: DistlogLogRecordProcessorOptions = {}) {
    this.levels = options.levels;
    this.next = options.next ?? [];
  }

  enabled(options: { instrumentationScope: { name: string }; severityNumber?: number }): boolean {
    const sev = options.severityNumber;
    return !this.levels || !sev || sev >= this.levels.thresholdFor(options.instrumentationScope.name);
  }

  onEmit(record: SdkLogRecord, ctx?: Context): void {
    try {
      const sev = record.severityNumber;
      if (this.levels && sev && sev < this.levels.thresholdFor(record.instrumentationScope.name)) return;
      const attrs = record.attributes as Record<string, unknown>;
      let scope: Scope | undefined;
      let facts: ScopeFacts | undefined;
      if (record instanceof LeanLogRecord) {
        // distlog's own emitters: scope and facts on the record, and attributes that
        // never hold reserved names (captured without them).
        scope = record[RECORD_SCOPE];
        facts = record[RECORD_FACTS];
      } else {
        // Any other record: reserved names are ours to set, never the caller's.
        for (const k in attrs) if (k.startsWith(RESERVED_PREFIX)) delete attrs[k];
        scope = ctx === undefined ? undefined : getScope(ctx);
        facts = factsOf(ctx);
      }
      if (scope !== undefined || facts?.kind !== undefined) {
        if (record instanceof LeanLogRecord) stamp(record, attrs, scope, facts);
        else stampVia(record, scope, facts);
      }
    } catch {
      // a malformed record must not break logging; pass it on as it is
    }
    for (const p of this.next) {
      try {
        p.onEmit(record, ctx);
      } catch {
        // telemetry never throws into the application
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.next.map((p) => p.forceFlush().catch(() => undefined)));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.next.map((p) => p.shutdown().catch(() => undefined)));
  }
}

/**
 * Writes the reserved attributes of a record of `scope` straight into its
 * attribute map (a LeanLogRecord's, whose values are known valid), and the key
 * in parts beside them for the OTLP writer.
 */
function stamp(record: LeanLogRecord, attrs: Record<string, unknown>, scope: Scope | undefined, facts: ScopeFacts | undefined): void {
  if (scope !== undefined) {
    const seq = scope.nextSeq();
    const tail = scope.keyTail;
    const key = `${seq}@${tail}`;
    attrs[ATTR_KEY] = key;
    record[KEY_TEXT] = key;
    record[KEY_SEQ] = seq;
    record[KEY_TAIL] = tail;
    attrs[ATTR_SEQ] = seq;
    attrs[ATTR_PATH] = scope.path;
    const data = scope.data;
    for (const k in data) if (!(k in attrs)) attrs[k] = data[k];
    if (facts?.event !== undefined) {
      attrs[ATTR_EVENT] = facts.event;
      if (scope.parentSpanId !== undefined) attrs[ATTR_PARENT_SPAN] = scope.parentSpanId;
      if (facts.durationMs !== undefined) attrs[ATTR_DURATION_MS] = facts.durationMs;
    }
  }
  if (facts?.kind !== undefined) attrs[ATTR_KIND] = facts.kind;
}

/** The same through setAttribute, for records of other providers (their limits apply). */
function stampVia(record: SdkLogRecord, scope: Scope | undefined, facts: ScopeFacts | undefined): void {
  if (scope !== undefined) {
    const attrs = record.attributes;
    const seq = scope.nextSeq();
    record.setAttribute(ATTR_KEY, `${seq}@${scope.keyTail}`);
    record.setAttribute(ATTR_SEQ, seq);
    record.setAttribute(ATTR_PATH, scope.path);
    const data = scope.data;
    for (const k in data) if (!(k in attrs)) record.setAttribute(k, data[k] as never);
    if (facts?.event !== undefined) {
      record.setAttribute(ATTR_EVENT, facts.event);
      if (scope.parentSpanId !== undefined) record.setAttribute(ATTR_PARENT_SPAN, scope.parentSpanId);
      if (facts.durationMs !== undefined) record.setAttribute(ATTR_DURATION_MS, facts.durationMs);
    }
  }
  if (facts?.kind !== undefined) record.setAttribute(ATTR_KIND, facts.kind);
}

/** @deprecated Use DistlogLogRecordProcessor. */
export const ScopeProcessor = DistlogLogRecordProcessor;
/** @deprecated Use DistlogLogRecordProcessor. */
export type ScopeProcessor = DistlogLogRecordProcessor;
/** @deprecated Use DistlogLogRecordProcessorOptions. */
export type ScopeProcessorOptions = DistlogLogRecordProcessorOptions;

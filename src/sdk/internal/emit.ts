/**
 * How distlog's own emitters (the facade, scope records, perf) hand over a
 * record. With register()'s pipeline in place they build a LeanLogRecord and
 * give it straight to the pipeline head (the DistlogLogRecordProcessor): the
 * provider's Logger would only re-validate what is known to be valid. This also
 * keeps distlog's records in distlog's pipeline when another provider owns the
 * global slot. Without a pipeline they go through the global Logs API.
 */
import { context, isSpanContextValid, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { logs, type LogAttributes, type LogBody, type SeverityNumber } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import { hrNow } from './clock.js';
import { sdkHealth } from './health.js';
import { LeanLogRecord } from './lean-record.js';
import { pipelineSlot } from './pipeline.js';
import { withFacts, type ScopeFacts } from './scope-facts.js';
import { getScope } from './scope-key.js';
import type { Scope } from '../scope.js';

/** One InstrumentationScope object per logger name: exporters group by its identity. */
class InstrumentationScopes {
  private readonly byName = new Map<string, InstrumentationScope>();
  // Consecutive records mostly come from one logger: remembered without a Map lookup.
  private lastName = '';
  private last: InstrumentationScope | undefined;

  get(name: string): InstrumentationScope {
    if (name === this.lastName && this.last !== undefined) return this.last;
    let s = this.byName.get(name);
    if (s === undefined) {
      s = { name };
      this.byName.set(name, s);
    }
    this.lastName = name;
    this.last = s;
    return s;
  }
}

const instrumentationScopes = new InstrumentationScopes();

/** The span context a record in `ctx` carries: its scope's (valid by construction), or any valid one. */
function spanContextOf(ctx: Context, scope: Scope | undefined): SpanContext | undefined {
  const sc = trace.getSpanContext(ctx);
  if (scope !== undefined && sc === scope.spanContext) return sc;
  return sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
}

/**
 * Emits one record as `loggerName` in `ctx` (default: the active context).
 * `attributes` must already be a copy the record may own (see capture.ts).
 * `facts` reach the processor on the record (distlog's pipeline) or on the
 * record's context (any other provider). Never throws.
 */
export function emitRecord(
  loggerName: string,
  severityNumber: SeverityNumber,
  severityText: string,
  body: LogBody,
  attributes: Record<string, unknown> | undefined,
  ctx: Context = context.active(),
  facts?: ScopeFacts,
): void {
  try {
    const p = pipelineSlot.current;
    if (p === undefined) {
      logs.getLogger(loggerName).emit({
        timestamp: hrNow(),
        severityNumber,
        severityText,
        body,
        attributes: attributes as LogAttributes | undefined,
        context: facts === undefined ? ctx : withFacts(ctx, facts),
      });
      return;
    }
    // distlog's own pipeline: scope and facts ride on the record itself.
    const scope = getScope(ctx);
    const rec = new LeanLogRecord(
      hrNow(),
      spanContextOf(ctx, scope),
      severityNumber,
      severityText,
      body,
      (attributes ?? {}) as LogAttributes,
      p.resource,
      instrumentationScopes.get(loggerName),
      scope,
      facts,
    );
    p.head.onEmit(rec, ctx);
  } catch (err) {
    // telemetry never throws into the application; the loss is counted
    sdkHealth.recordDropped(loggerName, err);
  }
}

/**
 * How distlog's own emitters (the facade, scope records, perf) hand over a
 * record. With register()'s pipeline in place they build a LeanLogRecord and
 * give it straight to the pipeline head (the ScopeProcessor): the provider's
 * Logger would only re-validate what is known to be valid. This also keeps
 * distlog's records in distlog's pipeline when another provider owns the
 * global slot. Without a pipeline they go through the global Logs API.
 */
import { context, isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import { logs, type LogAttributes, type LogBody, type SeverityNumber } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { hrNow } from './clock.js';
import { LeanLogRecord } from './lean-record.js';
import { getScope } from './scope.js';

export interface Pipeline {
  resource: Resource;
  head: LogRecordProcessor;
}

let pipeline: Pipeline | undefined;
const scopes = new Map<string, InstrumentationScope>();

export function setPipeline(p: Pipeline | undefined): void {
  pipeline = p;
}

/** One InstrumentationScope object per logger name: exporters group by its identity. */
function instrumentationScope(name: string): InstrumentationScope {
  let s = scopes.get(name);
  if (s === undefined) {
    s = { name };
    scopes.set(name, s);
  }
  return s;
}

function spanContextOf(ctx: Context) {
  const scope = getScope(ctx);
  const sc = trace.getSpanContext(ctx);
  // our own scope's span context is valid by construction; anything else is checked
  if (scope !== undefined && sc === scope.spanContext) return sc;
  return sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
}

/** Emits one record as `loggerName` in `ctx` (default: the active context). Never throws. */
export function emitRecord(
  loggerName: string,
  severityNumber: SeverityNumber,
  severityText: string,
  body: LogBody,
  attributes: LogAttributes | undefined,
  ctx: Context = context.active(),
): void {
  try {
    const p = pipeline;
    if (p === undefined) {
      logs.getLogger(loggerName).emit({ timestamp: hrNow(), severityNumber, severityText, body, attributes, context: ctx });
      return;
    }
    const attrs: Record<string, unknown> = {};
    if (attributes !== undefined) for (const k in attributes) attrs[k] = attributes[k];
    const rec = new LeanLogRecord(hrNow(), spanContextOf(ctx), severityNumber, severityText, body, attrs as LogAttributes, p.resource, instrumentationScope(loggerName));
    p.head.onEmit(rec, ctx);
  } catch {
    // telemetry never throws into the application
  }
}

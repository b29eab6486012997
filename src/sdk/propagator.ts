/**
 * A TextMapPropagator that speaks W3C Trace Context and gives every outgoing
 * call made inside a distlog scope a fresh subtask slot in `tracestate`
 * (`distlog=<path>`), so plain OpenTelemetry HTTP propagation lets the remote
 * side's records join the tree at a unique place. Outside a scope it behaves
 * exactly like the W3C propagator. Install it alone (register() does) or in
 * your CompositePropagator in place of W3CTraceContextPropagator.
 */
import {
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { childCarrier, remoteParentFrom, TRACEPARENT, TRACESTATE } from './carrier.js';
import { getScope } from './scope.js';
import { serializeTraceState, withFrontMember, DISTLOG_MEMBER } from './tracestate.js';

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

export class DistlogPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    const scope = getScope(ctx);
    if (scope) {
      // The remote subtask hangs under the innermost span: an instrumentation's
      // client span when it belongs to this task, else the scope's own span.
      const spanId = sc && isSpanContextValid(sc) && sc.traceId === scope.taskId ? sc.spanId : scope.spanId;
      const c = childCarrier(scope, spanId);
      setter.set(carrier, TRACEPARENT, c.traceparent);
      setter.set(carrier, TRACESTATE, c.tracestate);
      return;
    }
    if (!sc || !isSpanContextValid(sc)) return;
    const flags = (sc.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
    setter.set(carrier, TRACEPARENT, `00-${sc.traceId}-${sc.spanId}-${flags}`);
    const ts = sc.traceState?.serialize();
    if (ts) setter.set(carrier, TRACESTATE, ts);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const remote = remoteParentFrom(one(getter.get(carrier, TRACEPARENT)), one(getter.get(carrier, TRACESTATE)));
    if (!remote) return ctx;
    const members = remote.path ? withFrontMember(remote.foreignMembers, DISTLOG_MEMBER, remote.path) : remote.foreignMembers;
    return trace.setSpanContext(ctx, {
      traceId: remote.traceId,
      spanId: remote.spanId,
      traceFlags: remote.traceFlags,
      isRemote: true,
      traceState: members.length ? new TraceState(serializeTraceState(members)) : undefined,
    });
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

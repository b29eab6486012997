/**
 * A TextMapPropagator that speaks W3C Trace Context and gives every outgoing
 * call made inside a distlog scope a fresh subtask slot in `tracestate`
 * (`distlog=<path>`), so plain OpenTelemetry HTTP propagation lets the remote
 * side's records join the tree at a unique place, and a parent-id of its own
 * (a fresh span id, or the instrumentation's client span when there is one).
 * Trace flags are passed on as received (sampled and random bits), and an
 * invalid tracestate is dropped whole (W3C Trace Context level 2). Outside a
 * scope it behaves like the W3C propagator. Install it alone (register() does) or in
 * your CompositePropagator in place of W3CTraceContextPropagator.
 */
import {
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { childCarrier, flagsHex, remoteParentFrom, TRACEPARENT, TRACESTATE } from './internal/carrier.js';
import { getScope } from './internal/scope-key.js';
import { DISTLOG_MEMBER, parseTraceState, serializeTraceState, withFrontMember } from './internal/tracestate.js';

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

export class DistlogPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    const scope = getScope(ctx);
    if (scope) {
      // An instrumentation's client span for this call (a span of this task
      // other than the scope's own) is the remote side's parent; otherwise
      // childCarrier mints a fresh span id for the call.
      const client = sc !== undefined && sc.spanId !== scope.spanId && sc.traceId === scope.taskId && isSpanContextValid(sc) ? sc : undefined;
      const c = childCarrier(scope, client);
      setter.set(carrier, TRACEPARENT, c.traceparent);
      setter.set(carrier, TRACESTATE, c.tracestate);
      return;
    }
    if (!sc || !isSpanContextValid(sc)) return;
    setter.set(carrier, TRACEPARENT, `00-${sc.traceId}-${sc.spanId}-${flagsHex(sc.traceFlags)}`);
    const members = parseTraceState(sc.traceState?.serialize());
    if (members.length > 0) setter.set(carrier, TRACESTATE, serializeTraceState(members));
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

/**
 * Moving a scope across a process boundary: writing a child slot of a scope
 * into W3C `traceparent` + `tracestate`, and reading one back.
 */
import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import {
  DISTLOG_MEMBER,
  memberToPath,
  parseTraceState,
  serializeTraceState,
  withFrontMember,
  type Member,
} from './tracestate.js';
import type { Scope } from './scope.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** What `foreignTask()` returns: HTTP-header-shaped, so it can be sent as headers as is. */
export interface TaskCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * Allocates the next subtask slot of `scope` and describes it for the remote
 * side. `spanId` is the span the remote call hangs under (an instrumentation's
 * client span when there is one, else the scope's own span).
 */
export function childCarrier(scope: Scope, spanId: string = scope.spanId): Required<TaskCarrier> {
  const childPath = scope.nextChildPath();
  const members = withFrontMember(scope.foreignMembers, DISTLOG_MEMBER, childPath);
  return {
    traceparent: `00-${scope.taskId}-${spanId}-01`,
    tracestate: serializeTraceState(members),
  };
}

/** Traceparent fields, version 00 layout (future versions: first 55 characters, per W3C). */
const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export interface RemoteParent {
  traceId: string;
  spanId: string;
  traceFlags: number;
  /** The subtask path the sender allocated, when it was a distlog scope. */
  path: string | undefined;
  /** The other vendors' tracestate members, to pass on. */
  foreignMembers: Member[];
}

export function parseTraceParent(value: string | undefined): Omit<RemoteParent, 'path' | 'foreignMembers'> | undefined {
  if (!value) return undefined;
  const m = TRACEPARENT_RE.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const sc = { traceId: traceId!, spanId: spanId!, traceFlags: parseInt(flags!, 16) };
  return isSpanContextValid(sc) ? sc : undefined;
}

export function remoteParentFrom(traceparent: string | undefined, tracestate: string | undefined): RemoteParent | undefined {
  const tp = parseTraceParent(traceparent);
  if (!tp) return undefined;
  return { ...tp, ...splitMembers(tracestate) };
}

/** The distlog path and the other vendors' members of a tracestate header. */
function splitMembers(tracestate: string | undefined): Pick<RemoteParent, 'path' | 'foreignMembers'> {
  const members = parseTraceState(tracestate);
  const own = members.find((m) => m[0] === DISTLOG_MEMBER);
  return { path: memberToPath(own?.[1]), foreignMembers: members.filter((m) => m[0] !== DISTLOG_MEMBER) };
}

/** An (already valid) span context from the active OTel context, e.g. a server span started from request headers. */
export function remoteParentFromSpanContext(sc: SpanContext): RemoteParent {
  return { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags, ...splitMembers(sc.traceState?.serialize()) };
}

type HeaderValue = string | string[] | number | undefined | null;
export type CarrierInput =
  | TaskCarrier
  | Record<string, HeaderValue>
  | { get(name: string): string | null | undefined }
  | string;

/** Reads one header from a plain object (any case), a Headers-like object, or a bare traceparent string. */
export function readHeader(carrier: CarrierInput, name: string): string | undefined {
  if (typeof carrier === 'string') return name === TRACEPARENT ? carrier : undefined;
  if (carrier === null || typeof carrier !== 'object') return undefined;
  if (typeof (carrier as { get?: unknown }).get === 'function') {
    return (carrier as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  }
  const obj = carrier as Record<string, HeaderValue>;
  let v = obj[name];
  if (v === undefined) {
    for (const k of Object.keys(obj)) {
      if (k.toLowerCase() === name) {
        v = obj[k];
        break;
      }
    }
  }
  if (Array.isArray(v)) return v.join(',');
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * Moving a scope across a process boundary: writing a child slot of a scope
 * into W3C `traceparent` + `tracestate`, and reading one back.
 */
import { isSpanContextValid, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { newSpanId } from './ids.js';
import { callSpanId } from '../../protocol/call-span.js';
import {
  DISTLOG_MEMBER,
  memberToPath,
  parseTraceState,
  serializeTraceState,
  withFrontMember,
  type Member,
} from './tracestate.js';
import type { Scope } from '../scope.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/** What `foreignTask()` returns: HTTP-header-shaped, so it can be sent as headers as is. */
export interface TaskCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The trace flags W3C Trace Context level 2 defines (sampled, random); other bits are not passed on. */
export const KNOWN_FLAGS = TraceFlags.SAMPLED | 0x02;

/** Two lower-case hex digits, as traceparent writes flags. */
export function flagsHex(flags: number): string {
  return (flags & KNOWN_FLAGS).toString(16).padStart(2, '0');
}

/**
 * Allocates the next subtask slot of `scope` and describes it for the remote
 * side. Each call gets its own parent-id: an instrumentation's client span
 * (`client`, when one wraps this call) or else a fresh span id, so that two
 * calls from one scope never share a parent-id; the fresh one is derived from
 * the scope's span id (protocol/call-span.ts), so that records of a service
 * with only an OpenTelemetry SDK find the calling scope. The remote scope records that
 * id as its parent span; its path (the slot, `<scope path>/<n>`) is what ties
 * it to the calling scope in the tree. Flags are the scope's (as received),
 * with the client span's sampling decision when there is one.
 */
export function childCarrier(scope: Scope, client?: Pick<SpanContext, 'spanId' | 'traceFlags'>): Required<TaskCarrier> {
  const childPath = scope.nextChildPath();
  const slot = Number(childPath.slice(childPath.lastIndexOf('/') + 1));
  const members = withFrontMember(scope.foreignMembers, DISTLOG_MEMBER, childPath);
  const own = scope.spanContext.traceFlags;
  const flags = client === undefined ? own : (client.traceFlags & TraceFlags.SAMPLED) | (own & ~TraceFlags.SAMPLED);
  return {
    traceparent: `00-${scope.taskId}-${client?.spanId ?? callSpanId(scope.spanId, slot) ?? newSpanId()}-${flagsHex(flags)}`,
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
  const sc = { traceId: traceId!, spanId: spanId!, traceFlags: parseInt(flags!, 16) & KNOWN_FLAGS };
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

/**
 * The parent a span context of the active OTel context describes (e.g. a server
 * span started from request headers). An invalid one (all-zero ids, what the
 * HTTP instrumentation leaves when there was no traceparent and no
 * TracerProvider is registered) describes no parent.
 */
export function remoteParentFromSpanContext(sc: SpanContext): RemoteParent | undefined {
  if (!isSpanContextValid(sc)) return undefined;
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

/**
 * One task or subtask: its identity in the tree and its running state.
 * A Scope is what `task()`/`to()`/`importTask()` hand to your code.
 */
import { diag, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { formatMessage, splitArgs } from './format.js';
import { captureInto } from './internal/capture.js';
import { childCarrier, type TaskCarrier } from './internal/carrier.js';
import { emitExit, emitFail } from './internal/scope-records.js';
import { SCOPE_KEY } from './internal/scope-key.js';
import { DISTLOG_MEMBER, serializeTraceState, withFrontMember, type Member } from './internal/tracestate.js';

export type ScopeContextData = Record<string, unknown>;

export interface ScopeInit {
  taskId: string;
  spanId: string;
  parentSpanId: string | undefined;
  path: string;
  message: string;
  /** W3C trace flags, passed on unchanged to the scope's records and outgoing calls. */
  traceFlags: number;
  /** Other vendors' tracestate members, kept for the scope's outgoing calls. */
  foreignMembers: readonly Member[];
  data: ScopeContextData | undefined;
  /** Set when the scope is not where the caller asked for it (e.g. `to()` with no task). */
  orphan?: boolean;
}

/** Says once that reserved names in user context are ignored. */
class ReservedNameWarning {
  private warned = false;

  warn(key: string): void {
    if (this.warned) return;
    this.warned = true;
    diag.warn(`distlog: context key "${key}" is reserved (names starting with "distlog." are set by distlog) and was ignored`);
  }
}

const reservedNameWarning = new ReservedNameWarning();

/**
 * Copies user context, leaving out reserved `distlog.*` names (they would
 * clobber correlation). Never throws: see internal/capture.ts.
 */
function cleanData(into: Record<string, unknown>, data: ScopeContextData | undefined): void {
  if (data === undefined || data === null) return;
  captureInto(into, data, 'scope context data', (k) => reservedNameWarning.warn(k));
}

export class Scope {
  /** Task id: the OpenTelemetry trace id (32 hex). */
  readonly taskId: string;
  /** This scope's span id (16 hex). */
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** Subtask path: '' for a task, '1/3/2' for a subtask. */
  readonly path: string;
  /** The formatted scope message (what the enter record says). */
  readonly message: string;
  readonly orphan: boolean;
  /** The OpenTelemetry context in which this scope is active. */
  readonly context: Context;
  /** The span context records of this scope carry (tracestate includes `distlog=<path>`). */
  readonly spanContext: SpanContext;

  /** Context data: the scope's own keyword data plus everything bound since. */
  readonly data: Record<string, unknown> = {};
  /** performance.now() at entry, for the exit record's duration. */
  readonly startedAt = performance.now();

  /** @internal `<task>` or `<task>/<path>`: the key after `<seq>@`. */
  readonly keyTail: string;
  /** @internal */ readonly foreignMembers: readonly Member[];
  /** @internal next record's seq */ seq = 0;
  /** @internal subtask slots handed out so far */ children = 0;
  /** @internal */ successMessage: string | undefined;
  /** @internal */ closed = false;
  /** @internal restores the previous active context after `using` */ detach: (() => void) | undefined;

  constructor(init: ScopeInit, parentContext: Context) {
    this.taskId = init.taskId;
    this.spanId = init.spanId;
    this.parentSpanId = init.parentSpanId;
    this.path = init.path;
    this.message = init.message;
    this.orphan = init.orphan === true;
    this.foreignMembers = init.foreignMembers;
    this.keyTail = init.path === '' ? init.taskId : `${init.taskId}/${init.path}`;
    cleanData(this.data, init.data);
    const members = init.path === '' ? init.foreignMembers : withFrontMember(init.foreignMembers, DISTLOG_MEMBER, init.path);
    this.spanContext = {
      traceId: init.taskId,
      spanId: init.spanId,
      traceFlags: init.traceFlags,
      isRemote: false,
      traceState: members.length > 0 ? new TraceState(serializeTraceState(members)) : undefined,
    };
    this.context = trace.setSpanContext(parentContext, this.spanContext).setValue(SCOPE_KEY, this);
  }

  /** The key the next record of this scope will get. */
  get key(): string {
    return `${this.seq}@${this.keyTail}`;
  }

  /** @internal Takes the next record number. */
  nextSeq(): number {
    return this.seq++;
  }

  /** @internal Hands out the next subtask slot: its path. */
  nextChildPath(): string {
    const n = ++this.children;
    return this.path === '' ? String(n) : `${this.path}/${n}`;
  }

  /** Sets the message of the exit record (printf-style, like a log call). */
  success(msg: string, ...args: unknown[]): this {
    try {
      const { formatCount } = splitArgs(msg, args);
      this.successMessage = formatMessage(msg, args, formatCount);
    } catch {
      this.successMessage = safeString(msg);
    }
    return this;
  }

  /** Adds context data to every later record of this scope. */
  bind(data: ScopeContextData): this {
    cleanData(this.data, data);
    return this;
  }

  /**
   * A carrier for a subtask in another process: send its fields (as HTTP headers,
   * message properties, ...) and call `importTask(carrier, ...)` on the other side.
   * Each call allocates a fresh subtask slot and a fresh parent span id.
   */
  foreignTask(): TaskCarrier {
    return childCarrier(this);
  }

  /** Ends the scope with its success message (the `using` form calls this for you). */
  end(): void {
    emitExit(this);
    this.restore();
  }

  /** Ends the scope as failed with `err` (for the `using` form, which cannot see exceptions). */
  fail(err: unknown): void {
    emitFail(this, err);
    this.restore();
  }

  [Symbol.dispose](): void {
    this.end();
  }

  private restore(): void {
    const detach = this.detach;
    this.detach = undefined;
    detach?.();
  }
}

/** String(v), or a marker when even that throws (a Proxy, a throwing toString). */
export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return '[unprintable]';
  }
}

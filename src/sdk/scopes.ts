/**
 * The scope API: task(), to(), importTask(), scoped() and the helpers that act
 * on the active scope. Scopes live on the OpenTelemetry context (an
 * AsyncLocalStorage underneath), never on a global stack, so concurrent
 * requests cannot see each other's scopes.
 */
import { context, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { formatMessage, isPlainObject, splitArgs } from './format.js';
import { newSpanId, newTaskId } from './internal/ids.js';
import { emitEnter, emitExit, emitFail } from './internal/scope-records.js';
import { OnceWarning } from './internal/once.js';
import { getScope } from './internal/scope-key.js';
import { safeString, Scope, type ScopeContextData, type ScopeInit } from './scope.js';
import {
  readHeader,
  remoteParentFrom,
  remoteParentFromSpanContext,
  TRACEPARENT,
  TRACESTATE,
  type CarrierInput,
  type RemoteParent,
  type TaskCarrier,
} from './internal/carrier.js';

export type ScopeBody<R> = (scope: Scope) => R;

interface Parsed {
  message: string;
  data: ScopeContextData | undefined;
  body: ScopeBody<unknown> | undefined;
}

/**
 * `(msg, ...formatArgs, data?, body?)` → its parts. Never throws: arguments
 * whose inspection throws (getters, Proxy traps) leave the message unformatted
 * and the data out, and the scope still opens, so the body always runs.
 */
function parse(msg: string, rest: unknown[]): Parsed {
  let body: ScopeBody<unknown> | undefined;
  let args = rest;
  if (args.length > 0 && typeof args[args.length - 1] === 'function') {
    body = args[args.length - 1] as ScopeBody<unknown>;
    args = args.slice(0, -1);
  }
  let data: ScopeContextData | undefined;
  let message: string;
  try {
    const split = splitArgs(msg, args);
    data = split.data;
    message = formatMessage(String(msg), args, split.formatCount);
  } catch {
    message = safeString(msg);
  }
  return { message, data, body };
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** Runs the body inside the scope, or activates the scope for the rest of the block (`using`). */
function run(scope: Scope, body: ScopeBody<unknown> | undefined): unknown {
  emitEnter(scope);
  if (!body) {
    scope.detach = attach(scope.context);
    return scope;
  }
  return context.with(scope.context, () => {
    let result: unknown;
    try {
      result = body(scope);
    } catch (err) {
      emitFail(scope, err);
      throw err;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => {
          emitExit(scope);
          return value;
        },
        (err: unknown) => {
          emitFail(scope, err);
          throw err;
        },
      );
    }
    emitExit(scope);
    return result;
  });
}

const attachWarning = new OnceWarning();

/**
 * Makes ctx active for the rest of the current synchronous block and what it
 * starts (the `using` form). Needs an AsyncLocalStorage-based context manager
 * with `attach()` (OTel's AsyncLocalStorageContextManager 2.x, which register()
 * installs). Returns the function that restores the previous context.
 */
function attach(ctx: Context): (() => void) | undefined {
  try {
    const manager = (context as unknown as { _getContextManager(): { attach?(c: Context): { dispose(): void } } })._getContextManager();
    if (typeof manager.attach === 'function') {
      const token = manager.attach(ctx);
      return () => token.dispose();
    }
  } catch {
    // fall through to the warning
  }
  attachWarning.warn(() => 'distlog: the active context manager cannot attach a context; use the callback form task(msg, async (t) => ...) for records to carry the scope');
  return undefined;
}

const orphanWarning = new OnceWarning();

function topLevel(p: Parsed, orphan: boolean): Scope {
  const init: ScopeInit = {
    taskId: newTaskId(),
    spanId: newSpanId(),
    parentSpanId: undefined,
    path: '',
    message: p.message,
    traceFlags: TraceFlags.SAMPLED,
    foreignMembers: [],
    data: p.data,
    orphan,
  };
  return new Scope(init, context.active());
}

function child(parent: Scope, p: Parsed): Scope {
  return new Scope(
    {
      taskId: parent.taskId,
      spanId: newSpanId(),
      parentSpanId: parent.spanId,
      path: parent.nextChildPath(),
      message: p.message,
      traceFlags: parent.spanContext.traceFlags,
      foreignMembers: parent.foreignMembers,
      data: p.data,
    },
    context.active(),
  );
}

function imported(remote: RemoteParent, p: Parsed): Scope {
  return new Scope(
    {
      taskId: remote.traceId,
      spanId: newSpanId(),
      parentSpanId: remote.spanId,
      path: remote.path ?? '',
      message: p.message,
      traceFlags: remote.traceFlags,
      foreignMembers: remote.foreignMembers,
      data: p.data,
    },
    context.active(),
  );
}

/**
 * Opens a new task: the root of a tree of subtasks.
 *
 *     await task('handle order %s', id, { user }, async (t) => { ... })  // callback / async
 *     using t = task('batch run')                                      // rest of the block
 *
 * Arguments after `msg` fill its printf placeholders; a trailing plain object
 * no placeholder consumes is the scope's context data (attributes of all its
 * records). With a body function it returns the body's result (a promise for
 * an async body); without one it returns the active Scope for `using`.
 */
export function task<R>(msg: string, ...args: [...unknown[], ScopeBody<R>]): R;
export function task(msg: string, ...args: unknown[]): Scope;
export function task(msg: string, ...args: unknown[]): unknown {
  const p = parse(msg, args);
  return run(topLevel(p, false), p.body);
}

/**
 * Opens a subtask of the active scope. Outside any scope it opens a new task
 * instead (with `scope.orphan === true` and a one-time diag warning), so that
 * library code using `to()` never fails.
 */
export function to<R>(msg: string, ...args: [...unknown[], ScopeBody<R>]): R;
export function to(msg: string, ...args: unknown[]): Scope;
export function to(msg: string, ...args: unknown[]): unknown {
  const p = parse(msg, args);
  const parent = getScope(context.active());
  if (parent) return run(child(parent, p), p.body);
  orphanWarning.warn(() => `distlog: to("${p.message}") outside any task opens a new task`);
  return run(topLevel(p, true), p.body);
}

/**
 * Opens a subtask whose parent lives in another process. `carrier` is what the
 * parent's `foreignTask()` produced, or the incoming request's headers (any
 * object with `traceparent`/`tracestate`, a fetch Headers, or a traceparent
 * string). With `undefined`, the active OpenTelemetry context is used (e.g. the
 * server span an HTTP instrumentation started from the request headers).
 * When no valid parent is found (no traceparent, a malformed one, or an invalid
 * all-zero span context as the HTTP instrumentation leaves without a
 * TracerProvider) it opens a new task, like `to()` outside a task.
 */
export function importTask<R>(carrier: CarrierInput | undefined, msg: string, ...args: [...unknown[], ScopeBody<R>]): R;
export function importTask(carrier: CarrierInput | undefined, msg: string, ...args: unknown[]): Scope;
export function importTask(carrier: CarrierInput | undefined, msg: string, ...args: unknown[]): unknown {
  const p = parse(msg, args);
  const active = context.active();
  if ((carrier === undefined || carrier === null) && getScope(active)) return to(msg, ...args);
  const remote = findRemoteParent(carrier, active);
  if (remote) return run(imported(remote, p), p.body);
  orphanWarning.warn(() => `distlog: importTask("${p.message}") found no valid traceparent; it opens a new task`);
  return run(topLevel(p, true), p.body);
}

/** The remote parent a carrier (or, without one, the active span context) names; undefined when none is valid. */
function findRemoteParent(carrier: CarrierInput | undefined | null, active: Context): RemoteParent | undefined {
  try {
    if (carrier === undefined || carrier === null) {
      const sc = trace.getSpanContext(active);
      return sc === undefined ? undefined : remoteParentFromSpanContext(sc);
    }
    return remoteParentFrom(readHeader(carrier, TRACEPARENT), readHeader(carrier, TRACESTATE));
  } catch {
    return undefined; // a carrier whose getters throw names no parent
  }
}

/**
 * Wraps a function so each call runs as a subtask named `msg` (a new task when
 * called outside any). `data` becomes the subtask's context data.
 */
export function scoped<A extends unknown[], R>(msg: string, fn: (...args: A) => R): (...args: A) => R;
export function scoped<A extends unknown[], R>(msg: string, data: ScopeContextData, fn: (...args: A) => R): (...args: A) => R;
export function scoped<A extends unknown[], R>(
  msg: string,
  dataOrFn: ScopeContextData | ((...args: A) => R),
  maybeFn?: (...args: A) => R,
): (...args: A) => R {
  const fn = (typeof dataOrFn === 'function' ? dataOrFn : maybeFn) as (...args: A) => R;
  const data = isPlainObject(dataOrFn) ? dataOrFn : undefined;
  const literal = msg.replaceAll('%', '%%'); // the name is text, not a format string
  const wrapped = function (this: unknown, ...args: A): R {
    const body = () => fn.apply(this, args);
    return (data ? to(literal, data, body) : to(literal, body)) as R;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}

/** The active scope, if any. */
export function currentScope(): Scope | undefined {
  return getScope(context.active());
}

/** Sets the active scope's success message. No-op outside a scope. */
export function success(msg: string, ...args: unknown[]): void {
  getScope(context.active())?.success(msg, ...args);
}

/** Adds context data to later records of the active scope. No-op outside a scope. */
export function bind(data: ScopeContextData): void {
  getScope(context.active())?.bind(data);
}

/**
 * A carrier for a subtask of the active scope in another process (a fresh slot
 * per call). Outside a scope it is empty, and the other side's importTask()
 * then opens a task of its own.
 */
export function foreignTask(): TaskCarrier {
  return getScope(context.active())?.foreignTask() ?? {};
}

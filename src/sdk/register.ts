/**
 * register(): one call that makes distlog the process's logging pipeline.
 *
 * - installs an AsyncLocalStorage context manager (scopes follow await,
 *   timers and emitters) unless one is already installed;
 * - installs DistlogPropagator (W3C trace context + the distlog member) unless
 *   a propagator is already installed;
 * - builds a LoggerProvider whose ScopeProcessor applies level rules, stamps
 *   the active scope, and hands records to one DistlogBatchProcessor per
 *   exporter (plus any extra processors), and makes it the global provider
 *   unless one is already installed;
 * - on process exit (beforeExit) delivers what was logged within its deadline
 *   (shutdownTimeoutMs, 3 s by default) and counts the rest as dropped.
 *
 * Beside an existing OpenTelemetry setup, whatever that setup installed is
 * kept and `installed` says what register() did install; distlog's own
 * loggers, scopes and perf records always use the provider built here. A
 * second register() while one is active returns the active handle unchanged.
 */
import { context, diag, propagation, type AttributeValue } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { hostname } from 'node:os';
import { DistlogBatchProcessor, type BatchOptions, type BatchStats } from './batch-processor.js';
import { parseLevel, type LevelName } from './levels.js';
import { levels } from './loggers.js';
import { sdkHealth, type SdkStats } from './internal/health.js';
import { setPipeline } from './internal/pipeline.js';
import { DistlogPropagator } from './propagator.js';
import { ScopeProcessor } from './scope-processor.js';

/** Default deadline of flush(), shutdown() and the exit flush. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 3000;

export interface RegisterOptions {
  /** service.name of the resource. Default: $OTEL_SERVICE_NAME, else `unknown_service:node`. */
  serviceName?: string;
  /** More resource attributes. */
  resource?: Record<string, AttributeValue>;
  /** Exporters, each behind its own bounded batch processor. */
  exporters?: LogRecordExporter[];
  /** Extra processors that get each stamped record (e.g. a SimpleLogRecordProcessor). */
  processors?: LogRecordProcessor[];
  /** Batch processor settings, for every exporter. */
  batch?: Omit<BatchOptions, 'exporter'>;
  /** Default level. Default: $DISTLOG_LEVEL, else info. */
  level?: LevelName;
  /** Per-logger levels by name or glob: `{ 'db.*': 'debug' }`. */
  levels?: Record<string, LevelName>;
  /**
   * When the event loop empties before exit (`beforeExit`), shut the pipeline down:
   * deliver what was logged, within shutdownTimeoutMs. Default true.
   */
  flushOnExit?: boolean;
  /**
   * Deadline of flush(), shutdown() and the exit flush. Within it, what was logged
   * is delivered; what is not delivered by then is counted as dropped
   * (`handle.stats()`), so an app with no collector exits within it. Default 3000 ms.
   */
  shutdownTimeoutMs?: number;
  /** @deprecated the former name of shutdownTimeoutMs. */
  exitTimeoutMs?: number;
}

export interface DistlogHandle {
  readonly provider: LoggerProvider;
  /** What register() installed globally (false: an existing setup kept its own). */
  readonly installed: { contextManager: boolean; propagator: boolean; loggerProvider: boolean };
  /** Per-exporter counters (queue, exported, dropped), in the order of `exporters`. */
  stats(): BatchStats[];
  /** Exports everything queued; resolves by the deadline at the latest. */
  flush(timeoutMs?: number): Promise<void>;
  /** The same as flush(), by OpenTelemetry's name. */
  forceFlush(timeoutMs?: number): Promise<void>;
  /** Records the SDK could not build from application data (throwing getters, Proxies), and values it replaced. */
  sdkStats(): SdkStats;
  /** Flushes, shuts the pipeline down and releases what register() installed. Safe to call twice. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const API_KEY = Symbol.for('opentelemetry.js.api.1');

function globalInstalled(kind: 'context' | 'propagation'): boolean {
  const api = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[API_KEY];
  return api?.[kind] !== undefined;
}

function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}

let active: DistlogHandle | undefined;

export function register(options: RegisterOptions = {}): DistlogHandle {
  if (active) {
    diag.warn('distlog: register() called while already registered; returning the active handle');
    return active;
  }
  const timeoutMs = options.shutdownTimeoutMs ?? options.exitTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;

  const level = parseLevel(options.level);
  if (level || options.levels) levels.replace(level ?? parseLevel(process.env.DISTLOG_LEVEL) ?? 'info', options.levels ?? {});

  const contextManager = !globalInstalled('context');
  const ctxManager = contextManager ? new AsyncLocalStorageContextManager().enable() : undefined;
  if (ctxManager) context.setGlobalContextManager(ctxManager);

  const propagator = !globalInstalled('propagation');
  if (propagator) propagation.setGlobalPropagator(new DistlogPropagator());
  else diag.info('distlog: a propagator is already installed; add DistlogPropagator to it for remote subtasks to get their own paths');

  const batches = (options.exporters ?? []).map((e) => new DistlogBatchProcessor({ ...options.batch, exporter: e }));
  const scopeProcessor = new ScopeProcessor({ levels, next: [...batches, ...(options.processors ?? [])] });
  const resource = resourceFromAttributes({
    'service.name': options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'unknown_service:node',
    'host.name': hostname(),
    'process.pid': process.pid,
    ...options.resource,
  });
  const provider = new LoggerProvider({ resource, processors: [scopeProcessor] });
  const loggerProvider = logs.setGlobalLoggerProvider(provider) === provider;
  if (!loggerProvider) {
    diag.info('distlog: a global LoggerProvider is already installed; distlog loggers use their own, other libraries keep the existing one (add ScopeProcessor to it to stamp their records)');
  }
  setPipeline({ resource, head: scopeProcessor });

  let stopped: Promise<void> | undefined;
  // The process is ending: deliver or count, as shutdown() does. A mere flush would
  // leave messages in ZeroMQ for its exit-time linger to discard uncounted.
  const onBeforeExit = (): void => {
    process.off('beforeExit', onBeforeExit);
    void handle.shutdown();
  };
  if (options.flushOnExit !== false) process.on('beforeExit', onBeforeExit);

  // Our batch processors first (they honour the deadline record by record), then the provider's others.
  const flushAll = (ms: number): Promise<void> =>
    withDeadline(Promise.all([...batches.map((b) => b.forceFlush({ timeoutMillis: ms })), provider.forceFlush()]).then(() => undefined), ms);
  const handle: DistlogHandle = {
    provider,
    installed: { contextManager, propagator, loggerProvider },
    stats: () => batches.map((b) => b.stats()),
    flush: (ms = timeoutMs) => flushAll(ms),
    forceFlush: (ms = timeoutMs) => flushAll(ms),
    sdkStats: () => sdkHealth.stats(),
    shutdown: (ms = timeoutMs) => {
      stopped ??= (async () => {
        process.off('beforeExit', onBeforeExit);
        // The batch processors first, with the deadline; the provider's own
        // shutdown then finds them done (their shutdown is idempotent).
        await withDeadline(Promise.all(batches.map((b) => b.shutdown({ timeoutMillis: ms }))), ms + 100);
        await withDeadline(provider.shutdown(), 100);
        if (active === handle) active = undefined;
        setPipeline(undefined);
        if (loggerProvider) logs.disable();
        if (propagator) propagation.disable();
        if (ctxManager) {
          context.disable();
        }
      })();
      return stopped;
    },
  };
  active = handle;
  return handle;
}

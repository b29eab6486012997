/**
 * `distlog`: the application API. Open scopes, log, propagate them, register
 * the pipeline. Wiring for your own OpenTelemetry provider is in `distlog/otel`,
 * test helpers in `distlog/testing`, the ZeroMQ exporter in `distlog/exporter`.
 */
export { register, type RegisterOptions, type DistlogHandle } from './register.js';
export {
  task,
  to,
  importTask,
  scoped,
  success,
  bind,
  foreignTask,
  currentScope,
  type ScopeBody,
} from './scopes.js';
export type { Scope, ScopeContextData } from './scope.js';
export type { TaskCarrier, CarrierInput } from './internal/carrier.js';
export { getLogger, setLevel } from './loggers.js';
export type { Logger } from './logger.js';
export type { LevelName } from './levels.js';
export { perf } from './perf.js';
export type { SdkStats } from './internal/health.js';
export type { LogEntry } from '../protocol/log-entry.js';
export { SCOPE_LOGGER_NAME } from './internal/scope-records.js';
export { PERF_LOGGER_NAME } from './perf.js';

/** distlog: scoped, structured logging on OpenTelemetry. The public API. */
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
export { Scope, type ScopeContextData } from './scope.js';
export type { TaskCarrier, CarrierInput } from './carrier.js';
export { getLogger, setLevel } from './loggers.js';
export { Logger } from './logger.js';
export { LevelRules, parseLevel, LEVEL_SEVERITY, type LevelName } from './levels.js';
export { perf } from './perf.js';
export { ScopeProcessor, type ScopeProcessorOptions } from './scope-processor.js';
export { DistlogBatchProcessor, type BatchOptions, type BatchStats } from './batch-processor.js';
export { DistlogPropagator } from './propagator.js';
export { InMemoryExporter } from './memory-exporter.js';
export type { LogEntry } from '../protocol/log-entry.js';
export { SCOPE_LOGGER_NAME } from './scope-records.js';
export { PERF_LOGGER_NAME } from './perf.js';

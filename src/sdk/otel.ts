/**
 * `distlog/otel`: for applications that wire their own OpenTelemetry
 * LoggerProvider and propagator. `register()` (in `distlog`) uses these same
 * pieces; use them directly to add distlog's stamping and subtask propagation
 * to an existing setup.
 */
export {
  DistlogLogRecordProcessor,
  type DistlogLogRecordProcessorOptions,
  ScopeProcessor,
  type ScopeProcessorOptions,
} from './scope-processor.js';
export {
  DistlogBatchProcessor as DistlogBatchLogRecordProcessor,
  type BatchOptions,
  type BatchStats,
} from './batch-processor.js';
export { DistlogPropagator } from './propagator.js';
export { LevelRules, parseLevel, LEVEL_SEVERITY, type LevelName } from './levels.js';

/**
 * distlogd as a library: load a config, start the collector, read its counters,
 * stop it. The collector knows no plugin: pass the factories your build offers
 * (`loadConfig(source, { plugins })`), as the distlogd distribution does with
 * its built-ins.
 */
export { loadConfig, checkConfig, formatConfigError, ConfigLoadError, EMBEDDED_SOURCE } from './config-load.js';
export type { ConfigSource, LoadOptions, CheckResult } from './config-load.js';
export { configJsonSchema } from './config-json-schema.js';
export { startCollector } from './collector.js';
export type { CollectorHandle, PluginInfo, StartOptions } from './collector.js';
export type { CollectorStats } from './stats.js';
export { formatStatsLine, formatStatsReport } from './stats.js';
export type { PluginCounters } from './pipeline.js';
export type { ReceiverCounters } from './receiver.js';
export type { ConnectionCounters } from './socket-events.js';
export type { DeliveryStats, DeliveryTotals, ProducerCounters } from './accounting.js';
export { queryStats } from './control.js';
export type {
  CollectorConfig,
  ReceiverConfig,
  PluginConfig,
  FilterConfig,
  QueueConfig,
  RetryConfig,
  WhenFull,
  StatsConfig,
  ShutdownConfig,
  ControlConfig,
} from './config-types.js';
export { DEFAULT_RECEIVER, DEFAULT_QUEUE, SUGGESTED_CONTROL_ENDPOINT } from './config-types.js';
export {
  CollectorFileSchema,
  ReceiverSchema,
  QueueSchema,
  RetrySchema,
  StatsSchema,
  ShutdownSchema,
  ControlSchema,
  PluginEntrySchema,
} from './config-schema.js';
export { FilterSchema, compileFilter } from './filter.js';
export { factoryMap } from './registry.js';
export { DEFAULT_ENDPOINT } from '../protocol/endpoint.js';

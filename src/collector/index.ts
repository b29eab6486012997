/** distlogd as a library: load a config, start the collector, read its counters, stop it. */
export { loadConfig, checkConfig, formatConfigError, ConfigLoadError, EMBEDDED_SOURCE } from './config-load.js';
export type { ConfigSource, LoadOptions, CheckResult } from './config-load.js';
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
  ControlConfig,
  ReceiverConfig,
  PluginConfig,
  FilterConfig,
  QueueConfig,
  RetryConfig,
  WhenFull,
} from './config-types.js';
export { DEFAULT_CONFIG_YAML, DEFAULT_ENDPOINT, SUGGESTED_CONTROL_ENDPOINT } from './config-types.js';
export { compileFilter } from './filter.js';
export { BUILTIN_PLUGINS } from './builtins.js';

/** distlogd as a library: load a config, start the collector, read its counters, stop it. */
export { loadConfig, checkConfig, formatConfigError, ConfigLoadError, EMBEDDED_SOURCE } from './config-load.js';
export type { ConfigSource, LoadOptions, CheckResult } from './config-load.js';
export { startCollector } from './collector.js';
export type { CollectorHandle, PluginInfo, StartOptions } from './collector.js';
export type { CollectorStats } from './stats.js';
export { formatStatsLine } from './stats.js';
export type { PluginCounters } from './pipeline.js';
export type { ReceiverCounters } from './receiver.js';
export type {
  CollectorConfig,
  ReceiverConfig,
  PluginConfig,
  FilterConfig,
  QueueConfig,
  RetryConfig,
  WhenFull,
} from './config-types.js';
export { DEFAULT_CONFIG_YAML, DEFAULT_ENDPOINT } from './config-types.js';
export { compileFilter } from './filter.js';
export { BUILTIN_PLUGINS } from './builtins.js';

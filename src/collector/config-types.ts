/**
 * The shape of a distlogd config after loading: the sections' types come from
 * their schemas (config-schema.ts), plugins come out resolved to their
 * factories. Kept apart from the loader so the router and receiver can use the
 * types without pulling in YAML handling.
 */
import type { PluginFactory } from '../plugins/api.js';
import { defaultsOf } from '../plugins/api.js';
import {
  QueueSchema,
  ReceiverSchema,
  type ControlConfig,
  type QueueConfig,
  type ReceiverConfig,
  type ShutdownConfig,
  type StatsConfig,
} from './config-schema.js';
import type { FilterConfig } from './filter.js';

export type { ControlConfig, QueueConfig, ReceiverConfig, RetryConfig, ShutdownConfig, StatsConfig, WhenFull } from './config-schema.js';
export type { FilterConfig } from './filter.js';

export interface PluginConfig {
  name: string;
  type: string;
  factory: PluginFactory;
  /** The plugin's options: its schema's defaults with the user's options merged over them, validated. */
  options: Record<string, unknown>;
  filter: FilterConfig;
  queue: QueueConfig;
}

export interface CollectorConfig {
  receiver: ReceiverConfig;
  stats: StatsConfig;
  shutdown: ShutdownConfig;
  control: ControlConfig;
  plugins: PluginConfig[];
  /** Folder relative paths are resolved against (the config file's, or the cwd). */
  baseDir: string;
  /** Where the config came from, for messages: a file path or `(embedded default)`. */
  source: string;
}

/** The receiver's defaults, as its schema states them. */
export const DEFAULT_RECEIVER = defaultsOf(ReceiverSchema) as ReceiverConfig;
/** A plugin queue's defaults, as its schema states them. */
export const DEFAULT_QUEUE = defaultsOf(QueueSchema) as QueueConfig;

/** Where `distlog stats` asks by default; distlogd's `control.endpoint` is off unless set (a fixed
 * default port would collide between collectors on one host). */
export const SUGGESTED_CONTROL_ENDPOINT = 'tcp://127.0.0.1:5011';

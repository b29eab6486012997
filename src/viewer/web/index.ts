/** The `web` plugin: the browser view of tasks, records and counters (see README.md). */
import type { PluginFactory } from '../../plugins/api.js';
import { WebOptionsSchema } from './schema.js';
import { WebPlugin } from './plugin.js';

export const webPlugin: PluginFactory<typeof WebOptionsSchema> = {
  type: 'web',
  configSchema: WebOptionsSchema,
  create: (options, ctx) => new WebPlugin(options, ctx),
};

export { WebPlugin } from './plugin.js';
export { WebOptionsSchema, WEB_DEFAULTS, isLoopbackHost } from './schema.js';
export type { WebOptions } from './schema.js';
export { ASSETS_DIR } from './assets.js';
export type { TaskRow, TaskTreeJson, TreeNodeJson, CountersJson, WebCounters, LiveEvents } from './wire.js';

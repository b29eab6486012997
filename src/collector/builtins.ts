/**
 * The built-in plugins by type name. The only place in the collector that
 * knows individual plugins; each is reached through its folder's index.
 */
import type { PluginFactory } from '../plugins/api.js';
import { consolePlugin } from '../plugins/console/index.js';
import { filePlugin } from '../plugins/file/index.js';

export const BUILTIN_PLUGINS: ReadonlyMap<string, PluginFactory<object>> = new Map<string, PluginFactory<object>>([
  [consolePlugin.type, consolePlugin as unknown as PluginFactory<object>],
  [filePlugin.type, filePlugin as unknown as PluginFactory<object>],
]);

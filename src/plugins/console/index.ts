/** The `console` plugin: one (coloured) line per record, indented by scope depth. */
import type { PluginFactory } from '../api.js';
import { ConsoleOptionsSchema } from './config.js';
import { ConsoleSink } from './sink.js';

export const consolePlugin: PluginFactory<typeof ConsoleOptionsSchema> = {
  type: 'console',
  configSchema: ConsoleOptionsSchema,
  create: (options) => new ConsoleSink(options),
};

export { ConsoleSink, colourWanted } from './sink.js';
export { formatLine, depthOf, shortKey, formatTime } from './format.js';
export type { LineOptions } from './format.js';
export { ConsoleOptionsSchema, CONSOLE_DEFAULTS } from './config.js';
export type { ConsoleOptions } from './config.js';

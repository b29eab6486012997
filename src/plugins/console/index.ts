/** The `console` plugin: one (coloured) line per record, indented by scope depth. */
import type { PluginFactory } from '../api.js';
import { CONSOLE_DEFAULTS, validateConsoleOptions, type ConsoleOptions } from './config.js';
import { ConsoleSink } from './sink.js';

export const consolePlugin: PluginFactory<ConsoleOptions> = {
  type: 'console',
  defaults: CONSOLE_DEFAULTS,
  validate: validateConsoleOptions,
  create: (options) => new ConsoleSink(options),
};

export { ConsoleSink, colourWanted } from './sink.js';
export { formatLine, depthOf, shortKey, formatTime } from './format.js';
export type { LineOptions } from './format.js';
export { CONSOLE_DEFAULTS, validateConsoleOptions } from './config.js';
export type { ConsoleOptions } from './config.js';

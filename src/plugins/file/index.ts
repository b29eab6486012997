/** The `file` plugin: LogEntry JSON lines on disk, rotated by size and by day. */
import type { PluginFactory } from '../api.js';
import { FileOptionsSchema } from './config.js';
import { FileSink } from './sink.js';

export const filePlugin: PluginFactory<typeof FileOptionsSchema> = {
  type: 'file',
  configSchema: FileOptionsSchema,
  create: (options, ctx) => new FileSink(options, ctx),
};

export { FileSink } from './sink.js';
export { FileOptionsSchema, FILE_DEFAULTS, PLACEHOLDERS } from './config.js';
export type { FileSinkSeams } from './sink.js';
export { nodeFileSystem } from './jsonl-file.js';
export type { FileSystem, FileHandleLike } from './jsonl-file.js';
export type { FileOptions, FsyncPolicy } from './config.js';

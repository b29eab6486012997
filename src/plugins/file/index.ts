/** The `file` plugin: LogEntry JSON lines on disk, rotated by size and by day. */
import type { PluginFactory } from '../api.js';
import { FILE_DEFAULTS, validateFileOptions, type FileOptions } from './config.js';
import { FileSink } from './sink.js';

export const filePlugin: PluginFactory<FileOptions> = {
  type: 'file',
  defaults: FILE_DEFAULTS,
  validate: validateFileOptions,
  create: (options, ctx) => new FileSink(options, ctx),
};

export { FileSink } from './sink.js';
export type { FileSinkSeams } from './sink.js';
export { nodeFileSystem } from './jsonl-file.js';
export type { FileSystem, FileHandleLike } from './jsonl-file.js';
export { FILE_DEFAULTS, PLACEHOLDERS, validateFileOptions } from './config.js';
export type { FileOptions, FsyncPolicy } from './config.js';

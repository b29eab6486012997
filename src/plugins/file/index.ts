/** The `file` plugin: LogEntry JSON lines on disk, rotated by size and by day. */
import type { PluginFactory } from '../api.js';
import { FileOptionsSchema } from './config.js';
import { FileStoreReader } from './reader.js';
import { FileSink } from './sink.js';

export const filePlugin: PluginFactory<typeof FileOptionsSchema> = {
  type: 'file',
  configSchema: FileOptionsSchema,
  create: (options, ctx) => {
    const sink = new FileSink(options, ctx);
    // The read side lives apart (reader.ts); the instance offers it as the contract's reader().
    return Object.assign(sink, { reader: () => new FileStoreReader(sink.directory) });
  },
};

export { FileSink } from './sink.js';
export { FileStoreReader } from './reader.js';
export { parseEntryLine } from '../../protocol/entry-line.js';
export { FileOptionsSchema, FILE_DEFAULTS, PLACEHOLDERS } from './config.js';
export type { FileSinkSeams } from './sink.js';
export { nodeFileSystem } from './jsonl-file.js';
export type { FileSystem, FileHandleLike } from './jsonl-file.js';
export type { FileOptions, FsyncPolicy } from './config.js';

/**
 * `distlog/testing`: for tests of code that logs with distlog.
 * `register({ exporters: [mem] })`, run the code, `await handle.forceFlush()`,
 * then read `mem.entries()`.
 */
export { InMemoryLogRecordExporter } from './memory-exporter.js';
export type { LogEntry } from '../protocol/log-entry.js';

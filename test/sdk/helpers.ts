/** Shared set-up for SDK tests: one registration per test file (one process per file). */
import { register, type DistlogHandle, type LogEntry } from '../../src/sdk/index.js';
import { InMemoryLogRecordExporter } from '../../src/exporter/testing.js';

export interface Harness {
  mem: InMemoryLogRecordExporter;
  handle: DistlogHandle;
  /** Flushes and returns every entry since the last call. */
  drain(): Promise<LogEntry[]>;
}

export function setup(serviceName = 'test'): Harness {
  const mem = new InMemoryLogRecordExporter();
  const handle = register({ serviceName, exporters: [mem], level: 'trace', flushOnExit: false });
  return {
    mem,
    handle,
    async drain() {
      await handle.flush();
      const out = mem.entries();
      mem.reset();
      return out;
    },
  };
}

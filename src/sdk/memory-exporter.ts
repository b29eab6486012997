/**
 * An exporter that keeps records in memory, for tests of code that logs with
 * distlog: `register({ exporters: [mem] })`, run the code, `await handle.flush()`,
 * then assert on `mem.entries()`: the canonical LogEntry records, exactly as the
 * collector would store them (or on the raw OTel `mem.records()`).
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ResourceCache, toLogEntry } from '../protocol/from-otel-record.js';
import type { LogEntry, SystemCode } from '../protocol/log-entry.js';

export class InMemoryLogRecordExporter implements LogRecordExporter {
  private stored: ReadableLogRecord[] = [];
  private stopped = false;
  private readonly resources = new ResourceCache();

  /** `system` is what entries() reports as the record's system (default T, test). */
  constructor(private readonly system: SystemCode = 'T') {}

  export(records: ReadableLogRecord[], done: (r: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    for (const r of records) this.stored.push(r);
    done({ code: ExportResultCode.SUCCESS });
  }

  records(): readonly ReadableLogRecord[] {
    return this.stored;
  }

  entries(): LogEntry[] {
    return this.stored.map((r) => toLogEntry(r, this.system, this.resources));
  }

  reset(): void {
    this.stored = [];
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}

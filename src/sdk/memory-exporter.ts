/**
 * An exporter that keeps records in memory, for tests of code that logs with
 * distlog: `register({ exporters: [mem] })`, run the code, `await handle.flush()`,
 * then assert on `mem.records()` or the distlog view `mem.entries()`.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  ATTR_DURATION_MS,
  ATTR_EVENT,
  ATTR_KEY,
  ATTR_PARENT_SPAN,
  ATTR_PATH,
  ATTR_SEQ,
  RESERVED_PREFIX,
} from '../protocol/attributes.js';

/** A record as a test reads it. */
export interface MemoryEntry {
  key: string | undefined;
  task: string | undefined;
  span: string | undefined;
  parentSpan: string | undefined;
  path: string | undefined;
  seq: number | undefined;
  event: string | undefined;
  durationMs: number | undefined;
  level: string | undefined;
  severity: number | undefined;
  logger: string;
  message: string;
  /** Attributes without the reserved `distlog.*` ones. */
  attributes: Record<string, unknown>;
}

export class InMemoryExporter implements LogRecordExporter {
  private stored: ReadableLogRecord[] = [];
  private stopped = false;

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

  entries(): MemoryEntry[] {
    return this.stored.map(toEntry);
  }

  reset(): void {
    this.stored = [];
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}

function toEntry(r: ReadableLogRecord): MemoryEntry {
  const a = r.attributes as Record<string, unknown>;
  const attributes: Record<string, unknown> = {};
  for (const k of Object.keys(a)) if (!k.startsWith(RESERVED_PREFIX)) attributes[k] = a[k];
  return {
    key: a[ATTR_KEY] as string | undefined,
    task: r.spanContext?.traceId,
    span: r.spanContext?.spanId,
    parentSpan: a[ATTR_PARENT_SPAN] as string | undefined,
    path: a[ATTR_PATH] as string | undefined,
    seq: a[ATTR_SEQ] as number | undefined,
    event: a[ATTR_EVENT] as string | undefined,
    durationMs: a[ATTR_DURATION_MS] as number | undefined,
    level: r.severityText,
    severity: r.severityNumber,
    logger: r.instrumentationScope.name,
    message: typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
    attributes,
  };
}

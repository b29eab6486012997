/**
 * An exporter that keeps records in memory, for tests of code that logs with
 * distlog: `register({ exporters: [mem] })`, run the code, `await handle.flush()`,
 * then assert on `mem.entries()`: the canonical LogEntry records exactly as the
 * collector would store them, because they are made the collector's way, by
 * decoding what the ZeroMQ exporter's encoder writes (or on the raw OTel
 * `mem.records()`).
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchEnvelope } from './batch-envelope.js';
import { OtlpBatchEncoder } from './otlp-encoder.js';
import { decodeOtlp } from '../protocol/otlp-decode.js';
import type { LogEntry, SystemCode } from '../protocol/log-entry.js';

/** No message limit here: the test sees every record the encoder can write. */
const UNLIMITED = 2 ** 31 - 1;

export class InMemoryLogRecordExporter implements LogRecordExporter {
  private stored: ReadableLogRecord[] = [];
  private stopped = false;
  private readonly encoder: OtlpBatchEncoder;
  private unencodable = 0;

  /** `system` is what entries() reports as the record's system (default T, test). */
  constructor(private readonly system: SystemCode = 'T') {
    this.encoder = new OtlpBatchEncoder(system, new BatchEnvelope('in-memory'), UNLIMITED);
  }

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

  /**
   * decode(encode(records)) as JSON, i.e. what distlogd's file plugin stores: plain
   * objects that `assert.deepStrictEqual` compares with literals (the decoder's own maps
   * have a null-prototype chain). Records the encoder refuses are left out (see droppedRecords()).
   */
  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    let dropped = 0;
    this.encoder.encode(this.stored, {
      message: (payload) => {
        for (const e of decodeOtlp(payload, { system: this.system, kind: 'L' }).entries) out.push(JSON.parse(JSON.stringify(e)) as LogEntry);
      },
      drop: (n) => {
        dropped += n;
      },
    });
    this.unencodable = dropped;
    return out;
  }

  /** Records the last entries() call left out because the wire cannot carry them. */
  droppedRecords(): number {
    return this.unencodable;
  }

  reset(): void {
    this.stored = [];
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}

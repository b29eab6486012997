/**
 * RecordSource over a StoreReader (the plugins' read interface): pages through
 * recordsAfter() until a page moves the cursor no further.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import type { StoreReader } from '../plugins/api.js';
import type { ReadProblem, RecordSource } from './record-source.js';

export class StoreRecordSource implements RecordSource {
  constructor(
    private readonly reader: StoreReader,
    private readonly pageSize = 1_000,
  ) {}

  describe(): string {
    return this.reader.describe();
  }

  async *records(onProblem: (p: ReadProblem) => void): AsyncIterable<LogEntry> {
    let cursor = '';
    for (;;) {
      const page = await this.reader.recordsAfter(cursor, this.pageSize);
      for (const p of page.problems ?? []) onProblem(p);
      yield* page.records;
      if (page.records.length === 0 && !page.problems?.length) return;
      cursor = page.cursor;
    }
  }
}

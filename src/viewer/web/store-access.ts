/**
 * The configured store the web view reads older tasks from (option `store`):
 * a named plugin with a reader, or by default the first mongodb or redis
 * plugin, else the first other readable one (the file plugin). Resolved at
 * the first request, because plugins configured after this one start later.
 * Store queries can be costly (the file reader scans every line, see its
 * header), so the recent-tasks answer is reused for a few seconds.
 */
import type { ConfiguredStore, StoreReader, TaskSummary } from '../../plugins/api.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { TaskRow } from './wire.js';

const RECENT_CACHE_MS = 3_000;

export class StoreAccess {
  private reader: StoreReader | undefined;
  private resolved = false;
  private problem: string | undefined;
  private cache: { at: number; limit: number; rows: Promise<TaskRow[]> } | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly wanted: string,
    private readonly stores: (() => ConfiguredStore[]) | undefined,
    private readonly warn: (m: string) => void,
  ) {}

  private resolve(): StoreReader | undefined {
    if (this.resolved) return this.reader;
    const all = this.stores?.() ?? [];
    let chosen: ConfiguredStore | undefined;
    if (this.wanted !== '') {
      chosen = all.find((s) => s.name === this.wanted);
      if (!chosen) this.problem = `store ${JSON.stringify(this.wanted)}: no readable plugin of that name (readable: ${all.map((s) => s.name).join(', ') || 'none'})`;
    } else {
      chosen = all.find((s) => s.type === 'mongodb' || s.type === 'redis') ?? all[0];
    }
    this.resolved = true;
    try {
      this.reader = chosen?.reader();
    } catch (err) {
      this.problem = `store ${chosen!.name}: ${(err as Error).message}`;
    }
    if (this.problem) this.warn(`${this.problem}; showing the in-memory window only`);
    return this.reader;
  }

  describe(): string {
    const r = this.resolve();
    return r ? r.describe() : (this.problem ?? '');
  }

  async recentTasks(limit: number): Promise<TaskRow[]> {
    const reader = this.resolve();
    if (!reader) return [];
    const now = Date.now();
    if (!this.cache || now - this.cache.at > RECENT_CACHE_MS || this.cache.limit < limit) {
      const rows = reader.recentTasks({ limit }).then((s) => s.map(rowOf));
      this.cache = { at: now, limit, rows };
      rows.catch(() => (this.cache = undefined));
    }
    try {
      const rows = (await this.cache.rows).slice(0, limit);
      this.lastError = undefined;
      return rows;
    } catch (err) {
      // The page still shows the in-memory window; the log says why the store's tasks are missing (once per new reason).
      const message = `reading recent tasks from ${reader.describe()} failed: ${(err as Error).message}`;
      if (message !== this.lastError) this.warn(message);
      this.lastError = message;
      return [];
    }
  }

  async taskRecords(id: string): Promise<LogEntry[]> {
    const reader = this.resolve();
    return reader ? reader.taskRecords(id) : [];
  }

  async close(): Promise<void> {
    await this.reader?.close();
  }
}

function rowOf(s: TaskSummary): TaskRow {
  return {
    task: s.id,
    title: s.firstMessage,
    status: s.status,
    start: s.start,
    durationMs: s.durationMs,
    durationAtLeast: s.status === 'running',
    services: s.services,
    errorCount: s.errorCount,
    recordCount: s.recordCount,
    source: 'store',
  };
}

/**
 * The plugin's in-memory recent window: the task trees of the records it
 * consumed (the viewer's TreeModel, bounded in tasks and records, evictions
 * counted) and the newest records for the live tail (a ring, bounded).
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import { TreeModel, type TaskTree } from '../index.js';
import { taskRow } from './tree-json.js';
import type { TaskRow } from './wire.js';

export interface WindowBounds {
  maxTasks: number;
  maxRecords: number;
  tailRecords: number;
}

export interface WindowChange {
  /** Ids of the tasks the batch touched (still in memory); rowsOf() makes their rows. */
  touched: string[];
  /** Tasks evicted from memory by the batch. */
  evicted: string[];
}

export class RecentWindow {
  private readonly model: TreeModel;
  private readonly tail: (LogEntry | undefined)[];
  private tailNext = 0;
  private tailSize = 0;

  constructor(private readonly bounds: WindowBounds) {
    this.model = new TreeModel({ maxTasks: bounds.maxTasks, maxRecords: bounds.maxRecords });
    this.tail = new Array<LogEntry | undefined>(bounds.tailRecords);
  }

  add(batch: readonly LogEntry[]): WindowChange {
    const touched = new Set<string>();
    const evicted: string[] = [];
    const off = this.model.onChange((c) => {
      if (c.task === undefined) return;
      if (c.evictedTask) {
        evicted.push(c.task);
        touched.delete(c.task);
      } else touched.add(c.task);
    });
    try {
      for (const e of batch) {
        this.model.add(e);
        this.tail[this.tailNext] = e;
        this.tailNext = (this.tailNext + 1) % this.tail.length;
        this.tailSize = Math.min(this.tailSize + 1, this.tail.length);
      }
    } finally {
      off();
    }
    return { touched: [...touched], evicted };
  }

  /** The rows of these tasks, those still in memory. */
  rowsOf(ids: readonly string[]): TaskRow[] {
    return ids.flatMap((id) => {
      const t = this.model.task(id);
      return t ? [taskRow(t)] : [];
    });
  }

  /** Seals tasks that went quiet (see TreeModel.tick). */
  tick(nowMs: number): void {
    this.model.tick(nowMs);
  }

  task(id: string): TaskTree | undefined {
    return this.model.task(id);
  }

  /** Every task in memory, newest first. */
  rows(): TaskRow[] {
    return this.model.tasks().reverse().map(taskRow);
  }

  /** The tail's records, oldest first, that pass `keep`; the newest `limit` of them. */
  tailRecords(keep: (e: LogEntry) => boolean, limit: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = 0; i < this.tailSize && out.length < limit; i++) {
      const e = this.tail[(this.tailNext - 1 - i + this.tail.length) % this.tail.length]!;
      if (keep(e)) out.push(e);
    }
    return out.reverse();
  }

  counts(): { tasks: number; records: number; evictedTasks: number; evictedRecords: number } {
    const ev = this.model.evicted;
    return { tasks: this.model.tasks().length, records: this.model.recordCount, evictedTasks: ev.tasks, evictedRecords: ev.records + ev.looseRecords };
  }
}

/**
 * The tree model: LogEntry records in any order, from any process and
 * language, late or not, become task trees (task-state.ts places each record).
 * Incremental: each add updates one task in place and says which nodes
 * changed, so a live view redraws only those. Bounded: at most maxTasks tasks
 * and maxRecords records are kept; the least recently updated tasks go first,
 * and every eviction is counted. Pure: no I/O, no clock (tick() takes the time).
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime } from './record-order.js';
import { TaskState } from './task-state.js';
import type { EvictionCounts, TaskTree, TreeChange } from './tree-types.js';

export interface TreeModelOptions {
  /** Tasks kept (least recently updated evicted first). Default 1,000. */
  maxTasks?: number;
  /** Records kept over all tasks. Default 1,000,000. */
  maxRecords?: number;
  /** Records kept in one task: its oldest ordinary records go first. Default maxRecords. */
  maxRecordsPerTask?: number;
  /** Records outside any task kept (oldest dropped first). Default 10,000. */
  maxLooseRecords?: number;
  /** tick(now) seals tasks whose latest record is older than this. Default 30,000 ms. */
  settleAfterMs?: number;
}

export type TreeListener = (change: TreeChange) => void;

/** How many evicted task ids are remembered, to mark a task that comes back as partial. */
const EVICTED_IDS_KEPT = 10_000;

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`TreeModel: ${name} must be a positive integer, got ${v}`);
  return v;
}

export class TreeModel {
  private readonly opts: Required<TreeModelOptions>;
  private readonly taskStates = new Map<string, TaskState>();
  private readonly looseRecords: LogEntry[] = [];
  private readonly listeners = new Set<TreeListener>();
  private readonly evictedIds = new Set<string>();
  private records = 0;
  private clock = 0;
  private readonly counts: EvictionCounts = { tasks: 0, records: 0, looseRecords: 0 };

  constructor(options: TreeModelOptions = {}) {
    const maxRecords = positive('maxRecords', options.maxRecords, 1_000_000);
    this.opts = {
      maxTasks: positive('maxTasks', options.maxTasks, 1_000),
      maxRecords,
      maxRecordsPerTask: positive('maxRecordsPerTask', options.maxRecordsPerTask, maxRecords),
      maxLooseRecords: positive('maxLooseRecords', options.maxLooseRecords, 10_000),
      settleAfterMs: positive('settleAfterMs', options.settleAfterMs, 30_000),
    };
  }

  /** Calls `listener` after every change; returns a function that unsubscribes. */
  onChange(listener: TreeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(e: LogEntry): TreeChange {
    if (e.task === undefined) {
      this.looseRecords.push(e);
      if (this.looseRecords.length > this.opts.maxLooseRecords) {
        this.looseRecords.shift();
        this.counts.looseRecords++;
      }
      return this.emit({ task: undefined, createdTask: false, evictedTask: false, nodes: [] });
    }
    let state = this.taskStates.get(e.task);
    const created = state === undefined;
    if (state === undefined) {
      state = new TaskState(e.task);
      if (this.evictedIds.has(e.task)) state.partial = true;
      this.taskStates.set(e.task, state);
    }
    // Map order = recency order: re-insert on every touch, so eviction takes the first key
    this.taskStates.delete(e.task);
    this.taskStates.set(e.task, state);
    state.touchedAt = ++this.clock;
    state.add(e);
    this.records++;
    if (state.recordCount > this.opts.maxRecordsPerTask) this.trim(state, this.opts.maxRecordsPerTask);
    this.evictOthers(state);
    if (this.records > this.opts.maxRecords) this.trim(state, this.opts.maxRecords);
    return this.emit(this.changeOf(state, created));
  }

  addAll(entries: Iterable<LogEntry>): void {
    for (const e of entries) this.add(e);
  }

  /** Declares a task (or every task) complete: Python scopes may take their last record as exit. */
  seal(task?: string): void {
    const states = task === undefined ? [...this.taskStates.values()] : [this.taskStates.get(task)].filter((s): s is TaskState => !!s);
    for (const s of states) {
      s.seal();
      const change = this.changeOf(s, false);
      if (change.nodes.length) this.emit(change);
    }
  }

  /** Seals the tasks whose latest record is older than settleAfterMs at `nowMs` (ms since the epoch). */
  tick(nowMs: number): void {
    const limit = BigInt(Math.floor(nowMs - this.opts.settleAfterMs)) * 1_000_000n;
    for (const s of this.taskStates.values()) {
      if (!s.sealed && /^\d+$/.test(s.lastTime) && BigInt(s.lastTime) < limit) this.seal(s.task);
    }
  }

  task(id: string): TaskTree | undefined {
    return this.taskStates.get(id);
  }

  /** Tasks by their first record time (then id). */
  tasks(): TaskTree[] {
    return [...this.taskStates.values()].sort((a, b) => compareTime(a.firstTime, b.firstTime) || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  }

  /** Records outside any task, in arrival order. */
  get loose(): readonly LogEntry[] {
    return this.looseRecords;
  }

  get recordCount(): number {
    return this.records;
  }

  /** What the memory bounds dropped so far. */
  get evicted(): Readonly<EvictionCounts> {
    return { ...this.counts };
  }

  private trim(state: TaskState, max: number): void {
    const dropped = state.trimTo(max);
    this.records -= dropped;
    this.counts.records += dropped;
  }

  private evictOthers(keep: TaskState): void {
    for (const [id, s] of this.taskStates) {
      if (this.taskStates.size <= this.opts.maxTasks && this.records <= this.opts.maxRecords) break;
      if (s === keep) continue;
      this.taskStates.delete(id);
      this.records -= s.recordCount;
      this.counts.tasks++;
      this.counts.records += s.recordCount;
      if (this.evictedIds.size >= EVICTED_IDS_KEPT) this.evictedIds.delete(this.evictedIds.values().next().value!);
      this.evictedIds.add(id);
      this.emit({ task: id, createdTask: false, evictedTask: true, nodes: [] });
    }
  }

  private changeOf(state: TaskState, created: boolean): TreeChange {
    return { task: state.task, createdTask: created, evictedTask: false, nodes: [...state.takeChanged()].map((n) => n.id).sort() };
  }

  private emit(change: TreeChange): TreeChange {
    for (const l of this.listeners) l(change);
    return change;
  }
}

/** Builds a sealed model from records that are all there (a file, a query result). */
export function buildTrees(entries: Iterable<LogEntry>, options?: TreeModelOptions): TreeModel {
  const model = new TreeModel(options);
  model.addAll(entries);
  model.seal();
  return model;
}

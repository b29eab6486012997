/**
 * The mutable node behind the read-only ScopeNode: what a record's arrival
 * changes in one node. Placement (which node) is task-state.ts's job; enter /
 * end / status are recomputed by scope-ends.ts.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime, insertionIndex, isError, isPythonOriginal, lastPathNumber, processKey, serviceOf } from './record-order.js';
import type { NodeKind, ScopeNode, ScopeStatus } from './tree-types.js';

/** Later than any real time (compareTime orders by length first). */
const NEVER = '9'.repeat(22);

export class TreeNode implements ScopeNode {
  readonly spans = new Set<string>();
  parent: TreeNode | undefined = undefined;
  children: TreeNode[] = [];
  records: LogEntry[] = [];
  enter: LogEntry | undefined = undefined;
  end: LogEntry | undefined = undefined;
  endInferred = false;
  status: ScopeStatus = 'running';
  durationMs: number | undefined = undefined;
  services: string[] = [];
  errors = 0;
  subtreeErrors = 0;
  missingSeqs = 0;
  enterCount = 0;
  python = false;
  /** Earliest record time: places span nodes among their siblings. */
  firstTime: string | undefined = undefined;
  /** Latest record time per writing process: clocks are compared only within one process. */
  readonly latestByProcess = new Map<string, string>();
  private readonly serviceCounts = new Map<string, number>();
  private readonly seqCounts = new Map<number, number>();
  private maxSeq = -1;
  /** Seqs whose only record was evicted: a known loss, not a gap (a count: a set would grow without bound). */
  private evictedSeqs = 0;

  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly task: string,
    readonly path: string | undefined,
  ) {}

  /** Adds a record in order and updates this node's own facts; returns the change in errors. */
  addRecord(e: LogEntry): number {
    this.records.splice(insertionIndex(this.records, e), 0, e);
    if (e.seq !== undefined) {
      this.seqCounts.set(e.seq, (this.seqCounts.get(e.seq) ?? 0) + 1);
      if (e.seq > this.maxSeq) this.maxSeq = e.seq;
      this.updateMissing();
    }
    const service = serviceOf(e);
    if (service !== undefined) {
      const n = this.serviceCounts.get(service) ?? 0;
      this.serviceCounts.set(service, n + 1);
      if (n === 0) this.services = [...this.serviceCounts.keys()].sort();
    }
    if (isPythonOriginal(e)) this.python = true;
    if (this.firstTime === undefined || compareTime(e.timeUnixNano, this.firstTime) < 0) this.firstTime = e.timeUnixNano;
    const proc = processKey(e);
    const latest = this.latestByProcess.get(proc);
    if (latest === undefined || compareTime(e.timeUnixNano, latest) > 0) this.latestByProcess.set(proc, e.timeUnixNano);
    if (isError(e)) {
      this.errors++;
      return 1;
    }
    return 0;
  }

  /**
   * Removes a record: evicted (memory bound: its seq stays known, not a gap) or
   * moved to another node (as if never here). Returns the change in errors.
   */
  removeRecord(e: LogEntry, evicted: boolean): number {
    const i = this.records.indexOf(e);
    if (i < 0) return 0;
    this.records.splice(i, 1);
    if (e.seq !== undefined) {
      const n = this.seqCounts.get(e.seq)! - 1;
      if (n === 0) {
        this.seqCounts.delete(e.seq);
        if (evicted) this.evictedSeqs++;
        else if (e.seq === this.maxSeq) this.maxSeq = Math.max(-1, ...this.seqCounts.keys());
      } else this.seqCounts.set(e.seq, n);
      this.updateMissing();
    }
    const service = serviceOf(e);
    if (service !== undefined) {
      const n = this.serviceCounts.get(service)! - 1;
      if (n === 0) {
        this.serviceCounts.delete(service);
        this.services = [...this.serviceCounts.keys()].sort();
      } else this.serviceCounts.set(service, n);
    }
    if (isError(e)) {
      this.errors--;
      return -1;
    }
    return 0;
  }

  private updateMissing(): void {
    // a late copy of an evicted seq would count twice: never below 0
    this.missingSeqs = Math.max(0, this.maxSeq + 1 - this.seqCounts.size - this.evictedSeqs);
  }

  /** Scope children by path number first, then span children by first time, then span id. */
  static compareChildren(a: TreeNode, b: TreeNode): number {
    if (a.kind !== b.kind) return a.kind === 'scope' ? -1 : 1;
    // joined roots (path '') first, by id
    if (a.kind === 'scope') return lastPathNumber(a.path!) - lastPathNumber(b.path!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return compareTime(a.firstTime ?? NEVER, b.firstTime ?? NEVER) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  insertChild(child: TreeNode): void {
    let i = 0;
    while (i < this.children.length && TreeNode.compareChildren(this.children[i]!, child) <= 0) i++;
    this.children.splice(i, 0, child);
    child.parent = this;
  }

  removeChild(child: TreeNode): void {
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    child.parent = undefined;
  }
}

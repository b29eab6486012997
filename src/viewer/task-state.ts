/**
 * One task's tree, built record by record. Placement rules:
 *
 * - a record with a subtask path goes to the scope node of that path; missing
 *   ancestors are created as placeholders (their records were lost, filtered or
 *   have not arrived), so a remote scope whose parentSpan is a fresh per-call
 *   span id still hangs under the scope whose path is its prefix;
 * - a Python-original record whose key did not parse but has no subpath
 *   (`0@<built-in function id>`) is the root scope of its (raw) task;
 * - a record with only a span id goes to the scope that owns that span (a
 *   scope owns the span ids of its path records), else to a span node of
 *   its own, hung under the scope or span its parentSpan names; with no
 *   parentSpan, under the scope that made the call its span id is the
 *   parent-id of (protocol/call-span.ts: a service with only an OpenTelemetry
 *   SDK logs with that id); with no known parent it waits under
 *   `unattributed` and moves when that parent appears;
 * - a record with neither path nor span goes to `unattributed`;
 * - scopes that joined the trace at path '' from a non-distlog caller get their
 *   own namespace (node ids `j:<span>:<path>`) under the task root, see
 *   joined-roots.ts; their records move there once the links are known.
 * Every move keeps the error counts of all ancestors right (the bubbling flag).
 */
import { callerKey } from '../protocol/call-span.js';
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime, isPythonOriginal, parentPath, serviceOf } from './record-order.js';
import { ScopeLinks } from './joined-roots.js';
import { recomputeEnds } from './scope-ends.js';
import { TreeNode } from './tree-node.js';
import type { ScopeNode, TaskTree } from './tree-types.js';

/** A Python key `<seq>@<task>` with no '/' after the task: the task's own scope. */
function pythonRootKey(e: LogEntry): boolean {
  const key = e.key!;
  return key.indexOf('/', key.indexOf('@') + 1) < 0;
}

export class TaskState implements TaskTree {
  readonly root: TreeNode;
  readonly unattributed: TreeNode;
  firstTime = '';
  lastTime = '';
  recordCount = 0;
  sealed = false;
  partial = false;
  /** Last time (model clock) a record arrived: the memory bound evicts the least recent task. */
  touchedAt = 0;
  private readonly nodes = new Map<string, TreeNode>();
  private readonly spanOwner = new Map<string, TreeNode>();
  private readonly spanNodes = new Map<string, TreeNode>();
  /** Span nodes under `unattributed`, by the parent span id they wait for. */
  private readonly waiting = new Map<string, Set<TreeNode>>();
  /** The parent span id each waiting span node waits for. */
  private readonly waitingFor = new Map<TreeNode, string>();
  /** The first scope to claim a span id, by its caller key: where a call's parentless span node goes. */
  private readonly callers = new Map<string, TreeNode>();
  /** Parentless span nodes under `unattributed`, by the caller key they wait for. */
  private readonly waitingCaller = new Map<string, Set<TreeNode>>();
  /** The parent span id that placed a span node under a scope or span. */
  private readonly attachedBy = new Map<TreeNode, string>();
  private readonly links = new ScopeLinks();
  /** Records with a span id held by scope nodes, by span: what moves when a namespace changes. */
  private readonly bySpan = new Map<string, Set<LogEntry>>();
  private readonly namespaceOfNode = new Map<TreeNode, string>();
  private readonly serviceCounts = new Map<string, number>();
  /** Records in arrival order from `head` on, for per-task eviction. */
  private arrivals: LogEntry[] = [];
  private head = 0;
  private readonly holder = new Map<LogEntry, TreeNode>();
  private changed = new Set<TreeNode>();
  /** Set when records moved into a node during this add: its ends must be recomputed. */
  private merged = false;

  constructor(readonly task: string) {
    this.root = this.newNode('p:', 'scope', '');
    this.namespaceOfNode.set(this.root, '');
    this.unattributed = this.newNode('u', 'unattributed', undefined);
  }

  get errorCount(): number {
    return this.root.subtreeErrors + this.unattributed.subtreeErrors;
  }

  get services(): string[] {
    return [...this.serviceCounts.keys()].sort();
  }

  node(id: string): ScopeNode | undefined {
    return this.nodes.get(id);
  }

  /** Every node, root first (parents before children). */
  *allNodes(): Iterable<TreeNode> {
    const stack: TreeNode[] = [this.unattributed, this.root];
    while (stack.length) {
      const n = stack.pop()!;
      yield n;
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
  }

  private newNode(id: string, kind: TreeNode['kind'], path: string | undefined): TreeNode {
    const n = new TreeNode(id, kind, this.task, path);
    this.nodes.set(id, n);
    return n;
  }

  /** The nodes changed since the last call (ancestors included). */
  takeChanged(): Set<TreeNode> {
    const c = this.changed;
    this.changed = new Set();
    return c;
  }

  /** Adds a record; see takeChanged() for what changed. */
  add(e: LogEntry): void {
    this.merged = false;
    if (this.recordCount === 0 || compareTime(e.timeUnixNano, this.firstTime) < 0) this.firstTime = e.timeUnixNano;
    if (this.recordCount === 0 || compareTime(e.timeUnixNano, this.lastTime) > 0) this.lastTime = e.timeUnixNano;
    this.recordCount++;
    const service = serviceOf(e);
    if (service !== undefined) this.serviceCounts.set(service, (this.serviceCounts.get(service) ?? 0) + 1);
    const relink = e.span !== undefined && e.path !== undefined && e.event !== undefined && this.links.learn(e.span, e.path, e.parentSpan);
    const node = this.place(e);
    this.insertRecord(node, e);
    this.arrivals.push(e);
    if (relink && this.links.joined) this.relink();
    // a plain record cannot change the ends of a scope that marks its own events
    if (node.python || e.event !== undefined || this.merged || node.parent?.python) this.refreshEnds(node);
  }

  /** No more records expected: Python scopes may now take their last record as exit. */
  seal(): void {
    if (!this.sealed) {
      this.sealed = true;
      for (const n of this.allNodes()) if (n.python && recomputeEnds(n, true)) this.markChanged(n);
    }
  }

  /**
   * Drops the oldest-arrived records down to `max`; returns how many. A scope's
   * enter and end records are kept (they leave the queue: they stay in the tree).
   */
  trimTo(max: number): number {
    let dropped = 0;
    while (this.recordCount > max && this.head < this.arrivals.length) {
      const e = this.arrivals[this.head++]!;
      const node = this.holder.get(e)!;
      if (node.enter === e || node.end === e) continue;
      this.bubble(node, node.removeRecord(e, true));
      this.holder.delete(e);
      if (e.span !== undefined) this.bySpan.get(e.span)?.delete(e);
      const service = serviceOf(e);
      if (service !== undefined) {
        const n = this.serviceCounts.get(service)! - 1;
        if (n === 0) this.serviceCounts.delete(service);
        else this.serviceCounts.set(service, n);
      }
      this.recordCount--;
      this.partial = true;
      dropped++;
    }
    // compact now and then: amortised O(1) per record
    if (this.head > 1024 && this.head * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  private place(e: LogEntry): TreeNode {
    let path = e.path;
    if (path === undefined && isPythonOriginal(e) && pythonRootKey(e)) path = '';
    if (path !== undefined) {
      const ns = e.span !== undefined && this.links.joined ? this.links.namespaceOf(e.span) : '';
      const node = this.scopeNode(ns, path);
      if (e.span !== undefined) this.claimSpan(e.span, node);
      return node;
    }
    if (e.span !== undefined) return this.spanOwner.get(e.span) ?? this.spanNode(e.span, e.parentSpan);
    return this.unattributed;
  }

  /** The scope node of a path in a namespace ('' = the task's own tree), made with its missing ancestors. */
  private scopeNode(ns: string, path: string): TreeNode {
    const id = ns === '' ? `p:${path}` : `j:${ns}:${path}`;
    let node = this.nodes.get(id);
    if (node) return node;
    node = this.newNode(id, 'scope', path);
    this.namespaceOfNode.set(node, ns);
    // a joined root hangs under the task root: its caller is outside distlog
    (path === '' ? this.root : this.scopeNode(ns, parentPath(path))).insertChild(node);
    this.markChanged(node);
    return node;
  }

  /**
   * A scope link arrived in a task with joined roots: spans whose namespace
   * changed move, with their records and the span nodes they hold, and the
   * scope nodes they leave empty go.
   */
  private relink(): void {
    for (const [span, owner] of [...this.spanOwner]) {
      const ns = this.links.namespaceOf(span);
      if (ns === this.namespaceOfNode.get(owner)) continue;
      const target = this.scopeNode(ns, owner.path!);
      const touched = new Set<TreeNode>([owner, target]);
      for (const r of this.bySpan.get(span) ?? []) {
        const from = this.holder.get(r)!;
        const to = r.path === undefined || r.path === owner.path ? target : this.scopeNode(ns, r.path);
        this.bubble(from, from.removeRecord(r, false));
        this.insertRecord(to, r);
        touched.add(from).add(to);
      }
      owner.spans.delete(span);
      target.spans.add(span);
      this.spanOwner.set(span, target);
      if (this.callers.get(callerKey(span)) === owner) this.callers.set(callerKey(span), target);
      for (const c of [...owner.children]) if (c.kind === 'span' && this.attachedBy.get(c) === span) this.move(c, target);
      for (const n of touched) if (this.nodes.get(n.id) === n && recomputeEnds(n, this.sealed)) this.markChanged(n);
      for (const n of touched) this.prune(n);
    }
  }

  /** Removes a scope node left without records or children, and such ancestors. */
  private prune(node: TreeNode | undefined): void {
    while (node && node !== this.root && node.kind === 'scope' && node.records.length === 0 && node.children.length === 0 && this.nodes.get(node.id) === node) {
      const parent = node.parent;
      this.detach(node);
      this.nodes.delete(node.id);
      this.namespaceOfNode.delete(node);
      for (const s of node.spans) {
        if (this.spanOwner.get(s) === node) this.spanOwner.delete(s);
        if (this.callers.get(callerKey(s)) === node) this.callers.delete(callerKey(s));
      }
      this.changed.add(node);
      node = parent;
    }
  }

  /** A scope's span id: records that carry only this span belong to the scope. */
  private claimSpan(span: string, node: TreeNode): void {
    node.spans.add(span);
    if (this.spanOwner.has(span)) return;
    this.spanOwner.set(span, node);
    const sn = this.spanNodes.get(span);
    if (sn) {
      this.merged = true;
      const awaited = this.waitingFor.get(sn);
      if (awaited !== undefined) {
        this.waiting.get(awaited)?.delete(sn);
        this.waitingFor.delete(sn);
      }
      this.spanNodes.delete(span);
      this.nodes.delete(sn.id);
      this.detach(sn);
      for (const r of [...sn.records]) {
        this.bubble(sn, sn.removeRecord(r, false));
        this.insertRecord(node, r);
      }
      for (const c of [...sn.children]) {
        sn.removeChild(c);
        this.attach(c, node);
      }
    }
    this.adoptWaiting(span, node);
    const key = callerKey(span);
    if (!this.callers.has(key)) {
      this.callers.set(key, node);
      const set = this.waitingCaller.get(key);
      this.waitingCaller.delete(key);
      for (const w of set ?? []) {
        if (this.nodes.get(w.id) === w && w.parent === this.unattributed && !this.isWaiting(w)) this.move(w, node);
      }
    }
  }

  /** A parentless span node: under the scope whose call it is, else waiting for that scope. */
  private placeCall(sn: TreeNode, span: string): void {
    const key = callerKey(span);
    const caller = this.callers.get(key);
    if (caller !== undefined && caller.spans.has(span) === false) {
      this.move(sn, caller);
      return;
    }
    let set = this.waitingCaller.get(key);
    if (!set) this.waitingCaller.set(key, (set = new Set()));
    set.add(sn);
  }

  private spanNode(span: string, parentSpan: string | undefined): TreeNode {
    let sn = this.spanNodes.get(span);
    if (sn === undefined) {
      sn = this.newNode(`s:${span}`, 'span', undefined);
      sn.spans.add(span);
      this.spanNodes.set(span, sn);
      this.attach(sn, this.unattributed);
      this.adoptWaiting(span, sn);
      if (parentSpan === undefined) this.placeCall(sn, span);
    }
    if (parentSpan !== undefined && sn.parent === this.unattributed && !this.isWaiting(sn)) {
      const target = this.spanOwner.get(parentSpan) ?? this.spanNodes.get(parentSpan);
      if (target !== undefined && !this.isAncestorOrSelf(sn, target)) {
        this.move(sn, target);
        this.attachedBy.set(sn, parentSpan);
      } else {
        let set = this.waiting.get(parentSpan);
        if (!set) this.waiting.set(parentSpan, (set = new Set()));
        set.add(sn);
        this.waitingFor.set(sn, parentSpan);
      }
    }
    return sn;
  }

  private isWaiting(sn: TreeNode): boolean {
    return this.waitingFor.has(sn);
  }

  private adoptWaiting(span: string, parent: TreeNode): void {
    const set = this.waiting.get(span);
    if (!set) return;
    this.waiting.delete(span);
    for (const w of set) this.waitingFor.delete(w);
    for (const w of set) {
      if (this.nodes.get(w.id) === w && !this.isAncestorOrSelf(w, parent)) {
        this.move(w, parent);
        this.attachedBy.set(w, span);
      }
    }
  }

  private isAncestorOrSelf(candidate: TreeNode, of: TreeNode): boolean {
    for (let n: TreeNode | undefined = of; n; n = n.parent) if (n === candidate) return true;
    return false;
  }

  private move(node: TreeNode, to: TreeNode): void {
    this.detach(node);
    this.attach(node, to);
  }

  private detach(node: TreeNode): void {
    const parent = node.parent;
    if (!parent) return;
    parent.removeChild(node);
    for (let a: TreeNode | undefined = parent; a; a = a.parent) {
      a.subtreeErrors -= node.subtreeErrors;
      this.changed.add(a);
    }
  }

  private attach(node: TreeNode, parent: TreeNode): void {
    parent.insertChild(node);
    this.markChanged(node);
    for (let a: TreeNode | undefined = parent; a; a = a.parent) a.subtreeErrors += node.subtreeErrors;
  }

  private insertRecord(node: TreeNode, e: LogEntry): void {
    const firstBefore = node.firstTime;
    this.bubble(node, node.addRecord(e));
    this.holder.set(e, node);
    if (node.kind === 'scope' && e.span !== undefined) {
      let set = this.bySpan.get(e.span);
      if (!set) this.bySpan.set(e.span, (set = new Set()));
      set.add(e);
    }
    // a span node's place among its siblings follows its first time
    if (node.kind === 'span' && node.parent && node.firstTime !== firstBefore) {
      const parent = node.parent;
      parent.removeChild(node);
      parent.insertChild(node);
    }
  }

  /** Adds `delta` errors to a node and all its ancestors; marks them changed. */
  private bubble(node: TreeNode, delta: number): void {
    node.subtreeErrors += delta;
    this.markChanged(node);
    for (let a = node.parent; a; a = a.parent) a.subtreeErrors += delta;
  }

  private markChanged(node: TreeNode): void {
    for (let a: TreeNode | undefined = node; a && !this.changed.has(a); a = a.parent) this.changed.add(a);
  }

  /**
   * Ends of the node that got a record, and of the Python scopes its arrival can
   * settle: its siblings (a later sibling appeared) and its children (their
   * parent moved on), then further down wherever an end changed.
   */
  private refreshEnds(node: TreeNode): void {
    if (recomputeEnds(node, this.sealed)) this.markChanged(node);
    if (!node.python && !node.parent?.python) return;
    const visit = (n: TreeNode, force: boolean): void => {
      const changed = n !== node && recomputeEnds(n, this.sealed);
      if (changed) this.markChanged(n);
      if (changed || force) for (const c of n.children) if (c.python) visit(c, false);
    };
    for (const sibling of node.parent?.children ?? [node]) if (sibling.python || sibling === node) visit(sibling, sibling === node);
  }
}

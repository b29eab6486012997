/**
 * Records → task trees. Pure: no I/O, no rendering (see render-text.ts).
 * Records may arrive in any order and from any process; the tree is built
 * from each record's task, path and seq alone, so no clock is trusted.
 */
import type { LogEntry } from '../protocol/log-entry.js';

export interface ScopeNode {
  /** '' for the task itself, '1/3' for a subtask. */
  path: string;
  enter: LogEntry | undefined;
  /** The exit or fail record, once seen. */
  end: LogEntry | undefined;
  /** Ordinary records of this scope, by seq. */
  records: LogEntry[];
  /** Subtasks, by their last path number. */
  children: ScopeNode[];
}

export interface TaskTree {
  task: string;
  root: ScopeNode;
  /** Earliest record time seen in the task (for ordering tasks). */
  firstTime: string;
  /** True when some scope of the task failed. */
  failed: boolean;
}

export interface Forest {
  tasks: TaskTree[];
  /** Records outside any task. */
  loose: LogEntry[];
}

function newNode(path: string): ScopeNode {
  return { path, enter: undefined, end: undefined, records: [], children: [] };
}

function lastNumber(path: string): number {
  return Number(path.slice(path.lastIndexOf('/') + 1));
}

function bySeq(a: LogEntry, b: LogEntry): number {
  return (a.seq ?? 0) - (b.seq ?? 0) || (a.timeUnixNano < b.timeUnixNano ? -1 : 1);
}

export function buildForest(entries: Iterable<LogEntry>): Forest {
  const tasks = new Map<string, { nodes: Map<string, ScopeNode>; firstTime: string; failed: boolean }>();
  const loose: LogEntry[] = [];
  for (const e of entries) {
    if (e.task === undefined) {
      loose.push(e);
      continue;
    }
    let t = tasks.get(e.task);
    if (!t) {
      t = { nodes: new Map([['', newNode('')]]), firstTime: e.timeUnixNano, failed: false };
      tasks.set(e.task, t);
    }
    if (e.timeUnixNano < t.firstTime) t.firstTime = e.timeUnixNano;
    const path = e.path ?? '';
    let node = t.nodes.get(path);
    if (!node) {
      node = newNode(path);
      t.nodes.set(path, node);
    }
    if (e.event === 'enter') node.enter = e;
    else if (e.event === 'exit' || e.event === 'fail') {
      node.end = e;
      if (e.event === 'fail') t.failed = true;
    } else node.records.push(e);
  }

  const out: TaskTree[] = [];
  for (const [task, t] of tasks) {
    // link every node under its parent, creating parents never seen (their records were lost or filtered)
    for (const path of [...t.nodes.keys()]) {
      let child = path;
      while (child !== '') {
        const parentPath = child.includes('/') ? child.slice(0, child.lastIndexOf('/')) : '';
        let parent = t.nodes.get(parentPath);
        const created = !parent;
        if (!parent) {
          parent = newNode(parentPath);
          t.nodes.set(parentPath, parent);
        }
        const node = t.nodes.get(child)!;
        if (!parent.children.includes(node)) parent.children.push(node);
        if (!created) break;
        child = parentPath;
      }
    }
    for (const node of t.nodes.values()) {
      node.records.sort(bySeq);
      node.children.sort((a, b) => lastNumber(a.path) - lastNumber(b.path));
    }
    out.push({ task, root: t.nodes.get('')!, firstTime: t.firstTime, failed: t.failed });
  }
  out.sort((a, b) => (a.firstTime < b.firstTime ? -1 : a.firstTime > b.firstTime ? 1 : 0));
  return { tasks: out, loose };
}

/**
 * A scope's items in seq order: its records and its subtasks, each subtask
 * placed where its enter record falls among the parent's records (by time, as
 * the parent's seq does not count the child's records).
 */
export function orderedItems(node: ScopeNode): Array<{ record: LogEntry } | { scope: ScopeNode }> {
  const items: Array<{ at: string; item: { record: LogEntry } | { scope: ScopeNode } }> = [];
  for (const r of node.records) items.push({ at: r.timeUnixNano, item: { record: r } });
  for (const c of node.children) items.push({ at: c.enter?.timeUnixNano ?? firstTimeIn(c), item: { scope: c } });
  // stable: records keep their seq order among equal times
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((i) => i.item);
}

function firstTimeIn(node: ScopeNode): string {
  const times = [node.enter, node.end, ...node.records].filter((e): e is LogEntry => !!e).map((e) => e.timeUnixNano);
  for (const c of node.children) times.push(firstTimeIn(c));
  return times.sort()[0] ?? '9';
}

/**
 * One task as a foldable tree with a waterfall: every scope is a row with a
 * bar placed by its start (offset from the task's first record) and sized by
 * its duration over the task's whole span; unfolding a scope shows its records
 * and child scopes in time order. Clicking a record shows its details.
 */
import type { TaskTreeJson, TreeNodeJson } from '../web/wire.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { FilterState } from './api.js';
import { fill, h } from './dom.js';
import { durationText, levelClass } from './format.js';
import { visibility } from './record-filter.js';

type Item = { at: number; node: TreeNodeJson } | { at: number; record: LogEntry };

function offsetMs(ns: string, t0: bigint): number {
  return /^\d+$/.test(ns) ? Number(BigInt(ns) - t0) / 1e6 : 0;
}

export class TreeView {
  private tree: TaskTreeJson | undefined;
  private open = new Set<string>();
  private filters: FilterState = { level: '', service: '', logger: '', text: '', failed: false };
  private selectedRecord: string | undefined;

  constructor(
    private readonly el: HTMLElement,
    private readonly onRecord: (r: LogEntry, node: TreeNodeJson) => void,
  ) {}

  get taskId(): string | undefined {
    return this.tree?.task;
  }

  /** Shows a task; the fold state is kept when it is the same task (a live refresh). */
  show(tree: TaskTreeJson): void {
    if (this.tree?.task !== tree.task) {
      this.open = new Set([tree.root.id]);
      this.selectedRecord = undefined;
    }
    this.tree = tree;
    this.render();
  }

  clear(message: string): void {
    this.tree = undefined;
    fill(this.el, h('div', { class: 'placeholder' }, message));
  }

  setFilters(f: FilterState): void {
    this.filters = f;
    if (this.tree) this.render();
  }

  expandAll(): void {
    if (!this.tree) return;
    const walk = (n: TreeNodeJson) => {
      this.open.add(n.id);
      n.children.forEach(walk);
    };
    walk(this.tree.root);
    if (this.tree.unattributed) walk(this.tree.unattributed);
    this.render();
  }

  collapseAll(): void {
    if (!this.tree) return;
    this.open = new Set([this.tree.root.id]);
    this.render();
  }

  private toggle(id: string): void {
    if (this.open.has(id)) this.open.delete(id);
    else this.open.add(id);
    this.render();
  }

  private render(): void {
    const t = this.tree!;
    const vis = visibility(this.filters);
    const t0 = /^\d+$/.test(t.firstTime) ? BigInt(t.firstTime) : 0n;
    const span = t.spanMs > 0 ? t.spanMs : 1;
    const rows: HTMLElement[] = [];
    // While searching, scopes whose branch holds a match open by themselves.
    const matches = new Set<string>();
    if (this.filters.text) {
      const mark = (n: TreeNodeJson): boolean => {
        let hit = n.records.some((r) => r.event !== 'enter' && vis.record(r));
        for (const c of n.children) hit = mark(c) || hit;
        if (hit) matches.add(n.id);
        return hit;
      };
      mark(t.root);
      if (t.unattributed) mark(t.unattributed);
    }
    const walk = (n: TreeNodeJson, depth: number) => {
      if (!vis.node(n)) return;
      rows.push(this.nodeRow(n, depth, span));
      if (!this.open.has(n.id) && !matches.has(n.id)) return;
      const items: Item[] = [
        ...n.records.filter((r) => r.event !== 'enter' && vis.record(r)).map((record) => ({ at: offsetMs(record.timeUnixNano, t0), record })),
        ...n.children.map((node) => ({ at: node.offsetMs, node })),
      ].sort((a, b) => a.at - b.at);
      for (const it of items) {
        if ('node' in it) walk(it.node, depth + 1);
        else rows.push(this.recordRow(it.record, n, depth + 1, it.at, span));
      }
    };
    walk(t.root, 0);
    if (t.unattributed) walk(t.unattributed, 0);

    const axis = h(
      'div',
      { class: 'row axis' },
      h('div', { class: 'label' }, h('span', { class: 'muted' }, 'scope / record')),
      h('div', { class: 'wf' }, h('span', { class: 'tick t0' }, '0'), h('span', { class: 'tick t50' }, durationText(span / 2)), h('span', { class: 'tick t100' }, durationText(span))),
    );
    fill(
      this.el,
      h(
        'div',
        { class: 'tree-head' },
        h('div', { class: `badge st-${t.root.status}` }, t.root.status),
        h('h2', {}, t.root.title),
        h('span', { class: 'muted mono', title: 'task id' }, t.task),
        h('span', { class: 'muted' }, `${t.services.join(', ')} · ${t.recordCount} records · ${durationText(t.root.durationMs, t.root.durationAtLeast)}`),
        t.partial ? h('span', { class: 'warn', title: 'part of it was evicted from memory and not found in the store' }, 'incomplete') : null,
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => this.expandAll() }, 'Expand all'),
        h('button', { type: 'button', onclick: () => this.collapseAll() }, 'Collapse all'),
      ),
      h('div', { class: 'tree', data: { task: t.task } }, axis, ...rows),
    );
  }

  private bar(offset: number, duration: number, span: number, cls: string, title: string): HTMLElement {
    const bar = h('div', { class: `bar ${cls}`, title });
    const left = Math.min(100, Math.max(0, (offset / span) * 100));
    bar.style.left = `${left}%`;
    bar.style.width = `${Math.max(0.4, Math.min(100 - left, (duration / span) * 100))}%`;
    return bar;
  }

  private nodeRow(n: TreeNodeJson, depth: number, span: number): HTMLElement {
    const folded = !this.open.has(n.id);
    const hasContent = n.children.length > 0 || n.records.some((r) => r.event !== 'enter');
    const label = h(
      'div',
      { class: 'label' },
      hasContent
        ? h('button', { class: 'toggle', type: 'button', title: folded ? 'unfold' : 'fold', data: { action: 'toggle' }, onclick: () => this.toggle(n.id) }, folded ? '▸' : '▾')
        : h('span', { class: 'toggle-space' }),
      h('span', { class: `dot st-${n.status}`, title: n.status }),
      h('span', { class: 'node-title' }, n.title),
      ...n.services.map((s) => h('span', { class: 'chip' }, s)),
      n.subtreeErrors > 0 ? h('span', { class: 'errs', title: 'records at ERROR or above in this branch' }, `${n.subtreeErrors} err`) : null,
      n.missingSeqs > 0 ? h('span', { class: 'warn', title: 'records missing (lost or not arrived yet)' }, `${n.missingSeqs} missing`) : null,
      h('span', { class: 'dur' }, durationText(n.durationMs, n.durationAtLeast && n.status === 'running')),
    );
    label.style.paddingLeft = `${depth * 18 + 4}px`;
    const title = `${n.title}: +${durationText(n.offsetMs)} for ${durationText(n.durationMs)}`;
    return h(
      'div',
      { class: `row node st-${n.status}`, data: { nodeId: n.id, status: n.status, depth: String(depth), offset: String(n.offsetMs), duration: String(n.durationMs) } },
      label,
      h('div', { class: 'wf' }, this.bar(n.offsetMs, n.barMs, span, `st-${n.status}`, title)),
    );
  }

  private recordRow(r: LogEntry, node: TreeNodeJson, depth: number, at: number, span: number): HTMLElement {
    const id = `${node.id}#${r.seq ?? ''}#${r.timeUnixNano}`;
    const label = h(
      'div',
      { class: 'label' },
      h('span', { class: 'toggle-space' }),
      h('span', { class: 'offset mono' }, `+${durationText(at)}`),
      h('span', { class: `level ${levelClass(r.severity)}` }, r.level),
      h('span', { class: 'logger' }, r.logger),
      h('span', { class: 'message' }, r.message),
      r.exception ? h('span', { class: 'errs' }, r.exception.type ?? 'exception') : null,
    );
    label.style.paddingLeft = `${depth * 18 + 4}px`;
    const row = h(
      'div',
      {
        class: `row record ${levelClass(r.severity)}${this.selectedRecord === id ? ' selected' : ''}`,
        data: { recordId: id },
        onclick: () => {
          this.selectedRecord = id;
          for (const el of this.el.querySelectorAll('.row.record.selected')) el.classList.remove('selected');
          row.classList.add('selected');
          this.onRecord(r, node);
        },
      },
      label,
      h('div', { class: 'wf' }, this.bar(at, 0, span, 'mark', `+${durationText(at)}`)),
    );
    return row;
  }
}



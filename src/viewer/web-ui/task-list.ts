/** The recent-tasks list: rows updated live, newest first, one selected. */
import type { TaskRow } from '../web/wire.js';
import { fill, h } from './dom.js';
import { agoText, durationText } from './format.js';

const MAX_ROWS = 500;

export class TaskList {
  private rows = new Map<string, TaskRow>();
  private selected: string | undefined;

  constructor(
    private readonly el: HTMLElement,
    private readonly countEl: HTMLElement,
    private readonly onSelect: (id: string) => void,
  ) {}

  replace(rows: TaskRow[]): void {
    this.rows = new Map(rows.map((r) => [r.task, r]));
    this.render();
  }

  upsert(rows: TaskRow[], evicted: string[]): void {
    for (const r of rows) this.rows.set(r.task, r);
    // An evicted task stays listed: it is still in the store (its row says what was last known).
    void evicted;
    this.render();
  }

  select(id: string | undefined): void {
    this.selected = id;
    for (const li of this.el.querySelectorAll<HTMLElement>('li.task')) li.classList.toggle('selected', li.dataset.task === id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  private render(): void {
    const sorted = [...this.rows.values()].sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0)).slice(0, MAX_ROWS);
    this.rows = new Map(sorted.map((r) => [r.task, r]));
    fill(this.countEl, `${sorted.length}`);
    if (sorted.length === 0) {
      fill(this.el, h('li', { class: 'empty' }, 'No tasks yet. Records sent to distlogd appear here live.'));
      return;
    }
    fill(
      this.el,
      ...sorted.map((r) =>
        h(
          'li',
          { class: `task st-${r.status}${r.task === this.selected ? ' selected' : ''}`, data: { task: r.task, status: r.status }, onclick: () => this.onSelect(r.task) },
          h('span', { class: 'dot', title: r.status }),
          h(
            'div',
            { class: 'task-main' },
            h('div', { class: 'task-title' }, r.title || r.task),
            h(
              'div',
              { class: 'task-meta' },
              h('span', { class: 'services' }, r.services.join(', ') || '—'),
              h('span', {}, agoText(r.start)),
              r.source === 'store' ? h('span', { class: 'muted', title: 'read from the store' }, 'stored') : null,
            ),
          ),
          h(
            'div',
            { class: 'task-side' },
            h('div', { class: 'dur' }, durationText(r.durationMs, r.durationAtLeast && r.status === 'running')),
            r.errorCount > 0 ? h('div', { class: 'errs', title: 'records at ERROR or above' }, `${r.errorCount} err`) : h('div', { class: 'muted' }, `${r.recordCount} rec`),
          ),
        ),
      ),
    );
  }
}

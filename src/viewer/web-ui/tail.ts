/** The live tail: the newest records as they arrive, indented by scope depth; a gap marker when updates were skipped. */
import type { LogEntry } from '../../protocol/log-entry.js';
import { fill, h } from './dom.js';
import { clockText, levelClass } from './format.js';

const MAX_LINES = 400;

export class Tail {
  paused = false;

  constructor(
    private readonly el: HTMLElement,
    private readonly onRecord: (r: LogEntry) => void,
  ) {}

  replace(records: LogEntry[]): void {
    fill(this.el);
    this.add(records, 0);
  }

  /** The element that scrolls: the pane around the tail. */
  private get box(): HTMLElement {
    return this.el.closest<HTMLElement>('.pane') ?? this.el;
  }

  add(records: LogEntry[], omitted: number): void {
    const box = this.box;
    const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    if (omitted > 0) this.el.append(h('div', { class: 'line note' }, `… ${omitted} older records of this batch not shown`));
    for (const r of records) this.el.append(this.line(r));
    while (this.el.childElementCount > MAX_LINES) this.el.firstElementChild!.remove();
    if (stick && !this.paused) box.scrollTop = box.scrollHeight;
  }

  gap(skipped: number): void {
    this.el.append(h('div', { class: 'line gap', data: { skipped: String(skipped) } }, `— ${skipped} live updates skipped: this page fell behind; lists reloaded —`));
    this.box.scrollTop = this.box.scrollHeight;
  }

  private line(r: LogEntry): HTMLElement {
    const depth = r.path ? r.path.split('/').length : 0;
    const msg = h('span', { class: 'message' }, r.message);
    msg.style.paddingLeft = `${depth * 14}px`;
    return h(
      'div',
      { class: `line ${levelClass(r.severity)}${r.event === 'fail' ? ' failed' : ''}`, onclick: () => this.onRecord(r), title: r.key ?? '' },
      h('span', { class: 'mono muted' }, clockText(r.timeUnixNano)),
      h('span', { class: `level ${levelClass(r.severity)}` }, r.level),
      h('span', { class: 'svc' }, String(r.resource['service.name'] ?? '')),
      h('span', { class: 'logger' }, r.logger),
      msg,
    );
  }
}

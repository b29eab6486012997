/** The collector's counters per plugin (received / written / dropped / errors) and the web view's own. */
import type { CountersJson } from '../web/wire.js';
import { fill, h } from './dom.js';

export function showCounters(el: HTMLElement, c: CountersJson): void {
  const col = c.collector;
  const num = (n: number, warn = false) => h('td', { class: `num${warn && n > 0 ? ' bad' : ''}` }, n.toLocaleString('en'));
  fill(
    el,
    col
      ? h(
          'table',
          { class: 'counters' },
          h('tr', {}, h('th', {}, 'plugin'), h('th', {}, 'received'), h('th', {}, 'written'), h('th', {}, 'dropped'), h('th', {}, 'errors')),
          ...Object.entries(col.plugins).map(([name, p]) =>
            h('tr', { data: { plugin: name } }, h('td', {}, name), num(p.received), num(p.written), num(p.dropped, true), num(p.errors, true)),
          ),
        )
      : h('div', { class: 'muted' }, 'collector counters not available'),
    col
      ? h(
          'div',
          { class: 'muted small' },
          `receiver: ${col.receiver.entries.toLocaleString('en')} records in ${col.receiver.messages.toLocaleString('en')} messages; refused ${col.receiver.badMessages} messages, ${col.receiver.badEntries} records · up ${Math.round(col.uptimeSeconds)} s`,
        )
      : null,
    h(
      'div',
      { class: 'muted small' },
      `window: ${c.web.windowTasks} tasks, ${c.web.windowRecords} records (evicted ${c.web.evictedTasks} tasks, ${c.web.evictedRecords} records) · live ${c.web.liveClients} · skipped ${c.web.skippedEvents} events${c.web.store ? ` · store: ${c.web.store}` : ''}`,
    ),
  );
}

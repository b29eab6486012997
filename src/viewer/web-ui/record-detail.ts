/** A record's details on demand: what it says, where it comes from, its attributes and its exception. */
import type { LogEntry } from '../../protocol/log-entry.js';
import { fill, h } from './dom.js';
import { clockText, levelClass, valueText } from './format.js';

function table(rows: [string, unknown][]): HTMLElement {
  return h(
    'table',
    { class: 'kv' },
    ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, h('pre', {}, valueText(v))))),
  );
}

export function showRecord(el: HTMLElement, r: LogEntry): void {
  const facts: [string, unknown][] = [
    ['time', `${clockText(r.timeUnixNano)} (${r.timeUnixNano} ns)`],
    ['service', r.resource['service.name'] ?? ''],
    ['logger', r.logger],
    ['key', r.key ?? ''],
  ];
  if (r.event) facts.push(['event', r.event]);
  if (r.durationMs !== undefined) facts.push(['duration', `${r.durationMs} ms`]);
  if (r.span) facts.push(['span', r.span]);
  const attrs = Object.entries(r.attributes);
  const resource = Object.entries(r.resource).filter(([k]) => k !== 'service.name');
  fill(
    el,
    h('div', { class: 'detail-head' }, h('span', { class: `level ${levelClass(r.severity)}` }, r.level), h('span', { class: 'detail-message' }, r.message)),
    r.exception
      ? h(
          'div',
          { class: 'exception' },
          h('div', { class: 'exc-title' }, `${r.exception.type ?? 'Error'}: ${r.exception.message}`),
          r.exception.stack ? h('pre', { class: 'stack' }, r.exception.stack) : null,
        )
      : null,
    h('h4', {}, 'Attributes'),
    attrs.length ? table(attrs) : h('div', { class: 'muted' }, 'none'),
    r.body !== undefined ? h('h4', {}, 'Body') : null,
    r.body !== undefined ? h('pre', {}, valueText(r.body)) : null,
    h('h4', {}, 'Record'),
    table(facts),
    resource.length ? h('h4', {}, 'Resource') : null,
    resource.length ? table(resource) : null,
  );
}

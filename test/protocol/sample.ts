/** Realistic LogEntry values shared by the protocol tests. */
import type { LogEntry } from '../../src/protocol/index.js';

export const TASK = '5b5e8d3dcdce4011899ae77a68171c0d';
export const resource = { 'service.name': 'checkout', 'host.name': 'vm', 'process.pid': 7326 };

export function entry(over: Partial<LogEntry> = {}): LogEntry {
  return {
    v: 2,
    timeUnixNano: '1795568645885001234',
    level: 'INFO',
    severity: 9,
    logger: 'checkout.orders',
    message: 'order A-1 accepted',
    attributes: { user: 'leo', 'http.status_code': 200, 'order.total': 12.5 },
    task: TASK,
    span: '0123456789abcdef',
    path: '1/3',
    seq: 2,
    key: `2@${TASK}/1/3`,
    resource,
    system: 'P',
    kind: 'L',
    ...over,
  };
}

/** One of each shape the codecs must carry. */
export function variety(): LogEntry[] {
  return [
    entry(),
    entry({ message: 'Grüße, 世界 😀 — ünïcödé', attributes: { 'emoji.😀': 'ok', city: 'Zürich' }, logger: 'ünï' }),
    entry({ path: '', key: `0@${TASK}`, seq: 0, event: 'enter', parentSpan: 'fedcba9876543210' }),
    entry({ event: 'exit', durationMs: 12.75, seq: 5, key: `5@${TASK}/1/3` }),
    entry({ event: 'fail', durationMs: 3, level: 'ERROR', severity: 17, exception: { type: 'TypeError', message: 'x is not a function', stack: 'TypeError: x is not a function\n    at f (a.js:1:1)\n    at g (b.js:2:2)' } }),
    entry({ exception: { type: 'Error', message: 'no stack' } }),
    entry({ body: { order: 'A-1', items: [1, 2, { sku: 'X' }], ok: true, none: null }, message: '{"order":"A-1"}' }),
    entry({ kind: 'P', logger: 'perf', message: 'db.query', attributes: { 'db.rows': 120, 'db.ms': 4.25 } }),
    entry({ task: '5b5e8d3d-cdce-4011-899a-e77a68171c0d', span: undefined, key: '0@5b5e8d3d-cdce-4011-899a-e77a68171c0d', path: '', seq: 0 }),
    entry({ key: '0@<built-in function id>', task: '<built-in function id>', seq: 0, path: undefined, span: 'not-a-span' }),
    entry({ resource: { 'service.name': 'other', 'process.pid': 1 }, attributes: {}, observedTimeUnixNano: '1795568645885009999' }),
    entry({ timeUnixNano: '18446744073709551615', severity: 24, level: 'FATAL4', attributes: { neg: -5, big: -9007199254740991, max: 9007199254740991, f: -0.5, t: true, list: ['a', 1, false, null], nested: { a: { b: 'c' } } } }),
    entry({ timeUnixNano: '0', message: '', logger: '', level: '', severity: 0, attributes: { empty: '' } }),
    entry({ task: undefined, span: undefined, path: undefined, seq: undefined, key: undefined, message: 'outside any task' }),
    entry({ message: 'x'.repeat(5000), attributes: { long: 'y'.repeat(300) } }),
  ].map((e) => {
    // Drop keys set to undefined by the overrides: decoded records never carry them.
    for (const k of Object.keys(e) as (keyof LogEntry)[]) if (e[k] === undefined) delete e[k];
    return e;
  });
}

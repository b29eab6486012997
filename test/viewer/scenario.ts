/**
 * A checkout across two services and plain OpenTelemetry producers, the
 * records as distlogd stores them. Used by the model, permutation and
 * renderer tests.
 */
import type { LogEntry } from '../../src/protocol/index.js';
import { T, at, entry, error } from './helpers.js';

export const S0 = '1000000000000000'; // root scope (orders)
export const S1 = '1100000000000000'; // subtask 1 (orders)
export const F2 = 'f200000000000000'; // fresh span id of the outgoing call: the remote scope's parentSpan
export const S2 = '2000000000000000'; // remote subtask 2 (bank)
export const H = 'aa00000000000000'; // an HTTP client span under the root (plain OTLP)
export const Z = 'ab00000000000000'; // a span under H (plain OTLP)
export const Q = 'ac00000000000000'; // a span whose parent is unknown

const orders = { 'service.name': 'orders', 'process.pid': 101 };
const bank = { 'service.name': 'bank', 'process.pid': 202 };
const proxy = { 'service.name': 'proxy' };

export function checkout(): LogEntry[] {
  return [
    entry({ task: T, path: '', span: S0, seq: 0, event: 'enter', message: 'checkout A-1', attributes: { user: 'leo' }, resource: orders, timeUnixNano: at(0) }),
    entry({ task: T, path: '', span: S0, seq: 1, message: 'validating', resource: orders, timeUnixNano: at(1) }),
    entry({ task: T, path: '1', span: S1, parentSpan: S0, seq: 0, event: 'enter', message: 'reserve stock', resource: orders, timeUnixNano: at(2) }),
    // same millisecond, written in seq order: time cannot order them
    entry({ task: T, path: '1', span: S1, parentSpan: S0, seq: 1, message: 'rows 3', resource: orders, timeUnixNano: at(3) }),
    entry({ task: T, path: '1', span: S1, parentSpan: S0, seq: 2, message: 'rows locked', resource: orders, timeUnixNano: at(3) }),
    entry({ task: T, path: '1', span: S1, parentSpan: S0, seq: 3, event: 'exit', message: 'reserved 3', durationMs: 1.5, resource: orders, timeUnixNano: at(3.5) }),
    entry({ task: T, path: '2', span: S2, parentSpan: F2, seq: 0, event: 'enter', message: 'charge card', resource: bank, timeUnixNano: at(5) }),
    entry({ task: T, span: S2, message: 'card lookup', logger: 'pino', resource: bank, timeUnixNano: at(5.5) }),
    error({ task: T, path: '2', span: S2, parentSpan: F2, seq: 1, message: 'issuer said no\ncode 51', resource: bank, timeUnixNano: at(6) }),
    error({
      task: T, path: '2', span: S2, parentSpan: F2, seq: 2, event: 'fail', message: 'FAILED charge card', durationMs: 2, resource: bank, timeUnixNano: at(7),
      exception: { type: 'Declined', message: 'no funds', stack: 'Declined: no funds\n    at charge (bank.js:10:5)\n    at main (bank.js:20:1)' },
    }),
    entry({ task: T, span: H, parentSpan: S0, message: 'GET /charge', logger: 'http', resource: proxy, timeUnixNano: at(4) }),
    entry({ task: T, span: Z, parentSpan: H, message: 'dns lookup', logger: 'dns', resource: proxy, timeUnixNano: at(4.2) }),
    entry({ task: T, span: Q, parentSpan: 'dd00000000000000', message: 'cache miss', logger: 'cache', resource: proxy, timeUnixNano: at(4.5) }),
    entry({ task: T, message: 'no place at all', logger: 'misc', resource: proxy, timeUnixNano: at(4.7) }),
    entry({ task: T, path: '', span: S0, seq: 2, level: 'WARN', severity: 13, message: 'payment refused', resource: orders, timeUnixNano: at(8) }),
    error({ task: T, path: '', span: S0, seq: 3, event: 'fail', message: 'FAILED checkout A-1', durationMs: 9, resource: orders, timeUnixNano: at(9), exception: { type: 'PaymentError', message: 'declined' } }),
  ];
}

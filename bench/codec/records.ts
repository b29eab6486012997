/**
 * Realistic records for the codec bench: what a service using distlog emits. One
 * message of 20..80 characters, 2..4 attributes of mixed types, key/path/seq of a
 * scope, trace/span ids, and one shared resource (service.name, host.name,
 * process.pid), as the SDK's exporter produces them.
 */
import type { LogEntry } from '../../src/protocol/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const hex = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};

const MESSAGES = [
  (r: () => number) => `GET /api/orders/${Math.floor(r() * 100000)} 200 in ${Math.floor(r() * 200)}ms`,
  (r: () => number) => `reserving stock for sku X-${Math.floor(r() * 1000)} in warehouse eu-west`,
  (r: () => number) => `payment authorised for order A-${Math.floor(r() * 10000)}`,
  () => 'cache miss, loading user profile from the database',
  (r: () => number) => `retrying upstream call (attempt ${1 + Math.floor(r() * 3)} of 3)`,
  () => 'Bestellung bestätigt – Versand heute',
];

export function makeRecords(n: number, seed = 42): LogEntry[] {
  const r = rng(seed);
  const resource = { 'service.name': 'checkout', 'host.name': 'web-7f9c4d-x2k8p', 'process.pid': 48213 };
  const out: LogEntry[] = [];
  let t = 1795568645885001000n;
  const tasks = Array.from({ length: 8 }, () => hex(r, 32));
  for (let i = 0; i < n; i++) {
    t += BigInt(Math.floor(r() * 50000));
    const task = tasks[Math.floor(r() * tasks.length)]!;
    const depth = Math.floor(r() * 3);
    const path = Array.from({ length: depth }, () => 1 + Math.floor(r() * 4)).join('/');
    const seq = Math.floor(r() * 20);
    const attributes: Record<string, unknown> = { 'user.id': `u-${Math.floor(r() * 5000)}`, 'http.status_code': 200 + Math.floor(r() * 4) * 100 };
    const extra = Math.floor(r() * 3);
    if (extra >= 1) attributes['order.total'] = Math.round(r() * 100000) / 100;
    if (extra >= 2) attributes['feature.enabled'] = r() < 0.5;
    const sev = [5, 9, 9, 9, 13, 17][Math.floor(r() * 6)]!;
    out.push({
      v: 2,
      timeUnixNano: t.toString(),
      level: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.floor((sev - 1) / 4)]!,
      severity: sev,
      logger: r() < 0.7 ? 'checkout.orders' : 'checkout.payments',
      message: MESSAGES[Math.floor(r() * MESSAGES.length)]!(r),
      attributes,
      task,
      span: hex(r, 16),
      path,
      seq,
      key: path === '' ? `${seq}@${task}` : `${seq}@${task}/${path}`,
      resource,
      system: 'P',
      kind: 'L',
    });
  }
  return out;
}

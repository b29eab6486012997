import type { LogEntry } from '../../src/protocol/log-entry.js';

/** A typical small record (500 tasks, 3 services), as stores and forwarders get it from the collector. */
export function sampleRecord(i: number): LogEntry {
  const task = (i % 500).toString(16).padStart(32, '0');
  return {
    v: 2,
    timeUnixNano: String(1795568645885001000n + BigInt(i) * 1000n),
    level: 'INFO',
    severity: 9,
    logger: 'checkout',
    message: `order ${i} reserved 3 items for customer c-${i % 977}`,
    attributes: { 'order.id': `o-${i}`, items: 3, region: 'eu-west-1' },
    task,
    span: (i % 500).toString(16).padStart(16, '0'),
    path: '1/2',
    seq: i % 20,
    key: `${i % 20}@${task}/1/2`,
    resource: { 'service.name': `svc${i % 3}`, 'host.name': 'bench-host', 'process.pid': 4242 },
    system: 'P',
    kind: 'L',
  };
}

/**
 * The delivery accounting as records of its own, so that it is stored beside
 * the records it describes and outlives the daemon's stderr: one LogEntry per
 * system (T/S/P) whose producers sent anything since the previous one, from
 * logger `distlogd`, kind L, with that system — a test collector's accounting
 * lands in the test files, production's in production's. Level WARN when a
 * batch is missing, else INFO. Totals are since the collector started; the
 * body lists the producers of that system seen in the interval.
 */
import { hostname } from 'node:os';
import { unixNanoFromMillis } from '../protocol/index.js';
import type { LogEntry, SystemCode } from '../protocol/log-entry.js';
import type { DeliveryStats, ProducerCounters } from './accounting.js';

export const DELIVERY_LOGGER = 'distlogd';

export function deliveryRecords(stats: DeliveryStats, since: number, now = Date.now()): LogEntry[] {
  const bySystem = new Map<string, ProducerCounters[]>();
  for (const p of stats.producers) {
    if (p.lastSeenAt <= since) continue;
    let list = bySystem.get(p.system);
    if (!list) bySystem.set(p.system, (list = []));
    list.push(p);
  }
  const out: LogEntry[] = [];
  for (const [system, producers] of bySystem) {
    if (system !== 'T' && system !== 'S' && system !== 'P') continue;
    const sum = (f: (p: ProducerCounters) => number) => producers.reduce((a, p) => a + f(p), 0);
    const missing = sum((p) => p.missingBatches);
    const before = sum((p) => p.missingBeforeFirstSeen);
    const attributes = {
      producers: producers.length,
      batches: sum((p) => p.batches),
      records: sum((p) => p.records),
      missingBatches: missing,
      missingRecordsEstimate: sum((p) => p.missingRecordsEstimate),
      missingBeforeFirstSeen: before,
      duplicateBatches: sum((p) => p.duplicateBatches),
      restarts: sum((p) => p.restarts),
    };
    out.push({
      v: 2,
      timeUnixNano: unixNanoFromMillis(now),
      level: missing > 0 ? 'WARN' : 'INFO',
      severity: missing > 0 ? 13 : 9,
      logger: DELIVERY_LOGGER,
      message:
        `delivery: ${attributes.producers} producer${attributes.producers === 1 ? '' : 's'}, ` +
        `${attributes.records} records in ${attributes.batches} batches; ` +
        `${missing} batches missing (~${attributes.missingRecordsEstimate} records), ${before} before first seen`,
      body: producers.map(({ lastSeenAt: _t, system: _s, ...p }) => p),
      attributes,
      resource: { 'service.name': 'distlogd', 'host.name': hostname(), 'process.pid': process.pid },
      system: system as SystemCode,
      kind: 'L',
    });
  }
  return out;
}

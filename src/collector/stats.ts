/**
 * The collector's counters as one object (for the API, the control channel,
 * tests and the viewer) and as the periodic one-line summary the daemon prints.
 */
import type { DeliveryStats } from './accounting.js';
import type { PluginCounters } from './pipeline.js';
import type { ReceiverCounters } from './receiver.js';

export interface CollectorStats {
  uptimeSeconds: number;
  receiver: ReceiverCounters;
  plugins: Record<string, PluginCounters>;
  /** Refused input by reason (frames, topic, size, json, schema, pickle, entry, ...). */
  badInput: Record<string, number>;
  /** Per-producer batches, records and gaps (see accounting.ts for what gaps can tell). */
  delivery: DeliveryStats;
}

/** Formats a stats line; rates are over the interval since `prev`. */
export function formatStatsLine(now: CollectorStats, prev: CollectorStats | undefined): string {
  const dt = Math.max(1e-3, now.uptimeSeconds - (prev?.uptimeSeconds ?? 0));
  const rate = (a: number, b: number | undefined) => Math.round((a - (b ?? 0)) / dt);
  const r = now.receiver;
  const head = `stats: ${rate(r.messages, prev?.receiver.messages)} msg/s ${rate(r.entries, prev?.receiver.entries)} rec/s` +
    ` (total ${r.messages} msgs, ${r.entries} recs)`;
  const plugins = Object.entries(now.plugins).map(([name, c]) => {
    const extra = [
      c.rejected ? ` rejected=${c.rejected}` : '',
      c.heldMs ? ` held=${(c.heldMs / 1000).toFixed(1)}s` : '',
      c.stalled ? ' STALLED' : '',
    ].join('');
    return `${name} received=${c.received} written=${c.written} dropped=${c.dropped} errors=${c.errors} queued=${c.queued}${extra}`;
  });
  const bad = Object.entries(now.badInput).map(([reason, n]) => `${reason}=${n}`);
  const d = now.delivery.totals;
  const delivery = `producers=${d.producers} missing=${d.missingBatches} batches (~${d.missingRecordsEstimate} recs)` +
    ` before-first-seen=${d.missingBeforeFirstSeen}${d.restarts ? ` restarts=${d.restarts}` : ''}${d.duplicateBatches ? ` duplicates=${d.duplicateBatches}` : ''}`;
  const conn = r.connections.acceptFailed ? ` | accept failures=${r.connections.acceptFailed} (${r.connections.lastAcceptError ?? ''})` : '';
  return [head, ...plugins, `bad: ${bad.length ? bad.join(' ') : 'none'}`, delivery].join(' | ') + conn;
}

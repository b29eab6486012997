/**
 * The collector's counters as one object (for the API, the control channel,
 * tests and the viewer) and as the periodic one-line summary the daemon prints.
 */
import type { DeliveryStats } from './accounting.js';
import type { PluginCounters } from './pipeline.js';
import type { OtlpHttpCounters } from './otlp-http-receiver.js';
import type { ReceiverCounters } from './receiver.js';

export interface CollectorStats {
  uptimeSeconds: number;
  receiver: ReceiverCounters;
  plugins: Record<string, PluginCounters>;
  /** Counters a plugin keeps of its own (PluginInstance.counters), by plugin name. */
  pluginOwn?: Record<string, Readonly<Record<string, number | string>>>;
  /** The OTLP/HTTP receiver's counters, when it is on. */
  otlpHttp?: OtlpHttpCounters;
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

/** The multi-line report `distlog stats` prints. */
export function formatStatsReport(s: CollectorStats, from: string): string {
  const out: string[] = [];
  const r = s.receiver;
  out.push(`distlogd at ${from}: up ${s.uptimeSeconds.toFixed(1)} s`);
  out.push(`receiver: ${r.messages} messages, ${r.entries} records, ${r.bytes} bytes; refused ${r.badMessages} messages, ${r.badEntries} entries`);
  const cn = r.connections;
  out.push(`connections: ${cn.accepted} accepted, ${cn.disconnected} closed, ${cn.acceptFailed} accept failures${cn.lastAcceptError ? ` (last: ${cn.lastAcceptError})` : ''}, ${cn.handshakeFailed} failed handshakes`);
  out.push('plugins:');
  for (const [name, c] of Object.entries(s.plugins)) {
    out.push(
      `  ${name}: received=${c.received} written=${c.written} dropped=${c.dropped} (full=${c.droppedFull} rejected=${c.rejected})` +
        ` errors=${c.errors} filtered=${c.filtered} queued=${c.queued} (${c.queuedBytes} bytes) held=${(c.heldMs / 1000).toFixed(1)}s${c.stalled ? ' STALLED' : ''}`,
    );
    const own = Object.entries(s.pluginOwn?.[name] ?? {});
    if (own.length) out.push(`    own: ${own.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  const bad = Object.entries(s.badInput);
  out.push(`bad input: ${bad.length ? bad.map(([k, n]) => `${k}=${n}`).join(' ') : 'none'}`);
  const t = s.delivery.totals;
  out.push(
    `delivery: ${t.producers} producers, ${t.records} records in ${t.batches} batches; missing ${t.missingBatches} batches (~${t.missingRecordsEstimate} records),` +
      ` ${t.missingBeforeFirstSeen} before first seen, ${t.duplicateBatches} duplicates, ${t.restarts} restarts` +
      (t.unidentifiedBatches ? `; ${t.unidentifiedBatches} batches (${t.unidentifiedRecords} records) without producer id` : '') +
      (t.evictedProducers ? `; ${t.evictedProducers} producers forgotten` : ''),
  );
  for (const p of s.delivery.producers) {
    out.push(
      `  ${p.producer} [${p.system}]: batches=${p.batches} records=${p.records} seq=${p.firstSeq}..${p.lastSeq}` +
        ` missing=${p.missingBatches} (~${p.missingRecordsEstimate} records) before-first-seen=${p.missingBeforeFirstSeen}` +
        `${p.lateBatches ? ` late=${p.lateBatches}` : ''}${p.duplicateBatches ? ` duplicates=${p.duplicateBatches}` : ''}${p.restarts ? ` restarts=${p.restarts}` : ''}`,
    );
  }
  return out.join('\n');
}

/** How times, durations and values read on the page. */

export function durationText(ms: number | undefined, atLeast = false): string {
  if (ms === undefined) return '';
  const s = ms < 1 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 60_000).toFixed(1)} min`;
  return atLeast ? `≥ ${s}` : s;
}

/** Milliseconds since the epoch of a ns string. */
export function msOf(ns: string): number {
  return /^\d+$/.test(ns) ? Number(BigInt(ns) / 1000n) / 1000 : 0;
}

export function clockText(ns: string): string {
  const ms = msOf(ns);
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function agoText(ns: string, now = Date.now()): string {
  const s = Math.max(0, (now - msOf(ns)) / 1000);
  if (s < 60) return `${Math.floor(s)}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return new Date(msOf(ns)).toISOString().slice(0, 10);
}

export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v, null, 1) ?? String(v);
  } catch {
    return String(v);
  }
}

export function levelClass(severity: number): string {
  if (severity >= 21) return 'lv-fatal';
  if (severity >= 17) return 'lv-error';
  if (severity >= 13) return 'lv-warn';
  if (severity >= 9) return 'lv-info';
  if (severity >= 5) return 'lv-debug';
  return 'lv-trace';
}

/**
 * Nanosecond timestamps as LogEntry carries them: canonical decimal strings (a JS
 * number cannot hold ns since the epoch). Helpers for producers, so every one
 * formats the same way and the OTLP fixed64 round trip is exact.
 */

/** OTel HrTime [seconds, nanoseconds] -> decimal ns string. */
export function unixNanoFromHrTime(t: readonly [number, number]): string {
  const s = Math.trunc(t[0]);
  const ns = Math.trunc(t[1]);
  if (s === 0) return String(ns);
  return String(s) + String(ns).padStart(9, '0');
}

/** Milliseconds since the epoch (Date.now(), performance.timeOrigin + now()) -> decimal ns string. */
export function unixNanoFromMillis(ms: number): string {
  const s = Math.floor(ms / 1000);
  const ns = Math.round((ms - s * 1000) * 1e6);
  if (ns >= 1e9) return unixNanoFromHrTime([s + 1, ns - 1e9]);
  return unixNanoFromHrTime([s, ns]);
}

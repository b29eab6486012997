/**
 * Key patterns: `distlog:{system}:{kind}:{service}` → `distlog:P:L:checkout`.
 * One stream (list, channel) per system/kind/service keeps a reader's scan to
 * the services it wants, and the MAXLEN bound per service.
 */
import type { LogEntry } from '../../protocol/log-entry.js';

const SYSTEM_NAMES: Record<string, string> = { T: 'test', S: 'staging', P: 'production' };
const KIND_NAMES: Record<string, string> = { L: 'log', P: 'perf' };

/** service.name of a record, or `unknown`. */
export function serviceOf(e: LogEntry): string {
  const s = e.resource['service.name'];
  return typeof s === 'string' && s !== '' ? s : 'unknown';
}

/** Builds a key function from a validated pattern. */
export function compileKey(pattern: string): (e: LogEntry) => string {
  return (e) =>
    pattern.replace(/\{(\w+)\}/g, (_, p: string) => {
      switch (p) {
        case 'system': return e.system;
        case 'kind': return e.kind;
        case 'systemName': return SYSTEM_NAMES[e.system] ?? e.system;
        case 'kindName': return KIND_NAMES[e.kind] ?? e.kind;
        default: return serviceOf(e);
      }
    });
}

/** The SCAN MATCH glob of every key the pattern can produce (placeholders → `*`). */
export function keyGlob(pattern: string): string {
  return pattern
    .split(/(\{\w+\})/)
    .map((part, i) => (i % 2 ? '*' : part.replace(/[*?[\]\\]/g, (c) => `\\${c}`)))
    .join('');
}

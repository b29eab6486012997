/**
 * Key patterns: `distlog:{system}:{kind}:{service}` → `distlog:P:L:checkout`.
 * One stream (list, channel) per system/kind/service keeps a reader's scan to
 * the services it wants, and the MAXLEN bound per service.
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import { KIND_NAMES, SYSTEM_NAMES } from '../../protocol/names.js';

/** service.name of a record, or `unknown`. */
export function serviceOf(e: LogEntry): string {
  const s = e.resource['service.name'];
  return typeof s === 'string' && s !== '' ? s : 'unknown';
}

/** Builds a key function from a validated pattern (parsed once: it runs for every record). */
export function compileKey(pattern: string): (e: LogEntry) => string {
  const parts: ((e: LogEntry) => string)[] = pattern.split(/(\{\w+\})/).map((part, i) => {
    if (i % 2 === 0) return () => part;
    switch (part) {
      case '{system}': return (e) => e.system;
      case '{kind}': return (e) => e.kind;
      case '{systemName}': return (e) => SYSTEM_NAMES[e.system] ?? e.system;
      case '{kindName}': return (e) => KIND_NAMES[e.kind] ?? e.kind;
      default: return serviceOf;
    }
  });
  return (e) => {
    let key = '';
    for (const p of parts) key += p(e);
    return key;
  };
}

/** The SCAN MATCH glob of every key the pattern can produce (placeholders → `*`). */
export function keyGlob(pattern: string): string {
  return pattern
    .split(/(\{\w+\})/)
    .map((part, i) => (i % 2 ? '*' : part.replace(/[*?[\]\\]/g, (c) => `\\${c}`)))
    .join('');
}

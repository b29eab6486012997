/** Which records and scopes the tree and the tail show under the filters (the same rules as the server's). */
import type { TreeNodeJson } from '../web/wire.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { FilterState } from './api.js';

const SEVERITY: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

/** A logger pattern: `*` matches any run of characters, dots included; the rest literally. */
function loggerMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (name) => re.test(name);
}

export interface Visibility {
  record(e: LogEntry): boolean;
  node(n: TreeNodeJson): boolean;
}

export function visibility(f: FilterState): Visibility {
  const min = SEVERITY[f.level] ?? 0;
  const logger = f.logger ? loggerMatcher(f.logger) : undefined;
  const text = f.text.toLowerCase();
  return {
    record(e) {
      if (e.severity < min) return false;
      if (f.service && e.resource['service.name'] !== f.service) return false;
      if (logger && !logger(e.logger)) return false;
      if (text) {
        let s = `${e.message}\n${e.exception?.type ?? ''} ${e.exception?.message ?? ''}`;
        for (const v of Object.values(e.attributes)) s += `\n${typeof v === 'string' ? v : JSON.stringify(v)}`;
        if (!s.toLowerCase().includes(text)) return false;
      }
      return true;
    },
    node(n) {
      return !f.failed || n.status === 'failed' || n.subtreeErrors > 0;
    },
  };
}

/**
 * A subscriber's filter, turned into ZeroMQ SUB prefixes (so the publisher's
 * libzmq drops what nobody asked for before it leaves the collector) and into a
 * per-record check for what a prefix cannot say: a level threshold without a
 * service (the service sits before the level in the topic), a sub-level
 * threshold (`INFO3`), and publishers whose topic is the bare `SKE` frame.
 */
import type { KindCode, LogEntry, SystemCode } from '../protocol/log-entry.js';
import { KIND_CODES, KIND_WORDS, SYSTEM_CODES, SYSTEM_WORDS } from '../protocol/names.js';
import { MAX_SEVERITY, severityOfLevelWord } from '../protocol/levels.js';
import { ENCODINGS } from '../protocol/topic.js';
import { encodeTopicService, PUB_TOPIC_LEVELS } from '../protocol/pub-topic.js';

export interface SubscribeFilter {
  /** T/S/P or test/staging/production; one or a list (default: all). */
  system?: string | readonly string[];
  /** L/P or log/perf; one or a list (default: all). */
  kind?: string | readonly string[];
  /** service.name, exactly; one or a list (default: all). */
  service?: string | readonly string[];
  /** Lowest level wanted: any level word (`warn`, `WARNING`, `INFO3`, `notice`). Records of severity 0 are then left out. */
  minLevel?: string;
}

export interface CompiledFilter {
  /** SUB prefixes; their union is a superset of what `accepts` lets through. */
  prefixes: string[];
  accepts(e: LogEntry): boolean;
}

const list = (v: string | readonly string[] | undefined): readonly string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : v);

function codes<C extends string>(what: string, v: string | readonly string[] | undefined, words: Readonly<Record<string, C>>, all: readonly C[]): readonly C[] {
  const given = list(v);
  if (given === undefined) return all;
  if (given.length === 0) throw new TypeError(`subscribe filter.${what}: an empty list matches nothing; leave it out to take every ${what}`);
  return given.map((w) => {
    const c = words[w] ?? words[w.toLowerCase()];
    if (c === undefined) throw new TypeError(`subscribe filter.${what}: unknown ${what} ${JSON.stringify(w)}; allowed: ${Object.keys(words).join(', ')}`);
    return c;
  });
}

/** Checks the filter and compiles it; bad input throws a TypeError naming the field. */
export function compileFilter(filter: SubscribeFilter = {}): CompiledFilter {
  const systems = codes<SystemCode>('system', filter.system, SYSTEM_WORDS, SYSTEM_CODES);
  const kinds = codes<KindCode>('kind', filter.kind, KIND_WORDS, KIND_CODES);
  const services = list(filter.service);
  if (services?.length === 0) throw new TypeError('subscribe filter.service: an empty list matches nothing; leave it out to take every service');
  if (services?.some((s) => typeof s !== 'string')) throw new TypeError('subscribe filter.service: expected service names (strings)');
  let threshold = 0;
  if (filter.minLevel !== undefined) {
    const n = typeof filter.minLevel === 'string' ? severityOfLevelWord(filter.minLevel) : undefined;
    if (n === undefined) throw new TypeError(`subscribe filter.minLevel: unknown level ${JSON.stringify(filter.minLevel)}; use TRACE, DEBUG, INFO, WARN, ERROR, FATAL (or an alias: warning, notice, critical...)`);
    threshold = n;
  }
  // A topic level names a range of four severities; take it when any of them passes.
  const levels = threshold === 0 ? undefined : PUB_TOPIC_LEVELS.filter((_, i) => i > 0 && Math.min(i * 4, MAX_SEVERITY) >= threshold);

  const prefixes: string[] = [];
  for (const s of systems) {
    for (const k of kinds) {
      for (const enc of ENCODINGS) {
        const head = `${s}${k}${enc}`;
        if (!services) prefixes.push(head);
        else for (const svc of services) {
          const at = `${head}|${encodeTopicService(svc)}|`;
          if (!levels) prefixes.push(at);
          else for (const l of levels) prefixes.push(at + l);
        }
      }
    }
  }
  const serviceSet = services && new Set(services);
  const accepts = (e: LogEntry): boolean =>
    systems.includes(e.system) &&
    kinds.includes(e.kind) &&
    e.severity >= threshold &&
    (!serviceSet || serviceSet.has(serviceName(e)));
  return { prefixes, accepts };
}

function serviceName(e: LogEntry): string {
  const s = e.resource['service.name'];
  return s === undefined || s === null ? '' : String(s);
}

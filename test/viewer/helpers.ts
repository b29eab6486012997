import { readFileSync } from 'node:fs';
import { LOG_ENTRY_VERSION, decodeMessage, type LogEntry } from '../../src/protocol/index.js';

export const T = 'a'.repeat(32);
const BASE = 1_795_568_645_000_000_000n;

/** ns time string `ms` milliseconds after a fixed base. */
export const at = (ms: number): string => String(BASE + BigInt(Math.round(ms * 1e6)));

export function entry(over: Partial<LogEntry>): LogEntry {
  return {
    v: LOG_ENTRY_VERSION,
    timeUnixNano: at(0),
    level: 'INFO',
    severity: 9,
    logger: 'app',
    message: '',
    attributes: {},
    resource: { 'service.name': 'svc' },
    system: 'T',
    kind: 'L',
    ...over,
  };
}

export const error = (over: Partial<LogEntry>): LogEntry => entry({ level: 'ERROR', severity: 17, ...over });

const fixtures = new URL('../../../shared/fixtures/python-distlog/', import.meta.url);

/** One fixture message of the 2018 Python distlog, decoded by src/protocol's adapter. */
export function pythonFixture(name: string): LogEntry {
  const { entries } = decodeMessage([readFileSync(new URL(`${name}.topic`, fixtures)), readFileSync(new URL(`${name}.json`, fixtures))]);
  if (entries.length !== 1) throw new Error(`${name}: expected one record, got ${entries.length}`);
  return entries[0]!;
}

/** A seeded generator (mulberry32), so a failing permutation can be replayed. */
export { prng as rng } from '../helpers/prng.js';

export function shuffle<X>(xs: readonly X[], random: () => number): X[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

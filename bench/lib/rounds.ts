/**
 * Interleaved benchmark rounds: every contender runs once per round, in turn, so a
 * change in machine load hits all of them alike; figures are min / median / max over
 * the rounds, printed beside the machine's load, and ratios are taken against a peer
 * measured in the same run.
 */
import { loadavg, cpus } from 'node:os';

export interface Contender {
  name: string;
  /** Runs the whole job once and returns how many records (or calls) it handled. */
  run: () => Promise<number> | number;
}

export interface Summary {
  name: string;
  /** Records per second, one per round, in round order. */
  rates: number[];
  min: number;
  median: number;
  max: number;
}

export function summarize(name: string, rates: number[]): Summary {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { name, rates, min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** One line naming the machine and its load now: print it beside every result table. */
export function machineLine(): string {
  const [l1, l5] = loadavg();
  return `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load ${l1!.toFixed(2)} / ${l5!.toFixed(2)} (1/5 min)`;
}

/** Runs `rounds` rounds of every contender in turn; prints and returns their summaries. */
export async function interleave(contenders: Contender[], rounds: number, unit = 'records/s'): Promise<Map<string, Summary>> {
  const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) {
      const t0 = process.hrtime.bigint();
      const n = await c.run();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rates.get(c.name)!.push(n / seconds);
    }
  }
  const out = new Map<string, Summary>();
  console.log(machineLine());
  console.log(`${'contender'.padEnd(24)} ${'min'.padStart(12)} ${'median'.padStart(12)} ${'max'.padStart(12)}  ${unit}, ${rounds} interleaved rounds`);
  for (const c of contenders) {
    const s = summarize(c.name, rates.get(c.name)!);
    out.set(c.name, s);
    console.log(`${c.name.padEnd(24)} ${fmt(s.min)} ${fmt(s.median)} ${fmt(s.max)}`);
  }
  return out;
}

/** "a / b" as min-max of per-round ratios and the ratio of medians. */
export function ratioLine(label: string, a: Summary, b: Summary): string {
  const per = a.rates.map((r, i) => r / b.rates[i]!).sort((x, y) => x - y);
  return `${label.padEnd(32)} ${(a.median / b.median).toFixed(2)}x median (per round ${per[0]!.toFixed(2)}-${per[per.length - 1]!.toFixed(2)}x)`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(12);
}

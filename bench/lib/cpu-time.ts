import type { Contender } from './rounds.js';

/**
 * Wraps contenders so each run also records its process CPU time per record
 * (µs), by contender name: on a shared machine wall time swings with the
 * neighbours' load, CPU time much less.
 */
export function withCpuTime(contenders: readonly Contender[]): { timed: Contender[]; cpu: Map<string, number[]> } {
  const cpu = new Map<string, number[]>();
  const timed = contenders.map((c) => ({
    name: c.name,
    run: async () => {
      const t0 = process.cpuUsage();
      const n = await c.run();
      const d = process.cpuUsage(t0);
      (cpu.get(c.name) ?? cpu.set(c.name, []).get(c.name)!).push((d.user + d.system) / n);
      return n;
    },
  }));
  return { timed, cpu };
}

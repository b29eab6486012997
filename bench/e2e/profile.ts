/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went:
 * the top functions by self time, each as a share of the busy time and as
 * nanoseconds of CPU per record, so profiles of runs with different record
 * counts compare directly.
 *
 *   node --import tsx profile.ts <file.cpuprofile> <records> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  selfMs: number;
  share: number;
  nsPerRecord: number;
}

/** Self time per function (by name and place), busiest first; idle time left out. */
export function topCosts(file: string, records: number, top = 15): { busyMs: number; nsPerRecord: number; costs: Cost[]; byModule: Cost[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const where = url ? ` ${url.replace(/^file:\/\//, '').replace(/^.*\/(distlog-bench|dist|src)\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  let busyUs = 0;
  for (const v of self.values()) busyUs += v;
  const modules = new Map<string, number>();
  for (const [key, us] of self) {
    const m = /\s(\S+?\.[cm]?js):\d+$/.exec(key);
    const name = m ? m[1]!.replace(/^.*\/(src|dist|distlog-bench|node_modules)\//, '') : key.startsWith('(') ? key : '(native / node internals)';
    modules.set(name, (modules.get(name) ?? 0) + us);
  }
  const byModule = [...modules.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busyUs, nsPerRecord: (us * 1000) / records }));
  const costs = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busyUs, nsPerRecord: (us * 1000) / records }));
  return { busyMs: busyUs / 1000, nsPerRecord: (busyUs * 1000) / records, costs, byModule };
}

export function printCosts(title: string, file: string, records: number, top = 15): void {
  const { busyMs, nsPerRecord, costs, byModule } = topCosts(file, records, top);
  console.log(`  ${title}: ${busyMs.toFixed(0)} ms busy CPU for ${records.toLocaleString('en-US')} records = ${(nsPerRecord / 1000).toFixed(2)} µs per record (${file})`);
  console.log('   by function (self time):');
  for (const c of costs) console.log(`    ${(c.share * 100).toFixed(1).padStart(5)} %  ${c.nsPerRecord.toFixed(0).padStart(6)} ns/rec  ${c.name}`);
  console.log('   by module (self time):');
  for (const c of byModule.slice(0, 10)) console.log(`    ${(c.share * 100).toFixed(1).padStart(5)} %  ${c.nsPerRecord.toFixed(0).padStart(6)} ns/rec  ${c.name}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [file = '', records = '1', top = '15'] = process.argv.slice(2);
  printCosts('profile', file, Number(records), Number(top));
}

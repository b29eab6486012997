/**
 * bench/fuzz: the fuzz tests of issue 6 at full size, with a seed and counts of
 * your choosing.
 *
 *   node --import tsx bench/fuzz/index.ts [--seed N] [--iterations N] [--wire N] [--amplifier-bytes N]
 *   npm run bench -- fuzz
 *
 * Phase 1, decoder: `--iterations` mutated messages of every encoding through
 * decodeMessage; any throw other than a ProtocolError, or a record that breaks the
 * decoder's contract, fails the run. Reports outcomes by reason, cost per byte
 * (mean and worst), and the amplifiers' cost per byte at 64 KB, 1 MB and 4 MB
 * (flat = linear). Phase 2, wire: `--wire` mutated messages over ZeroMQ into an
 * in-process collector, then 5,000 valid records; reports whether every refusal
 * was counted as expected, every record stored, and memory.
 * Exit 1 when a contract is broken. Figures under load are indicative only.
 */
import { loadavg } from 'node:os';
import { amplifiers, checkOutcome, mutant, rng, seedSamples } from '../../test/protocol/fuzz-corpus.js';
import { runWireFuzz } from '../../test/collector/fuzz-wire-run.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}
const seed = arg('seed', Date.now() % 1_000_000);
const iterations = arg('iterations', 100_000);
const wire = arg('wire', 20_000);
const ampBytes = arg('amplifier-bytes', 4 << 20);

console.log(`seed ${seed}, ${iterations} decoder iterations, ${wire} over the wire; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let failed = false;

const r = rng(seed);
const seeds = seedSamples();
const outcomes: Record<string, number> = {};
let bytes = 0;
let ms = 0;
let worst = { name: '', us: 0 };
for (let i = 0; i < iterations; i++) {
  const s = mutant(r, seeds);
  const t0 = performance.now();
  try {
    const o = checkOutcome(s);
    const k = 'refused' in o ? o.refused.code : o.ok.errors.length ? 'partly' : 'ok';
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  } catch (err) {
    failed = true;
    console.log(`FAIL #${i} ${s.name}: ${(err as Error).message}`);
  }
  const dt = performance.now() - t0;
  const size = s.frames.reduce((n, f) => n + f.length, 0);
  ms += dt;
  bytes += size;
  if (size > 4096 && (dt * 1000) / size > worst.us) worst = { name: s.name, us: (dt * 1000) / size };
}
console.log(`decoder: ${JSON.stringify(outcomes)}; ${((ms * 1000) / bytes).toFixed(4)} us/byte over ${(bytes / 1e6).toFixed(1)} MB; worst (> 4 KB) ${worst.us.toFixed(4)} us/byte: ${worst.name}`);

for (const size of [64 << 10, 1 << 20, ampBytes]) {
  const parts: string[] = [];
  for (const a of amplifiers(size)) {
    const t0 = performance.now();
    const o = checkOutcome(a);
    const us = ((performance.now() - t0) * 1000) / a.frames[1]!.length;
    parts.push(`${a.name.slice(4)} ${us.toFixed(4)}${'refused' in o ? ` (${o.refused.code})` : ''}`);
  }
  console.log(`amplifiers at ${(size / 1024).toFixed(0)} KB, us/byte: ${parts.join('; ')}`);
}

if (wire > 0) {
  const w = await runWireFuzz({ seed, iterations: wire, amplifierBytes: 1 << 20, validRecords: 5000, timeoutMs: 120_000 });
  const counted = JSON.stringify(Object.fromEntries(Object.entries(w.stats.badInput).sort(([a], [b]) => (a < b ? -1 : 1)))) === JSON.stringify(w.expected.badInput);
  const storedAll = w.stats.plugins.file!.written === w.expected.stored && w.validStored === 5000;
  console.log(`wire: ${w.stats.receiver.messages} messages in ${w.seconds.toFixed(1)} s; bad input ${JSON.stringify(w.stats.badInput)} (${counted ? 'as expected' : `EXPECTED ${JSON.stringify(w.expected.badInput)}`})`);
  console.log(`wire: stored ${w.stats.plugins.file!.written} of ${w.expected.stored} records, valid ${w.validStored}/5000; heap after GC ${w.heapBeforeMb.toFixed(1)} -> ${w.heapAfterMb.toFixed(1)} MB; peak RSS growth ${w.rssGrowthMb.toFixed(0)} MB`);
  if (!counted || !storedAll) failed = true;
}
process.exit(failed ? 1 : 0);

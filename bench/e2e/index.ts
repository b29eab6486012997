/**
 * bench/e2e: the whole job a user pays for, side by side with peers doing the
 * same job, in interleaved rounds (bench/lib/rounds.ts: min / median / max, the
 * machine's load printed, ratios taken within one run).
 *
 * For each record shape (small; 2 KB message + 20 attributes):
 *   distlog e2e ×P     P app processes (1, 2, 4) → distlogd on its DEFAULT config
 *                      (only the plugin list narrowed to the file plugin) → JSON lines;
 *                      rate = records / (first record emitted → last line on disk); the
 *                      apps start logging together, once all are set up (a start barrier)
 *   collector ingest → file   the app's own OTLP batches, captured once, pushed by a raw
 *                      ZeroMQ sender into distlogd → file plugin (the collector alone;
 *                      its lane in `whenFull: block`, so the ceiling is measured without loss)
 *   collector ingest → null   the same into a plugin that discards everything: ingest ceiling
 *   raw ZeroMQ         the same bytes PUSH → PULL with nothing in between: upper bound
 *   pino + socket      pino with pino-socket (TCP) → a receiver appending raw lines to a file
 *   OTel SDK + OTLP    BatchLogRecordProcessor + OTLP/HTTP protobuf exporter → a
 *                      node:http receiver appending raw bodies to a file
 * Lost = records that never reached the file; "uncounted" = lost minus what the
 * app or the collector counted as dropped (must be 0). Collector peak RSS = VmHWM.
 *
 *   npm run bench -- e2e
 *   BENCH_N=100000 BENCH_ROUNDS=1 node --import tsx bench/e2e/index.ts
 * Environment: BENCH_N (records per run, default 1,000,000), BENCH_ROUNDS (3),
 * BENCH_PRODUCERS (1,2,4), BENCH_SHAPES (small,2kb), BENCH_ONLY (comma list of
 * contender name prefixes), BENCH_PROFILE=1 (one extra collector → file run under
 * --cpu-prof, top costs per record printed), BENCH_DISTLOGD (a distlogd.js to run
 * instead of this tree's, built into node_modules/.cache/distlog-bench),
 * BENCH_COMPARE (another distlogd.js, e.g. an older commit's build: its collector
 * ingest runs join the interleaved rounds as "... [compare]", for a before/after
 * in one run), BENCH_RECEIVER_HWM (distlogd's receiver.highWaterMark, default
 * config's otherwise) and DISTLOG_BENCH_VERBOSE=1 (echo children). The environment
 * reaches every child: MALLOC_ARENA_MAX=2 set for the bench applies to distlogd.
 * Targets (issue 8): e2e ≥ 300,000 records/s with 0 lost for 1, 2 and 4 producers;
 * collector → file ≥ 500,000 records/s; collector peak RSS ≤ 150 MB, for both shapes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENCODING } from '../../src/exporter/index.js';
import { machineLine, ratioLine, summarize, type Summary } from '../lib/rounds.js';
import { capture, collectorRun, distlogE2e, otelPeer, pinoPeer, rawZmq, withDir, type BenchSettings, type Contender } from './contenders.js';
import { printCosts } from './profile.js';
import { isShape, type Shape } from './shapes.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
/**
 * distlogd runs compiled, as users run it (bin/distlogd.js → dist): under the tsx
 * loader it would carry ~30 MB of compiler in its RSS. Built once per bench run.
 */
const buildDir = join(root, 'node_modules', '.cache', 'distlog-bench');
/** BENCH_DISTLOGD=/path/to/dist/cli/distlogd.js runs another build (e.g. an older commit's, for before/after). */
const distlogd = process.env.BENCH_DISTLOGD ?? join(buildDir, 'cli', 'distlogd.js');

function buildCollector(): void {
  if (process.env.BENCH_DISTLOGD) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', buildDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building distlogd failed:\n${r.stdout}${r.stderr}`);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const N = Number(arg('records') ?? process.env.BENCH_N ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PRODUCERS = (process.env.BENCH_PRODUCERS ?? '1,2,4').split(',').map(Number).filter((p) => p > 0);
const SHAPES = (process.env.BENCH_SHAPES ?? 'small,2kb').split(',').filter(isShape);
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ECHO = process.env.DISTLOG_BENCH_VERBOSE === '1';
const ENCODING = DEFAULT_ENCODING;
const settings: BenchSettings = { records: N, encoding: ENCODING, echo: ECHO, distlogd };
const COMPARE = process.env.BENCH_COMPARE;
const compareSettings: BenchSettings | undefined = COMPARE ? { ...settings, distlogd: COMPARE } : undefined;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
interface Row {
  name: string;
  rates: number[];
  lost: number;
  uncounted: number;
  rssMb: number;
}

async function runShape(shape: Shape, workDir: string): Promise<boolean> {
  console.log(`\n--- ${shape} records: ${fmt(N)} per run, ${ROUNDS} interleaved rounds, encoding ${ENCODING} ---`);
  const cap = await capture(settings, workDir, shape);
  console.log(`captured the app's batches: ${fmt(cap.messages)} messages, ${fmt(cap.records)} records, ${(cap.bytes / 1048576).toFixed(1)} MB (${fmt(cap.bytes / cap.records)} B/record)`);
  const all: Contender[] = [
    ...PRODUCERS.map((p) => distlogE2e(settings, p, shape)),
    { name: 'collector ingest -> file', run: () => collectorRun(settings, 'file', cap) },
    { name: 'collector ingest -> null', run: () => collectorRun(settings, 'null', cap) },
    ...(compareSettings
      ? [
          { name: 'collector ingest -> file [compare]', run: () => collectorRun(compareSettings, 'file', cap) },
          { name: 'collector ingest -> null [compare]', run: () => collectorRun(compareSettings, 'null', cap) },
        ]
      : []),
    { name: 'raw ZeroMQ', run: () => rawZmq(settings, cap) },
    pinoPeer(settings, shape),
    otelPeer(settings, shape),
  ];
  const contenders = ONLY ? all.filter((c) => ONLY.some((o) => c.name.startsWith(o))) : all;
  const rows = new Map<string, Row>(contenders.map((c) => [c.name, { name: c.name, rates: [], lost: 0, uncounted: 0, rssMb: 0 }]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of contenders) {
      const r = await c.run();
      const row = rows.get(c.name)!;
      const rate = (r.timed ?? r.delivered) / r.seconds;
      const lost = r.records - r.delivered;
      row.rates.push(rate);
      row.lost = Math.max(row.lost, lost);
      row.uncounted = Math.max(row.uncounted, lost - r.counted);
      row.rssMb = Math.max(row.rssMb, r.rssMb ?? 0);
      const load = loadavg()[0]!.toFixed(2);
      console.log(`  round ${round}/${ROUNDS} ${c.name.padEnd(34)} ${fmt(rate).padStart(11)} rec/s  lost ${fmt(lost)} (counted ${fmt(r.counted)})${r.rssMb ? `  collector RSS ${r.rssMb.toFixed(0)} MB` : ''}  load ${load}`);
    }
  }
  console.log(machineLine());
  console.log(`${'contender'.padEnd(36)} ${'min'.padStart(11)} ${'median'.padStart(11)} ${'max'.padStart(11)}  ${'lost'.padStart(9)} ${'uncounted'.padStart(9)}  peak RSS`);
  const sums = new Map<string, Summary>();
  for (const row of rows.values()) {
    const s = summarize(row.name, row.rates);
    sums.set(row.name, s);
    console.log(`${row.name.padEnd(36)} ${fmt(s.min).padStart(11)} ${fmt(s.median).padStart(11)} ${fmt(s.max).padStart(11)}  ${fmt(row.lost).padStart(9)} ${fmt(row.uncounted).padStart(9)}  ${row.rssMb ? `${row.rssMb.toFixed(0)} MB` : '-'}`);
  }
  const ratio = (label: string, a: string, b: string) => {
    if (sums.has(a) && sums.has(b)) console.log(ratioLine(label, sums.get(a)!, sums.get(b)!));
  };
  for (const p of PRODUCERS) {
    ratio(`e2e x${p} / OTel SDK`, `distlog e2e x${p}`, 'OTel SDK + OTLP/proto');
    ratio(`e2e x${p} / pino`, `distlog e2e x${p}`, 'pino + pino-socket');
  }
  ratio('collector->file / raw ZeroMQ', 'collector ingest -> file', 'raw ZeroMQ');
  ratio('collector->null / raw ZeroMQ', 'collector ingest -> null', 'raw ZeroMQ');
  ratio('collector->file / ->null', 'collector ingest -> file', 'collector ingest -> null');
  ratio('collector->file / [compare]', 'collector ingest -> file', 'collector ingest -> file [compare]');
  ratio('collector->null / [compare]', 'collector ingest -> null', 'collector ingest -> null [compare]');
  const checks: string[] = [];
  for (const p of PRODUCERS) {
    const row = rows.get(`distlog e2e x${p}`);
    const s = sums.get(`distlog e2e x${p}`);
    if (row && s) checks.push(`${s.median >= 300_000 && row.lost === 0 ? 'ok' : 'MISSED'}: e2e x${p} >= 300k/s, 0 lost`);
  }
  const file = sums.get('collector ingest -> file');
  if (file) checks.push(`${file.median >= 500_000 ? 'ok' : 'MISSED'}: collector ingest -> file >= 500k/s`);
  const rss = Math.max(...[...rows.values()].filter((r) => !r.name.endsWith('[compare]')).map((r) => r.rssMb));
  if (rss > 0) checks.push(`${rss <= 150 ? 'ok' : 'MISSED'}: collector peak RSS <= 150 MB (max ${rss.toFixed(0)} MB)`);
  console.log(`targets: ${checks.join('; ')}`);
  if (PROFILE) {
    const profDir = join(workDir, `prof-${shape}`);
    await collectorRun(settings, 'file', cap, profDir);
    const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (prof) printCosts(`collector ingest -> file profile (${shape})`, join(profDir, prof), cap.records);
    else console.log('  (no .cpuprofile written)');
  }
  // Only loss nobody counted fails the run: rates depend on the machine and are reported.
  return [...rows.values()].filter((r) => !r.name.startsWith('pino') && !r.name.startsWith('OTel')).every((r) => r.uncounted <= 0);
}

console.log(`bench/e2e: the whole job — app → distlogd (default config) → file, the collector alone, and peers doing the same job`);
buildCollector();
let ok = true;
await withDir(async (workDir) => {
  for (const shape of SHAPES) ok = (await runShape(shape, workDir)) && ok;
});
process.exit(ok ? 0 : 1);

/**
 * bench/e2e: the whole job a user pays for, side by side with peers doing the
 * same job, in interleaved rounds (bench/lib/rounds.ts: min / median / max, the
 * machine's load printed, ratios taken within one run).
 *
 * For each record shape (small; 2 KB message + 20 attributes):
 *   distlog e2e ×P     P app processes (1, 2, 4) → distlogd on its DEFAULT config
 *                      (only the plugin list narrowed to the file plugin) → JSON lines;
 *                      rate = records / (first record emitted → last line on disk)
 *   collector → file   the app's own OTLP batches, captured once, pushed by a raw
 *                      ZeroMQ sender into distlogd → file plugin (the collector alone;
 *                      its lane in `whenFull: block`, so the ceiling is measured without loss)
 *   collector → null   the same into a plugin that discards everything: ingest ceiling
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
 * instead of this tree's, built into node_modules/.cache/distlog-bench), and
 * DISTLOG_BENCH_VERBOSE=1 (echo children).
 * Targets (issue 8): e2e ≥ 300,000 records/s with 0 lost for 1, 2 and 4 producers;
 * collector → file ≥ 500,000 records/s; collector peak RSS ≤ 150 MB, for both shapes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENCODING } from '../../src/exporter/index.js';
import { machineLine, ratioLine, summarize, type Summary } from '../lib/rounds.js';
import { cpuTicks, freePort, jsonReport, LineCounter, nowMs, peakRssMb, sleep, spawnTs, type Child } from './proc.js';
import { printCosts } from './profile.js';
import { isShape, type Shape } from './shapes.js';
import type { WorkloadResult } from './workload.js';

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
/** No progress for this long once the senders are done: the rest is lost. */
const STALL_MS = 10_000;

interface RunResult {
  /** Records the contender was asked to move. */
  records: number;
  /** Records that reached the end (lines on disk, or acknowledged bodies), at the very end. */
  delivered: number;
  /** Records that had reached it within `seconds` (lines written while draining at the stop come later). */
  timed?: number;
  seconds: number;
  /** Records the app or collector said it dropped. */
  counted: number;
  /** Collector peak RSS (distlogd contenders only). */
  rssMb?: number;
}

interface Contender {
  name: string;
  run: () => Promise<RunResult>;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Stops a daemon with SIGTERM (SIGKILL after 20 s) and returns its stderr. */
async function stop(child: Child): Promise<string> {
  if (child.proc.exitCode === null) {
    child.proc.kill('SIGTERM');
    const r = await Promise.race([child.exited, sleep(20_000).then(() => 'timeout' as const)]);
    if (r === 'timeout') child.proc.kill('SIGKILL');
  }
  return child.stderr();
}

/** Entries the collector's plugins dropped, from its final stats line. */
function collectorDropped(stderr: string): number {
  const stopped = stderr.split('\n').reverse().find((l) => l.includes('stopped;')) ?? '';
  let n = 0;
  for (const m of stopped.matchAll(/ dropped=(\d+)/g)) n += Number(m[1]);
  return n;
}

/**
 * The embedded default (receiver, queues, file options) with the plugin list
 * narrowed (a console plugin would measure the terminal). `block` lanes for the
 * collector-alone runs: a ceiling is measured without loss, whatever the default
 * queue does with a burst (the e2e runs keep the default and count its drops).
 */
function distlogdConfig(dir: string, endpoint: string, plugin: 'file' | 'null', block: boolean): string {
  const config = join(dir, 'distlogd.yaml');
  const queue = block ? ['    queue: { whenFull: block }'] : [];
  const pluginLines = plugin === 'file'
    ? ['  - type: file', `    options: { directory: ${JSON.stringify(join(dir, 'data'))} }`, ...queue]
    : [`  - type: ${JSON.stringify(join(here, 'null-plugin.js'))}`, ...queue];
  writeFileSync(config, ['receiver:', `  endpoints: [${endpoint}]`, 'stats: { intervalSeconds: 0 }', 'plugins:', ...pluginLines, ''].join('\n'));
  return config;
}

async function startDistlogd(dir: string, plugin: 'file' | 'null', expect: number, block: boolean, profileDir?: string): Promise<{ child: Child; endpoint: string }> {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const child = spawnTs(distlogd, ['--config', distlogdConfig(dir, endpoint, plugin, block)], {
    echo: ECHO,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: { BENCH_NULL_EXPECT: String(expect) },
  });
  await child.waitFor(/listening on/, 30_000);
  return { child, endpoint };
}

/**
 * Polls `count()` until it reaches `expected`, or the senders are done and for
 * STALL_MS neither the count grew nor the receiving process used CPU (a loaded
 * machine may take a while; a busy receiver is not a stalled one). Returns the
 * count and when it last grew.
 */
async function watch(count: () => number, expected: number, sendersDone: () => boolean, receiverPid: number): Promise<{ n: number; lastAt: number }> {
  let n = 0;
  let lastAt = nowMs();
  let busyAt = lastAt;
  let cpu = cpuTicks(receiverPid);
  for (;;) {
    const now = count();
    const t = nowMs();
    const c = cpuTicks(receiverPid);
    if (now > n) {
      n = now;
      lastAt = t;
      busyAt = t;
    }
    if (c !== cpu) {
      cpu = c;
      busyAt = t;
    }
    if (n >= expected) return { n, lastAt };
    if (sendersDone() && t - busyAt > STALL_MS) return { n, lastAt };
    await sleep(n === 0 ? 20 : 5);
  }
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-bench-e2e-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function distlogE2e(producers: number, shape: Shape): Contender {
  return {
    name: `distlog e2e x${producers}`,
    run: () => withDir(async (dir) => {
      const { child, endpoint } = await startDistlogd(dir, 'file', 0, false);
      const counter = new LineCounter(join(dir, 'data'));
      const per = Array.from({ length: producers }, (_, i) => Math.floor(N / producers) + (i < N % producers ? 1 : 0));
      const apps = per.map((n) => spawnTs(join(here, 'app.ts'), [endpoint, String(n), ENCODING, shape], { echo: ECHO }));
      let exited = 0;
      const codes = apps.map((a) => a.exited.then((c) => (exited++, c)));
      const expected = N + 2 * producers; // each app's task adds its enter and exit records
      const { n, lastAt } = await watch(() => counter.poll(), expected, () => exited === producers, child.proc.pid!);
      const rssMb = peakRssMb(child.proc.pid!);
      const stderr = await stop(child);
      // Lines written while draining at the stop are not lost (the rate ignores them).
      const delivered = Math.max(n, counter.poll());
      let counted = collectorDropped(stderr);
      let firstAt = Infinity;
      for (const [i, app] of apps.entries()) {
        const code = await codes[i];
        if (code !== 0) throw new Error(`app exited with ${code}:\n${app.stderr()}`);
        const r = jsonReport<WorkloadResult>(app, 'firstAt');
        firstAt = Math.min(firstAt, r.firstAt);
        counted += r.exporter.droppedRecords + r.processorDropped;
      }
      return { records: expected, delivered, timed: n, seconds: (lastAt - firstAt) / 1000, counted, rssMb };
    }),
  };
}

interface Capture {
  file: string;
  messages: number;
  records: number;
  bytes: number;
}

async function capture(dir: string, shape: Shape): Promise<Capture> {
  const file = join(dir, `capture-${shape}.bin`);
  const child = spawnTs(join(here, 'capture.ts'), [file, String(N), ENCODING, shape], { echo: ECHO });
  const code = await child.exited;
  if (code !== 0) throw new Error(`capture exited with ${code}:\n${child.stderr()}`);
  return { file, ...jsonReport<{ messages: number; records: number; bytes: number }>(child, 'messages') };
}

async function collectorRun(plugin: 'file' | 'null', cap: Capture, profileDir?: string): Promise<RunResult> {
  return withDir(async (dir) => {
    const { child, endpoint } = await startDistlogd(dir, plugin, cap.records, true, profileDir);
    const push = spawnTs(join(here, 'raw-push.ts'), [endpoint, cap.file], { echo: ECHO });
    let pushDone = false;
    void push.exited.then(() => (pushDone = true));
    let n: number;
    let lastAt: number;
    const counter = new LineCounter(join(dir, 'data'));
    const pid = child.proc.pid!;
    if (plugin === 'file') {
      ({ n, lastAt } = await watch(() => counter.poll(), cap.records, () => pushDone, pid));
    } else {
      let done = '';
      void child.waitFor(/^bench-null: done/, 24 * 3600_000).then((l) => (done = l), () => undefined);
      const r = await watch(() => (done ? cap.records : 0), cap.records, () => pushDone, pid);
      n = r.n;
      lastAt = done ? Number(done.split(' ')[3]) : r.lastAt;
    }
    const rssMb = peakRssMb(pid);
    const stderr = await stop(child);
    const timed = n;
    if (plugin === 'file') n = Math.max(n, counter.poll());
    if ((await push.exited) !== 0) throw new Error(`raw-push failed:\n${push.stderr()}`);
    const { firstAt } = jsonReport<{ firstAt: number }>(push, 'firstAt');
    const counted = collectorDropped(stderr);
    // The null plugin reports only "all arrived"; short of that, its final counters tell.
    if (plugin === 'null' && n < cap.records) n = cap.records - counted;
    return { records: cap.records, delivered: n, timed, seconds: (lastAt - firstAt) / 1000, counted, rssMb };
  });
}

async function rawZmq(cap: Capture): Promise<RunResult> {
  const pull = spawnTs(join(here, 'raw-pull.ts'), [String(cap.messages)], { echo: ECHO });
  const ready = await pull.waitFor(/^ready /, 30_000);
  const push = spawnTs(join(here, 'raw-push.ts'), [ready.slice('ready '.length).trim(), cap.file], { echo: ECHO });
  if ((await push.exited) !== 0) throw new Error(`raw-push failed:\n${push.stderr()}`);
  const code = await Promise.race([pull.exited, sleep(60_000).then(() => 'timeout' as const)]);
  if (code !== 0) {
    pull.proc.kill('SIGKILL');
    throw new Error(`raw-pull ${code === 'timeout' ? 'did not finish' : `exited with ${code}`}:\n${pull.stderr()}`);
  }
  const { firstAt } = jsonReport<{ firstAt: number }>(push, 'firstAt');
  const r = jsonReport<{ messages: number; lastAt: number }>(pull, 'lastAt');
  return { records: cap.records, delivered: Math.round((cap.records * r.messages) / cap.messages), seconds: (r.lastAt - firstAt) / 1000, counted: 0 };
}

function pinoPeer(shape: Shape): Contender {
  return {
    name: 'pino + pino-socket',
    run: () => withDir(async (dir) => {
      mkdirSync(join(dir, 'out'));
      const recv = spawnTs(join(here, 'peer-tcp-receiver.ts'), [join(dir, 'out', 'lines.jsonl')], { echo: ECHO });
      try {
        const port = (await recv.waitFor(/^ready /, 30_000)).slice(6).trim();
        const app = spawnTs(join(here, 'peer-pino-app.ts'), [port, String(N), shape], { echo: ECHO });
        let done = false;
        void app.exited.then(() => (done = true));
        const counter = new LineCounter(join(dir, 'out'));
        const { n, lastAt } = await watch(() => counter.poll(), N, () => done, recv.proc.pid!);
        if ((await app.exited) !== 0) throw new Error(`pino app failed:\n${app.stderr()}`);
        const { firstAt } = jsonReport<{ firstAt: number }>(app, 'firstAt');
        return { records: N, delivered: n, seconds: (lastAt - firstAt) / 1000, counted: 0 };
      } finally {
        await stop(recv);
      }
    }),
  };
}

function otelPeer(shape: Shape): Contender {
  return {
    name: 'OTel SDK + OTLP/proto',
    run: () => withDir(async (dir) => {
      const recv = spawnTs(join(here, 'peer-http-receiver.ts'), [join(dir, 'bodies.bin')], { echo: ECHO });
      try {
        const port = (await recv.waitFor(/^ready /, 30_000)).slice(6).trim();
        const app = spawnTs(join(here, 'peer-otel-app.ts'), [port, String(N), shape], { echo: ECHO });
        if ((await app.exited) !== 0) throw new Error(`otel app failed:\n${app.stderr()}`);
        const r = jsonReport<{ firstAt: number; doneAt: number; exported: number; failed: number }>(app, 'exported');
        return { records: N, delivered: r.exported, seconds: (r.doneAt - r.firstAt) / 1000, counted: r.failed };
      } finally {
        await stop(recv);
      }
    }),
  };
}

interface Row {
  name: string;
  rates: number[];
  lost: number;
  uncounted: number;
  rssMb: number;
}

async function runShape(shape: Shape, workDir: string): Promise<boolean> {
  console.log(`\n--- ${shape} records: ${fmt(N)} per run, ${ROUNDS} interleaved rounds, encoding ${ENCODING} ---`);
  const cap = await capture(workDir, shape);
  console.log(`captured the app's batches: ${fmt(cap.messages)} messages, ${fmt(cap.records)} records, ${(cap.bytes / 1048576).toFixed(1)} MB (${fmt(cap.bytes / cap.records)} B/record)`);
  const all: Contender[] = [
    ...PRODUCERS.map((p) => distlogE2e(p, shape)),
    { name: 'collector -> file', run: () => collectorRun('file', cap) },
    { name: 'collector -> null', run: () => collectorRun('null', cap) },
    { name: 'raw ZeroMQ', run: () => rawZmq(cap) },
    pinoPeer(shape),
    otelPeer(shape),
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
      console.log(`  round ${round}/${ROUNDS} ${c.name.padEnd(22)} ${fmt(rate).padStart(11)} rec/s  lost ${fmt(lost)} (counted ${fmt(r.counted)})${r.rssMb ? `  collector RSS ${r.rssMb.toFixed(0)} MB` : ''}`);
    }
  }
  console.log(machineLine());
  console.log(`${'contender'.padEnd(24)} ${'min'.padStart(11)} ${'median'.padStart(11)} ${'max'.padStart(11)}  ${'lost'.padStart(9)} ${'uncounted'.padStart(9)}  peak RSS`);
  const sums = new Map<string, Summary>();
  for (const row of rows.values()) {
    const s = summarize(row.name, row.rates);
    sums.set(row.name, s);
    console.log(`${row.name.padEnd(24)} ${fmt(s.min).padStart(11)} ${fmt(s.median).padStart(11)} ${fmt(s.max).padStart(11)}  ${fmt(row.lost).padStart(9)} ${fmt(row.uncounted).padStart(9)}  ${row.rssMb ? `${row.rssMb.toFixed(0)} MB` : '-'}`);
  }
  const ratio = (label: string, a: string, b: string) => {
    if (sums.has(a) && sums.has(b)) console.log(ratioLine(label, sums.get(a)!, sums.get(b)!));
  };
  for (const p of PRODUCERS) {
    ratio(`e2e x${p} / OTel SDK`, `distlog e2e x${p}`, 'OTel SDK + OTLP/proto');
    ratio(`e2e x${p} / pino`, `distlog e2e x${p}`, 'pino + pino-socket');
  }
  ratio('collector->file / raw ZeroMQ', 'collector -> file', 'raw ZeroMQ');
  ratio('collector->null / raw ZeroMQ', 'collector -> null', 'raw ZeroMQ');
  ratio('collector->file / ->null', 'collector -> file', 'collector -> null');
  const checks: string[] = [];
  for (const p of PRODUCERS) {
    const row = rows.get(`distlog e2e x${p}`);
    const s = sums.get(`distlog e2e x${p}`);
    if (row && s) checks.push(`${s.median >= 300_000 && row.lost === 0 ? 'ok' : 'MISSED'}: e2e x${p} >= 300k/s, 0 lost`);
  }
  const file = sums.get('collector -> file');
  if (file) checks.push(`${file.median >= 500_000 ? 'ok' : 'MISSED'}: collector -> file >= 500k/s`);
  const rss = Math.max(...[...rows.values()].map((r) => r.rssMb));
  if (rss > 0) checks.push(`${rss <= 150 ? 'ok' : 'MISSED'}: collector peak RSS <= 150 MB (max ${rss.toFixed(0)} MB)`);
  console.log(`targets: ${checks.join('; ')}`);
  if (PROFILE) {
    const profDir = join(workDir, `prof-${shape}`);
    await collectorRun('file', cap, profDir);
    const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (prof) printCosts(`collector -> file profile (${shape})`, join(profDir, prof), cap.records);
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

/**
 * The contenders of bench/e2e, each one run of the whole job (see index.ts):
 * distlog end to end, the collector alone (file, null plugin, raw ZeroMQ), and
 * the peers (pino + pino-socket, the OpenTelemetry SDK with OTLP/HTTP).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Encoding } from '../../src/protocol/index.js';
import { cpuTicks, freePort, jsonReport, LineCounter, nowMs, peakRssMb, sleep, spawnTs, type Child } from './proc.js';
import type { Shape } from './shapes.js';
import type { WorkloadResult } from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));
/** No progress for this long once the senders are done: the rest is lost. */
const STALL_MS = 10_000;

/** What every contender needs to know about the run. */
export interface BenchSettings {
  /** Records per run. */
  records: number;
  encoding: Encoding;
  /** Echo the children's output. */
  echo: boolean;
  /** The distlogd.js to run. */
  distlogd: string;
}

export interface RunResult {
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

export interface Contender {
  name: string;
  run: () => Promise<RunResult>;
}


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
  // BENCH_RECEIVER_HWM: the receiver's high-water mark, for the memory recipe's measurements (README).
  const hwm = process.env.BENCH_RECEIVER_HWM ? [`  highWaterMark: ${Number(process.env.BENCH_RECEIVER_HWM)}`] : [];
  writeFileSync(config, ['receiver:', `  endpoints: [${endpoint}]`, ...hwm, 'stats: { intervalSeconds: 0 }', 'plugins:', ...pluginLines, ''].join('\n'));
  return config;
}

async function startDistlogd(s: BenchSettings, dir: string, plugin: 'file' | 'null', expect: number, block: boolean, profileDir?: string): Promise<{ child: Child; endpoint: string }> {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const child = spawnTs(s.distlogd, ['--config', distlogdConfig(dir, endpoint, plugin, block)], {
    echo: s.echo,
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

export async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-bench-e2e-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function distlogE2e(s: BenchSettings, producers: number, shape: Shape): Contender {
  return {
    name: `distlog e2e x${producers}`,
    run: () => withDir(async (dir) => {
      const { child, endpoint } = await startDistlogd(s, dir, 'file', 0, false);
      const counter = new LineCounter(join(dir, 'data'));
      const per = Array.from({ length: producers }, (_, i) => Math.floor(s.records / producers) + (i < s.records % producers ? 1 : 0));
      const apps = per.map((n) => spawnTs(join(here, 'app.ts'), [endpoint, String(n), s.encoding, shape, '--barrier'], { echo: s.echo }));
      // Start barrier: every app set up before any logs, so no app's start-up
      // (modules, compiling) runs inside the others' timed logging.
      await Promise.all(apps.map((a) => a.waitFor(/^ready$/, 60_000)));
      for (const a of apps) a.proc.stdin!.write('go\n');
      let exited = 0;
      const codes = apps.map((a) => a.exited.then((c) => (exited++, c)));
      const expected = s.records + 2 * producers; // each app's task adds its enter and exit records
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

export interface Capture {
  file: string;
  messages: number;
  records: number;
  bytes: number;
}

export async function capture(s: BenchSettings, dir: string, shape: Shape): Promise<Capture> {
  const file = join(dir, `capture-${shape}.bin`);
  const child = spawnTs(join(here, 'capture.ts'), [file, String(s.records), s.encoding, shape], { echo: s.echo });
  const code = await child.exited;
  if (code !== 0) throw new Error(`capture exited with ${code}:\n${child.stderr()}`);
  return { file, ...jsonReport<{ messages: number; records: number; bytes: number }>(child, 'messages') };
}

export async function collectorRun(s: BenchSettings, plugin: 'file' | 'null', cap: Capture, profileDir?: string): Promise<RunResult> {
  return withDir(async (dir) => {
    const { child, endpoint } = await startDistlogd(s, dir, plugin, cap.records, true, profileDir);
    const push = spawnTs(join(here, 'raw-push.ts'), [endpoint, cap.file], { echo: s.echo });
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

export async function rawZmq(s: BenchSettings, cap: Capture): Promise<RunResult> {
  const pull = spawnTs(join(here, 'raw-pull.ts'), [String(cap.messages)], { echo: s.echo });
  const ready = await pull.waitFor(/^ready /, 30_000);
  const push = spawnTs(join(here, 'raw-push.ts'), [ready.slice('ready '.length).trim(), cap.file], { echo: s.echo });
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

export function pinoPeer(s: BenchSettings, shape: Shape): Contender {
  return {
    name: 'pino + pino-socket',
    run: () => withDir(async (dir) => {
      mkdirSync(join(dir, 'out'));
      const recv = spawnTs(join(here, 'peer-tcp-receiver.ts'), [join(dir, 'out', 'lines.jsonl')], { echo: s.echo });
      try {
        const port = (await recv.waitFor(/^ready /, 30_000)).slice(6).trim();
        const app = spawnTs(join(here, 'peer-pino-app.ts'), [port, String(s.records), shape], { echo: s.echo });
        let done = false;
        void app.exited.then(() => (done = true));
        const counter = new LineCounter(join(dir, 'out'));
        const { n, lastAt } = await watch(() => counter.poll(), s.records, () => done, recv.proc.pid!);
        const code = await app.exited;
        if (code !== 0) throw new Error(`pino app failed (exit code ${code}, signal ${app.proc.signalCode}):\n${app.stderr()}`);
        const { firstAt } = jsonReport<{ firstAt: number }>(app, 'firstAt');
        return { records: s.records, delivered: n, seconds: (lastAt - firstAt) / 1000, counted: 0 };
      } finally {
        await stop(recv);
      }
    }),
  };
}

export function otelPeer(s: BenchSettings, shape: Shape): Contender {
  return {
    name: 'OTel SDK + OTLP/proto',
    run: () => withDir(async (dir) => {
      const recv = spawnTs(join(here, 'peer-http-receiver.ts'), [join(dir, 'bodies.bin')], { echo: s.echo });
      try {
        const port = (await recv.waitFor(/^ready /, 30_000)).slice(6).trim();
        const app = spawnTs(join(here, 'peer-otel-app.ts'), [port, String(s.records), shape], { echo: s.echo });
        if ((await app.exited) !== 0) throw new Error(`otel app failed:\n${app.stderr()}`);
        const r = jsonReport<{ firstAt: number; doneAt: number; exported: number; failed: number }>(app, 'exported');
        return { records: s.records, delivered: r.exported, seconds: (r.doneAt - r.firstAt) / 1000, counted: r.failed };
      } finally {
        await stop(recv);
      }
    }),
  };
}


/**
 * Process plumbing shared by test/collector/delivery-e2e.test.ts and
 * bench/delivery: a distlogd process with the default queue config and a
 * control channel, burst-producer app processes, and reading back what the
 * file plugin stored per producer.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryStats, type CollectorStats } from '../../src/collector/index.js';
import type { ZmqExporterStats } from '../../src/exporter/index.js';
import { freePort, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ProducerReport {
  tag: string;
  logged: number;
  processorDropped: number;
  exporter: ZmqExporterStats;
  producer: string;
}

export interface Daemon {
  child: ChildProcess;
  err: () => string;
  control: string;
}

export async function startDaemon(dir: string, port: number, plugins: string): Promise<Daemon> {
  const controlPort = await freePort();
  const config = join(dir, `distlogd-${controlPort}.yaml`);
  // Only where to listen and write: queues are the defaults (whenFull: block).
  writeFileSync(config, `receiver: { endpoints: ["tcp://127.0.0.1:${port}"] }\ncontrol: { endpoint: "tcp://127.0.0.1:${controlPort}" }\n${plugins}`);
  // Relative paths in the config are the config file's folder's (dir), whatever the cwd.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/distlogd.ts'), '--config', config], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('distlogd started', () => err.includes('plugin file') || child.exitCode !== null, 30_000);
  assert.equal(child.exitCode, null, err);
  return { child, err: () => err, control: `tcp://127.0.0.1:${controlPort}` };
}

export function startProducer(endpoint: string, count: number, tag: string, chunk = 0, pauseMs = 0): { done: Promise<ProducerReport> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/collector/fixtures/burst-producer.ts'), endpoint, String(count), tag, String(chunk), String(pauseMs)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const done = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`producer ${tag} exited with ${String(code)}:\n${err}`);
    return JSON.parse(out.trim().split('\n').pop()!) as ProducerReport;
  });
  return { done };
}

/** Indices stored per producer tag, from every JSON-lines file under `dir`; torn lines counted apart. */
export function stored(dir: string): { byTag: Map<string, number[]>; torn: number; accounting: number } {
  const byTag = new Map<string, number[]>();
  let torn = 0;
  let accounting = 0;
  if (!existsSync(dir)) return { byTag, torn, accounting };
  for (const f of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      let e: { logger: string; attributes: { p?: string; i?: number } };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        torn++;
        continue;
      }
      if (e.logger === 'distlogd') accounting++;
      if (e.logger !== 'burst') continue;
      const list = byTag.get(e.attributes.p!) ?? [];
      list.push(e.attributes.i!);
      byTag.set(e.attributes.p!, list);
    }
  }
  return { byTag, torn, accounting };
}

export async function settled(control: string, expectRecords: number): Promise<CollectorStats> {
  let s: CollectorStats | undefined;
  await waitFor(
    `the collector to take and write ${expectRecords} records`,
    async () => {
      s = await queryStats(control);
      const lanes = Object.values(s.plugins);
      return s.receiver.entries >= expectRecords && lanes.every((c) => c.queued === 0 && c.inFlight === 0);
    },
    120_000,
  );
  return s!;
}

export async function stopDaemon(d: Daemon): Promise<void> {
  d.child.kill('SIGTERM');
  const [code] = (await once(d.child, 'exit')) as [number];
  assert.equal(code, 0, d.err());
}


/**
 * "It never hangs the app", proven on a real process: an app that exports to a
 * port where nothing listens keeps running, counts its records as dropped, and
 * exits within a few seconds on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deadPort } from './helpers.js';

const app = fileURLToPath(new URL('./fixtures/no-collector-app.ts', import.meta.url));
const registerApp = fileURLToPath(new URL('./fixtures/no-collector-register-app.ts', import.meta.url));

async function runApp(args: string[], file = app, killAfterMs = 30_000): Promise<{ code: number | null; ms: number; appMs: number; stats: Record<string, number>; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  // A hung child would otherwise hang the test run; kill it and fail below.
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(killer);
  const ms = performance.now() - t0;
  const exitedAt = Date.now();
  const line = out.trim().split('\n').pop() ?? '{}';
  const stats = JSON.parse(line) as Record<string, number>;
  // from the app's first line of code to its exit, when the fixture says when it started
  const appMs = stats['appStartedAt'] === undefined ? ms : exitedAt - stats['appStartedAt'];
  return { code, ms, appMs, stats, stderr: err };
}

for (const mode of ['flush', 'shutdown'] as const) {
  test(`no collector (${mode}): the app exits promptly with every record counted as dropped`, async () => {
    const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
    const r = await runApp([endpoint, '200', mode]);
    assert.equal(r.code, 0, r.stderr);
    // the send timeout is 0.5 s; after it the breaker drops the rest at once
    assert.ok(r.appMs < 4000, `exited ${r.appMs.toFixed(0)} ms after its code started`);
    assert.equal(r.stats['droppedRecords'], 200);
    assert.equal(r.stats['sentRecords'], 0);
    assert.ok(r.stats['failedMessages']! >= 1);
    assert.ok(r.stats['ticks']! > 0, 'the app kept running while export failed');
  });
}

test('no collector, no flush: the socket alone does not keep the process alive', async () => {
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const r = await runApp([endpoint, '10', 'none']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.appMs < 4000, `exited ${r.appMs.toFixed(0)} ms after its code started`);
});

test('no collector, register() with its exit flush: the app ends on its own, records counted as dropped', async () => {
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const r = await runApp([endpoint, '300'], registerApp);
  assert.equal(r.code, 0, r.stderr);
  // The default shutdown deadline is 3 s; tsx start-up comes on top.
  assert.ok(r.stats['exitAfterMs']! < 4000, `exited ${r.stats['exitAfterMs']} ms after the last log call`);
  // 300 info records + the task's enter and exit records.
  assert.equal(r.stats['droppedRecords'], 302);
  assert.equal(r.stats['pipelineDropped'], 302);
  assert.equal(r.stats['sentRecords'], 0);
  // Said once on stderr, with the endpoint.
  const warnings = r.stderr.split('\n').filter((l) => l.includes('DISTLOG_NO_COLLECTOR'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0]!, new RegExp(`no collector answers at ${endpoint.replace(/\./g, '\\.')}`));
});

test('no collector, 200,000 records: the app exits within its shutdown deadline, every record counted, the event loop free', async () => {
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const r = await runApp([endpoint, '200000', '10000'], registerApp, 60_000);
  assert.equal(r.code, 0, r.stderr);
  // 200,000 + 2 in the first task, 10 bursts of 1,000 + 2 each.
  const logged = 200_002 + 10 * 1_002;
  // Every record is either sent (none: no collector) or counted as dropped, by the
  // queue (it holds 131,072) or by the exporter.
  assert.equal(r.stats['pipelineDropped'], logged, JSON.stringify(r.stats));
  assert.equal(r.stats['pipelineExported'], 0);
  assert.ok(r.stats['exitAfterMs']! < 6000, `exited ${r.stats['exitAfterMs']} ms after the last log call`);
  // A target of < 50 ms on a quiet machine (bench); generous here, the test machine is shared.
  assert.ok(r.stats['maxDelayMs']! < 500, `max event-loop delay ${r.stats['maxDelayMs']} ms`);
  console.log(`# 200k no collector: exit ${r.stats['exitAfterMs']} ms after last log, max loop delay ${r.stats['maxDelayMs']} ms`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';
import { distlogd } from './run-distlogd.js';

const TASK = '5b5e8d3dcdce4011899ae77a68171c0d';
/** Starting a process through tsx can take many seconds on a loaded machine; wait for the outcome, not a duration. */
const STARTUP_MS = 60_000;


test('--check-config: OK and exit 0; every error and exit 2; bad usage exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-check-'));
  const ok = distlogd(['--check-config'], dir);
  assert.equal(await ok.exit, 0);
  assert.equal(ok.out(), 'distlogd: config OK: (embedded default); plugins: console (console), file (file)\n');

  writeFileSync(join(dir, 'bad.yaml'), 'stats:\n  intervalSecs: 5\nplugins:\n  - type: console\n    options: { color: maybe }\n');
  const bad = distlogd(['--check-config', '--config', 'bad.yaml'], dir);
  assert.equal(await bad.exit, 2);
  assert.equal(
    bad.err(),
    'distlogd: 2 config errors in bad.yaml:\n' +
      '  bad.yaml:2:3: stats.intervalSecs: unknown key (did you mean "intervalSeconds"? allowed: intervalSeconds)\n' +
      '  bad.yaml:5:16: plugins[0].options.color: invalid value "maybe" (allowed: auto, always, never)\n',
  );

  const usage = distlogd(['--frobnicate'], dir);
  assert.equal(await usage.exit, 2);
  assert.match(usage.err(), /^distlogd: unknown argument "--frobnicate"\nusage: distlogd/);
});

test('the embedded default config starts, prints where it listens and writes, and stops on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-default-'));
  const run = distlogd([], dir);
  await waitFor('startup lines', () => run.err().includes('plugin file') || run.child.exitCode !== null, STARTUP_MS);
  if (/cannot bind tcp:\/\/127\.0\.0\.1:5010/.test(run.err())) {
    t.skip('port 5010 is in use on this machine');
    return;
  }
  assert.equal(
    run.err(),
    'distlogd: listening on tcp://127.0.0.1:5010 (ZeroMQ PULL)\n' +
      'distlogd: plugin console (console): text lines to stdout\n' +
      `distlogd: plugin file (file): JSON lines to ${join(dir, 'distlog-data', '{system}{kind}-{date}.jsonl')} (rotate at 268435456 bytes, fsync interval)\n`,
  );
  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 0);
});

test('a distlogd process receives ZMQ messages, writes JSON lines and console lines, and drains on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-e2e-'));
  const port = await freePort();
  writeFileSync(join(dir, 'distlogd.yaml'), [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:${DISTLOGD_TEST_PORT}"]',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: console',
    '    options: { time: none }',
    '  - type: file',
    '    options: { directory: data, pattern: "{system}{kind}.jsonl", fsync: batch }',
  ].join('\n'));
  const run = distlogd(['--config', 'distlogd.yaml'], dir, { DISTLOGD_TEST_PORT: String(port) });
  await waitFor('listening', () => run.err().includes(`listening on tcp://127.0.0.1:${port}`) || run.child.exitCode !== null, STARTUP_MS);
  assert.equal(run.child.exitCode, null, run.err());

  const push = await pushSocket(`tcp://127.0.0.1:${port}`);
  const sent: LogEntry[] = [
    entry({ message: 'toplevel', task: TASK, path: '', seq: 0, key: `0@${TASK}`, event: 'enter', attributes: { user: 'leo' } }),
    entry({ message: 'subtask', task: TASK, path: '1', seq: 0, key: `0@${TASK}/1`, event: 'enter', attributes: { arg: 42 } }),
  ];
  await push.send(goodMessage(sent));
  const file = join(dir, 'data', 'TL.jsonl');
  await waitFor('file written', () => existsSync(file) && readFileSync(file, 'utf8').split('\n').length === 3);
  assert.deepEqual(readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry), sent);
  await waitFor('console lines', () => run.out().split('\n').length === 3);
  assert.equal(run.out(), 'INFO  svc 0@5b5e8d3d   toplevel user=leo\nINFO  svc 0@5b5e8d3d/1     subtask arg=42\n');

  // A burst right before SIGTERM: the drain must get all of it to disk.
  // On a P topic: the topic's system byte decides where records go, not the payload (issue 6).
  for (let i = 0; i < 50; i++) await push.send(goodMessage(Array.from({ length: 20 }, (_, j) => entry({ message: `burst ${i}.${j}`, system: 'P' })), 'P'));
  push.close();
  await new Promise((r) => setTimeout(r, 100));
  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 0, run.err());
  const burst = readFileSync(join(dir, 'data', 'PL.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(burst.length, 1000);
  assert.match(run.err(), /stopped; stats: .*\(total 51 msgs, 1002 recs\) \| console received=1002 written=1002 dropped=0 errors=0 queued=0 \| file received=1002 written=1002 dropped=0 errors=0 queued=0 \| bad: none/);
  assert.deepEqual(readdirSync(join(dir, 'data')).sort(), ['PL.jsonl', 'TL.jsonl']);
});

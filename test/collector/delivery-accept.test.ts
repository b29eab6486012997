/**
 * Idle connections at the descriptor limit shut out producers; distlogd must
 * say so (issue 6: 300 idle TCP connections at `ulimit -n 256` stopped a
 * legitimate producer silently). A real distlogd under a lowered limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryStats } from '../../src/collector/index.js';
import { SocketEventWatcher } from '../../src/collector/socket-events.js';
import { freePort, goodMessage, entry, pushSocket, sleep, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('accept failures at the descriptor limit are counted and reported (rate-limited), and producers get in once descriptors are free', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-fds-'));
  const port = await freePort();
  const controlPort = await freePort();
  writeFileSync(join(dir, 'distlogd.yaml'), [
    `receiver: { endpoints: ["tcp://127.0.0.1:${port}"], reportIntervalSeconds: 1 }`,
    `control: { endpoint: "tcp://127.0.0.1:${controlPort}" }`,
    'stats: { intervalSeconds: 0 }',
    'plugins: []',
  ].join('\n'));
  const daemon = spawn('bash', ['-c', `ulimit -n 128 && exec "${process.execPath}" --import tsx src/cli/distlogd.ts --config "${join(dir, 'distlogd.yaml')}"`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  });
  let err = '';
  daemon.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('listening', () => err.includes('control on') || daemon.exitCode !== null, 30_000);
  assert.equal(daemon.exitCode, null, err);

  const idle: Socket[] = [];
  for (let i = 0; i < 200; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    idle.push(s);
  }
  await waitFor('an accept failure report', () => /receiver: cannot accept a connection on tcp:\/\/127\.0\.0\.1:\d+: EMFILE/.test(err), 20_000);
  assert.match(err, /out of file descriptors .*raise the limit \(ulimit -n/);
  await sleep(1500);
  const reports = err.split('\n').filter((l) => l.includes('cannot accept a connection'));
  // libzmq retries the waiting accepts thousands of times a second; the report stays near one line a second.
  assert.ok(reports.length <= 6, `${reports.length} report lines:\n${reports.join('\n')}`);

  for (const s of idle) s.destroy();
  await sleep(500);
  const push = await pushSocket(`tcp://127.0.0.1:${port}`);
  try {
    await push.send(goodMessage([entry({ message: 'after the flood' })]));
    const endpoint = `tcp://127.0.0.1:${controlPort}`;
    await waitFor('the producer got in', async () => (await queryStats(endpoint)).receiver.messages === 1, 20_000);
    const c = (await queryStats(endpoint)).receiver.connections;
    assert.ok(c.acceptFailed > 0);
    assert.match(c.lastAcceptError ?? '', /^EMFILE: /);
  } finally {
    push.close();
  }
  daemon.kill('SIGTERM');
  const [code] = (await once(daemon, 'exit')) as [number];
  assert.equal(code, 0, err);
});

test('accept-failure reports: one line per interval carrying the suppressed count', () => {
  let now = 0;
  const lines: string[] = [];
  const fakeSocket = {} as never;
  const w = new SocketEventWatcher(fakeSocket, 'receiver', (l) => lines.push(l), 10_000, () => now);
  const emfile = Object.assign(new Error('Too many open files'), { code: 'EMFILE' });
  w.handle({ type: 'accept' });
  w.handle({ type: 'accept:error', address: 'tcp://127.0.0.1:5010', error: emfile });
  now = 5000;
  w.handle({ type: 'accept:error', address: 'tcp://127.0.0.1:5010', error: emfile });
  w.handle({ type: 'disconnect' });
  now = 10_000;
  w.handle({ type: 'accept:error', error: Object.assign(new Error('No buffer space'), { code: 'ENOBUFS' }) });
  assert.deepEqual(lines, [
    'receiver: cannot accept a connection on tcp://127.0.0.1:5010: EMFILE: Too many open files; the process is out of file descriptors (1 connections open): raise the limit (ulimit -n, systemd LimitNOFILE) — producers cannot connect until then',
    'receiver: cannot accept a connection: ENOBUFS: No buffer space (+1 more since last report)',
  ]);
  assert.deepEqual(w.counters(), { accepted: 1, disconnected: 1, acceptFailed: 3, handshakeFailed: 0, lastAcceptError: 'ENOBUFS: No buffer space' });
});

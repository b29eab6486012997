/**
 * `distlog tail` as a real child process following a real collector's PUB feed
 * (zmq-pub plugin) on a free loopback port: plain indented lines when piped,
 * `--json` LogEntry lines, filters, Ctrl-C exits 0.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { tailLine } from '../../src/cli/tail-command.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, goodMessage, pushSocket, sleep, waitFor } from '../collector/helpers.js';

const cli = fileURLToPath(new URL('../../src/cli/distlog.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const TASK = 'c0ffee00'.repeat(4);

async function collector(): Promise<{ handle: CollectorHandle; pub: string; send: (e: LogEntry[]) => Promise<void>; close: () => Promise<void> }> {
  const pub = `tcp://127.0.0.1:${await freePort()}`;
  const text = ['receiver: { endpoints: ["tcp://127.0.0.1:*"] }', 'stats: { intervalSeconds: 0 }', 'plugins:', `  - { type: zmq-pub, options: { endpoint: "${pub}" } }`].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  return {
    handle,
    pub,
    send: async (e) => void (await push.send(goodMessage(e))),
    close: async () => {
      push.close();
      await handle.stop();
    },
  };
}

function tail(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exit: Promise<number | null> } {
  // Piped stdout: not a terminal, so plain text (unless FORCE_COLOR says otherwise).
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, ['--import', tsx, cli, 'tail', ...args], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Sends `probe` until the tail prints something (ZeroMQ's slow joiner), then waits for quiet. */
async function untilJoined(c: { send: (e: LogEntry[]) => Promise<void> }, t: ReturnType<typeof tail>, probe: Partial<LogEntry>): Promise<void> {
  await waitFor('distlog tail printed a probe', async () => {
    await c.send([entry(probe)]);
    await sleep(100);
    return t.out().length > 0;
  }, 30_000);
  await sleep(300);
}

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('distlog tail (a real process on a real collector feed)', () => {
  it('prints one plain line per record, indented by depth, only the service asked for; Ctrl-C exits 0', async () => {
    const c = await collector();
    const t = tail(['--from', c.pub, '--service', 'orders', '--grep', '^(probe|order|reserve|charge)']);
    try {
      await untilJoined(c, t, { resource: { 'service.name': 'orders' }, message: 'probe' });
      const task = { task: TASK, resource: { 'service.name': 'orders' } };
      await c.send([
        entry({ ...task, path: '', seq: 0, event: 'enter', message: 'order 42' }),
        entry({ ...task, path: '1', seq: 0, event: 'enter', message: 'reserve stock' }),
        entry({ ...task, path: '1/2', seq: 1, message: 'charge card', level: 'DEBUG', severity: 5 }),
        entry({ ...task, path: '1', seq: 2, event: 'fail', message: 'reserve stock FAILED', level: 'ERROR', severity: 17, exception: { type: 'TypeError', message: 'boom' } }),
        entry({ task: TASK, path: '', seq: 1, message: 'order from elsewhere', resource: { 'service.name': 'billing' } }),
        entry({ ...task, path: '', seq: 5, message: 'not matching the grep' }),
      ]);
      await waitFor('the failure line', () => t.out().includes('reserve stock FAILED'), 20_000);
      await sleep(300);
      t.child.kill('SIGINT');
      assert.equal(await t.exit, 0, t.err());
      const out = t.out();
      assert.ok(!out.includes('\x1b['), 'no colour codes when stdout is a pipe');
      const got = lines(out).filter((l) => !l.endsWith(' probe'));
      assert.equal(got.length, 4, got.join('\n'));
      // TIME LEVEL service key <2 spaces per depth>message
      assert.match(got[0]!, /^\d\d:\d\d:\d\d\.\d{3} INFO  orders 0@c0ffee00 {3}order 42$/);
      assert.match(got[1]!, /^\S+ INFO  orders 0@c0ffee00\/1 {5}reserve stock$/);
      assert.match(got[2]!, /^\S+ DEBUG orders 1@c0ffee00\/1\/2 {7}charge card$/);
      assert.match(got[3]!, /^\S+ ERROR orders 2@c0ffee00\/1 {5}reserve stock FAILED \[TypeError: boom\]$/);
      assert.equal(t.err(), '');
    } finally {
      t.child.kill('SIGKILL');
      await c.close();
    }
  });

  it('--json prints one parseable LogEntry per line; --level and --task filter', async () => {
    const c = await collector();
    const t = tail(['--from', c.pub, '--json', '--level', 'warn', '--task', 'C0FFEE']);
    try {
      await untilJoined(c, t, { task: TASK, message: 'probe', level: 'FATAL', severity: 21 });
      const sent = [
        entry({ task: TASK, path: '2', seq: 3, message: 'disk almost full', level: 'WARN', severity: 13, attributes: { pct: 93 } }),
        entry({ task: TASK, path: '2', seq: 4, message: 'just info' }),
        entry({ task: 'f'.repeat(32), message: 'other task', level: 'ERROR', severity: 17 }),
        entry({ task: TASK, path: '', seq: 9, event: 'fail', message: 'FAILED job', level: 'ERROR', severity: 17, durationMs: 12.5, exception: { type: 'Error', message: 'x', stack: 'Error: x\n    at y' } }),
      ];
      await c.send(sent);
      await waitFor('the FAILED line', () => t.out().includes('FAILED job'), 20_000);
      await sleep(300);
      t.child.kill('SIGINT');
      assert.equal(await t.exit, 0, t.err());
      const got = lines(t.out()).map((l) => JSON.parse(l) as LogEntry).filter((e) => e.message !== 'probe');
      assert.deepEqual(got, [sent[0], sent[3]]);
    } finally {
      t.child.kill('SIGKILL');
      await c.close();
    }
  });

  it('names a bad option and exits 2', () => {
    const r = spawnSync(process.execPath, ['--import', tsx, cli, 'tail', '--level', 'loud'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^distlog tail: --level: unknown level "loud"; use TRACE, DEBUG, INFO, WARN, ERROR, FATAL/);
    const f = spawnSync(process.execPath, ['--import', tsx, cli, 'tail', '--from', 'tcp://127.0.0.1'], { encoding: 'utf8' });
    assert.equal(f.status, 2);
    assert.match(f.stderr, /^distlog tail: --from: invalid endpoint "tcp:\/\/127\.0\.0\.1"; use tcp:\/\/HOST:PORT/);
  });
});

describe('distlog tail lines on a terminal', () => {
  it('colours the level and paints a failure\'s whole line red', () => {
    const ok = tailLine(entry({ message: 'fine' }), true);
    assert.ok(ok.includes('\x1b[32mINFO '), ok);
    assert.ok(!ok.startsWith('\x1b[31m'));
    const failed = tailLine(entry({ task: TASK, path: '1', seq: 2, event: 'fail', level: 'ERROR', severity: 17, message: 'FAILED x', exception: { type: 'Error', message: 'y' } }), true);
    assert.ok(failed.startsWith('\x1b[31m') && failed.endsWith('\x1b[0m'), JSON.stringify(failed));
    // every reset inside the line turns red back on, so no part of it loses the colour
    assert.equal(failed.split('\x1b[0m').length - 1, failed.split('\x1b[0m\x1b[31m').length - 1 + 1);
    assert.equal(failed.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\S+ /, ''), 'ERROR svc 2@c0ffee00/1     FAILED x [Error: y]');
  });
});

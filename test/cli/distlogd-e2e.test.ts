/**
 * The whole way through real processes and sockets: an app using register()
 * and the ZeroMQ exporter → a distlogd process → the file plugin's JSON lines.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../src/protocol/index.js';
import { waitFor } from '../collector/helpers.js';
import { listeningEndpoint } from './run-distlogd.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsNode = (file: string, args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });

function lines(file: string): LogEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
}

it('records from an app reach the file plugin through distlogd with keys, levels, attributes and tree position', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-e2e-'));
  const config = join(dir, 'distlogd.yaml');
  // Any free port, chosen by distlogd as it binds: a port picked here first could be taken by
  // another test's socket before distlogd binds it, and the app would then log into that one.
  writeFileSync(
    config,
    `receiver:\n  endpoints: ["tcp://127.0.0.1:*"]\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: file\n    options:\n      directory: ./data\n      pattern: "{system}{kind}.jsonl"\n`,
  );
  const daemon = tsNode('src/cli/distlogd.ts', ['--config', config]);
  t.after(() => {
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  });
  let err = '';
  daemon.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('distlogd listening', () => listeningEndpoint(err) !== undefined || daemon.exitCode !== null, 60_000);
  const endpoint = listeningEndpoint(err);
  assert.ok(endpoint !== undefined && daemon.exitCode === null, `distlogd did not start:\n${err}`);

  const app = tsNode('test/cli/fixtures/shop-app.ts', [endpoint]);
  let out = '';
  let appErr = '';
  app.stdout.on('data', (c: Buffer) => (out += c.toString()));
  app.stderr.on('data', (c: Buffer) => (appErr += c.toString()));
  const [code] = (await once(app, 'exit')) as [number];
  assert.equal(code, 0, appErr);
  const T = out.trim();
  assert.match(T, /^[0-9a-f]{32}$/);

  const logFile = join(dir, 'data', 'TL.jsonl');
  const perfFile = join(dir, 'data', 'TP.jsonl');
  await waitFor('records written', () => lines(logFile).length >= 10 && lines(perfFile).length >= 1, 15_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${lines(logFile).length} log and ${lines(perfFile).length} perf lines\napp stderr:\n${appErr}\ndistlogd stderr:\n${err}`);
  });
  daemon.kill('SIGTERM');
  const [dcode] = (await once(daemon, 'exit')) as [number];
  assert.equal(dcode, 0, err);

  const logs = lines(logFile);
  assert.deepEqual(
    logs.map((e) => [e.key, e.level, e.event, e.message]),
    [
      [`0@${T}`, 'INFO', 'enter', 'checkout A-1'],
      [`1@${T}`, 'INFO', undefined, 'cart has 3 items'],
      [`0@${T}/1`, 'INFO', 'enter', 'charge card'],
      [`1@${T}/1`, 'WARN', undefined, 'bank slow: 250ms'],
      [`3@${T}/1`, 'INFO', 'exit', 'charged 12.50'],
      [`0@${T}/2`, 'INFO', 'enter', 'send mail'],
      [`1@${T}/2`, 'ERROR', 'fail', 'FAILED send mail'],
      [`2@${T}`, 'INFO', undefined, 'mail will be retried'],
      [`3@${T}`, 'INFO', 'exit', 'checkout A-1'],
      [undefined, 'INFO', undefined, 'checkout finished'],
    ],
  );
  const [enter, cart, charge, warn, chargeExit, mail, mailFail] = logs;
  assert.deepEqual(cart!.attributes, { items: 3, user: 'leo' });
  assert.deepEqual(warn!.attributes, { bank: 'acme', amount: 12.5 });
  assert.equal(warn!.severity, 13);
  assert.equal(warn!.logger, 'shop.checkout');
  assert.equal(charge!.parentSpan, enter!.span);
  assert.equal(mail!.path, '2');
  assert.ok(chargeExit!.durationMs! >= 0);
  assert.deepEqual(mailFail!.exception && { type: mailFail!.exception.type, message: mailFail!.exception.message }, { type: 'TypeError', message: 'smtp down' });
  assert.ok(logs.every((e) => e.resource['service.name'] === 'shop' && e.system === 'T' && e.kind === 'L'));

  // performance data travels as kind P, in its scope, and is stored apart
  const [p] = lines(perfFile);
  assert.equal(p!.kind, 'P');
  assert.equal(p!.key, `2@${T}/1`);
  assert.equal(p!.message, 'bank.call');
  assert.deepEqual(p!.attributes, { ms: 250, ok: true, amount: 12.5 });
});

/**
 * `npm run demo`: runs the examples against distlogd and opens the web view.
 *
 * If a distlogd already listens on 127.0.0.1:5010 (you ran `npm start`), the
 * examples send to it and the trees appear in that terminal (its default
 * config has no web plugin). Otherwise this starts one with the console, file
 * and web plugins, prints the web view's URL, runs the basic example (its tree
 * printed here) and the two-service web-view example (a storefront calling a
 * payments service, one order failing there), and keeps distlogd running so
 * you can look at the trees in the browser: Ctrl-C stops it.
 *
 *   --once            stop once the examples are done (for scripts)
 *   DEMO_WEB_PORT     the web view's port (default 5080; 0 = any free port)
 *   DEMO_ENDPOINT     distlogd's ZeroMQ endpoint (default tcp://127.0.0.1:5010; tcp://127.0.0.1:* = any)
 *   DEMO_DATA         the file plugin's folder (default ./distlog-data: earlier runs' tasks show as stored)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const exitWhenDone = process.argv.includes('--once');
const node = (args: string[], env: Record<string, string> = {}, stdout: 'inherit' | 'pipe' = 'inherit'): ChildProcess =>
  spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, stdout === 'pipe' ? 'pipe' : 'inherit'],
  });

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code ?? 1;
}

/** Starts distlogd with console, file and web plugins; resolves with its endpoint and the web view's URL. */
async function startCollector(endpoint: string, webPort: string): Promise<{ daemon: ChildProcess; endpoint: string; url: string }> {
  const webBusy = webPort !== '0' && (await listening(Number(webPort)));
  const config = join(mkdtempSync(join(tmpdir(), 'distlog-demo-')), 'distlogd.yaml');
  writeFileSync(
    config,
    [
      'receiver:',
      `  endpoints: ["${endpoint}"]`,
      'stats: { intervalSeconds: 0 }',
      'plugins:',
      '  - type: console',
      '  - type: file',
      `    options: { directory: ${JSON.stringify(process.env.DEMO_DATA ?? join(root, 'distlog-data'))} }`,
      '  - type: web',
      `    options: { endpoint: "127.0.0.1:${webBusy ? 0 : webPort}" }`,
      '    queue: { whenFull: drop_newest }',
      '',
    ].join('\n'),
  );
  const daemon = node(['src/cli/distlogd.ts', '--config', config], {}, 'pipe');
  let err = '';
  daemon.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    process.stderr.write(c);
  });
  daemon.stdout!.pipe(process.stdout);
  for (let i = 0; i < 600 && daemon.exitCode === null && !/web view on http/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
  const url = /web view on (http:\/\/\S+\/)/.exec(err)?.[1];
  const bound = /listening on (tcp:\/\/\S+) \(ZeroMQ PULL\)/.exec(err)?.[1];
  if (!url || !bound) {
    daemon.kill('SIGTERM');
    throw new Error(`distlogd did not start (see its lines above)`);
  }
  return { daemon, endpoint: bound, url };
}

function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = `+${'-'.repeat(width + 2)}+`;
  process.stdout.write(`\n${bar}\n${lines.map((l) => `| ${l.padEnd(width)} |`).join('\n')}\n${bar}\n\n`);
}

/** The web-view example: payments (HTTP server) and storefront (three orders, B-2 fails at payments). */
async function runWebExample(endpoint: string): Promise<void> {
  const payments = node(['otel-examples/web-view/payments.ts'], { DISTLOG_ENDPOINT: endpoint, PORT: '0' }, 'pipe');
  payments.stderr!.pipe(process.stderr);
  let first = '';
  for await (const chunk of payments.stdout!) {
    first += String(chunk);
    if (first.includes('\n')) break;
  }
  const paymentsUrl = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  if (!paymentsUrl) throw new Error(`the payments service did not start: ${first}`);
  const storefront = node(['otel-examples/web-view/storefront.ts'], { DISTLOG_ENDPOINT: endpoint, PAYMENTS_URL: paymentsUrl });
  await exited(storefront);
  payments.kill('SIGTERM'); // it flushes its records on SIGTERM
  await exited(payments);
}

// The page is built by `npm ci` (prepare); rebuild it when its sources changed since.
// @ts-expect-error: a plain ES module without types
const web = (await import('../../scripts/build-web.mjs')) as { isWebBuildStale(): boolean; buildWeb(): Promise<void> };
if (web.isWebBuildStale()) await web.buildWeb();

const demoEndpoint = process.env.DEMO_ENDPOINT ?? 'tcp://127.0.0.1:5010';
if (demoEndpoint === 'tcp://127.0.0.1:5010' && (await listening(5010))) {
  console.log('demo: distlogd is already running on tcp://127.0.0.1:5010; the trees appear in its console');
  console.log('demo: (for the web view, add `- type: web` to its plugins, or stop it and run `npm run demo` alone)');
  await exited(node(['otel-examples/basic/main.ts']));
  await runWebExample(demoEndpoint);
  process.exit(0);
}

const { daemon, endpoint, url } = await startCollector(demoEndpoint, process.env.DEMO_WEB_PORT ?? '5080');
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  daemon.kill('SIGTERM');
  await exited(daemon);
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

banner([`distlog web view: ${url}`, 'open it now: the tasks appear live as the examples run']);
const code = await exited(node(['otel-examples/basic/main.ts'], { DISTLOG_ENDPOINT: endpoint }));
await runWebExample(endpoint);
await new Promise((r) => setTimeout(r, 500)); // let the console plugin print the last records
if (exitWhenDone) await stop(code);
banner([`demo: done. The web view stays at ${url}`, 'click "checkout order B-2" to see its failed branch; Ctrl-C stops distlogd']);
console.log(`demo: all examples done`);

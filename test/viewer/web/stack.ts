/**
 * What the web tests run for real: a distlogd process with the web plugin on a
 * free port, the demo's two services (otel-examples/web-view) sending to it,
 * and Debian's chromium driven by playwright-core. The page is built first
 * when its sources are newer than dist/web (scripts/build-web.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '../../collector/helpers.js';
import { firstLine } from '../../helpers/child-output.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = join(root, 'test-results');

export async function ensureWebBuilt(): Promise<void> {
  // @ts-expect-error: a plain ES module without types
  const build = (await import('../../../scripts/build-web.mjs')) as { isWebBuildStale(): boolean; buildWeb(): Promise<void> };
  if (build.isWebBuildStale()) await build.buildWeb();
}

/** Chromium or a loud failure saying how to install it: never a skip. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install.sh (it installs Debian's chromium); the web tests need it`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return join(RESULTS, name);
}

export interface Daemon {
  /** The web view's base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** The ZeroMQ endpoint apps send to. */
  endpoint: string;
  dir: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** Starts distlogd with a file plugin and the web plugin (its options as YAML flow text) on free ports. */
export async function startDaemon(webOptions = '{ endpoint: "127.0.0.1:0" }', extraPlugins = ''): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-web-'));
  const config = join(dir, 'distlogd.yaml');
  writeFileSync(
    config,
    [
      'receiver:',
      '  endpoints: [tcp://127.0.0.1:*]',
      'stats: { intervalSeconds: 0 }',
      'plugins:',
      '  - type: file',
      '    options: { directory: ./data }',
      '  - type: web',
      `    options: ${webOptions}`,
      extraPlugins,
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/distlogd.ts', '--config', config], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await waitFor('distlogd to start the web view', () => /web view on http:\/\/\S+\//.test(err) || child.exitCode !== null, 60_000).catch(() => {
    throw new Error(`distlogd did not start:\n${err}`);
  });
  if (child.exitCode !== null) throw new Error(`distlogd exited ${child.exitCode}:\n${err}`);
  const url = /web view on (http:\/\/\S+\/)/.exec(err)![1]!;
  const endpoint = /listening on (tcp:\/\/\S+) \(ZeroMQ PULL\)/.exec(err)![1]!;
  return {
    url,
    endpoint,
    dir,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

function example(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', `otel-examples/web-view/${file}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export interface Services {
  /** Resolves with the storefront's output once it has placed every order. */
  done: Promise<string>;
  stop(): Promise<void>;
}

/** The two demo services (payments, storefront) as separate processes, sending to `endpoint`. */
export async function startServices(endpoint: string, env: Record<string, string>): Promise<Services> {
  const payments = example('payments.ts', { DISTLOG_ENDPOINT: endpoint, PORT: '0' });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(payments))?.[1];
  if (!url) throw new Error('the payments service printed no URL');
  const storefront = example('storefront.ts', { DISTLOG_ENDPOINT: endpoint, PAYMENTS_URL: url, ...env });
  let out = '';
  storefront.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const done = once(storefront, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`storefront exited ${String(code)}: ${out}`);
    return out;
  });
  return {
    done,
    stop: async () => {
      for (const p of [storefront, payments]) {
        if (p.exitCode === null && p.signalCode === null) {
          p.kill('SIGTERM');
          await once(p, 'exit');
        }
      }
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DISTLOGD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'distlogd.ts');
const TSX = import.meta.resolve('tsx');

/** A distlogd process started as a user would, with its output collected. */
export interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

export function distlogd(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, ['--import', TSX, DISTLOGD, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/**
 * The ZeroMQ endpoint a distlogd printed it listens on. Tests bind `tcp://127.0.0.1:*`
 * and read the port here: a port picked by the test before distlogd starts can be
 * taken by another test's socket in between.
 */
export function listeningEndpoint(stderr: string): string | undefined {
  return /listening on (tcp:\S+) \(ZeroMQ PULL\)/.exec(stderr)?.[1];
}

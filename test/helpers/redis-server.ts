/**
 * A real redis-server for tests: a child process on a free loopback port with
 * a temporary folder, nothing persisted. It can be stopped and started again
 * on the same port mid-test (an outage). A missing binary fails the test with
 * the way to install it; never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../collector/helpers.js';

const BINARY = 'redis-server';

export function requireRedisBinary(name = BINARY): void {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${name} not found (${r.error?.message ?? `exit ${r.status}`}): run scripts/install.sh (it installs Debian's redis-server)`);
  }
}

/** Sends PING on a fresh connection; true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1_000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (b) => {
      data += b.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

export class RedisServer {
  private proc: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server on `port` (default: a free one) and waits until it answers PING. */
  static async start(port?: number): Promise<RedisServer> {
    requireRedisBinary();
    const server = new RedisServer(port ?? (await freePort()), mkdtempSync(join(tmpdir(), 'distlog-redis-')));
    await server.resume();
    return server;
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** (Re)starts the server on its port; resolves when it answers PING. */
  async resume(timeoutMs = 20_000): Promise<void> {
    if (this.proc) return;
    const proc = spawn(BINARY, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.output = '';
    proc.stdout!.on('data', (b: Buffer) => (this.output = (this.output + b.toString()).slice(-4000)));
    proc.stderr!.on('data', (b: Buffer) => (this.output = (this.output + b.toString()).slice(-4000)));
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      if (this.proc === proc) this.proc = undefined;
    });
    const end = Date.now() + timeoutMs;
    while (!(await ping(this.port))) {
      if (exited) throw new Error(`redis-server on port ${this.port} exited at start:\n${this.output}`);
      if (Date.now() > end) throw new Error(`redis-server on port ${this.port} did not answer PING within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s); data is gone (nothing persisted). */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.proc = undefined;
  }

  /** Stops the server and removes its folder. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

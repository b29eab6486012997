/**
 * A real FerretDB (MongoDB wire protocol over SQLite) for tests: a child
 * process on a free loopback port with a temporary data folder, ready once it
 * answers a MongoDB ping; stop() and start() again keep the port and the data,
 * so a test can simulate an outage. A missing binary fails the test and names
 * the install script: never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../collector/helpers.js';

export const FERRETDB_VERSION = 'v1.24.2';

/** Where scripts/install.sh caches the binary (or $FERRETDB_BIN). */
export function ferretdbBinary(): string {
  const bin = process.env.FERRETDB_BIN ?? join(process.env.DISTLOG_CACHE ?? join(homedir(), '.cache', 'distlog'), `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
  if (!existsSync(bin)) {
    throw new Error(`FerretDB ${FERRETDB_VERSION} not found at ${bin}: run scripts/install.sh (it builds FerretDB from the Go module proxy and caches it there)`);
  }
  return bin;
}

export class FerretDB {
  private proc: ChildProcess | undefined;
  private output = '';
  private constructor(
    readonly bin: string,
    readonly port: number,
    readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  /**
   * Starts a FerretDB with a fresh data folder and waits until it answers.
   * `port`: a given port (default: a free one); `extraArgs`: more ferretdb flags.
   */
  static async start(opts: { port?: number; extraArgs?: readonly string[]; timeoutMs?: number } = {}): Promise<FerretDB> {
    const bin = ferretdbBinary();
    const db = new FerretDB(bin, opts.port ?? (await freePort()), mkdtempSync(join(tmpdir(), 'distlog-ferretdb-')), opts.extraArgs ?? []);
    await db.restart(opts.timeoutMs);
    return db;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** (Re)starts the server on the same port and data folder; resolves once a ping succeeds. */
  async restart(timeoutMs = 60_000): Promise<void> {
    if (this.running) return;
    this.output = '';
    const proc = spawn(
      this.bin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/`,
        `--state-dir=${this.dir}`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--debug-addr=-',
        // Without it FerretDB tries to reach its telemetry service on the internet.
        '--telemetry=disable',
        '--log-level=warn',
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.proc = proc;
    // A test process that dies without its after() hooks must not leave the server running.
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    proc.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`ferretdb exited at start (code ${proc.exitCode}, signal ${proc.signalCode}):\n${this.output}`);
      if (await this.ping()) return;
      if (Date.now() > end) {
        await this.stop();
        throw new Error(`ferretdb did not answer on ${this.uri} within ${timeoutMs} ms:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async ping(): Promise<boolean> {
    const c = new MongoClient(this.uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await c.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    } finally {
      await c.close().catch(() => undefined);
    }
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s); the data folder stays for restart(). */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = once(p, 'exit');
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server and removes its data folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What the server printed (warnings and errors at --log-level=warn). */
  get log(): string {
    return this.output;
  }
}

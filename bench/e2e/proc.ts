/**
 * Process plumbing for the e2e benchmark: spawning TypeScript children, reading
 * their report lines, peak RSS from /proc, free ports, and counting the lines the
 * file plugin has written so far.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Wall-clock milliseconds comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface Child {
  proc: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the first stdout line matching `re` (waits for it). */
  waitFor: (re: RegExp, timeoutMs: number) => Promise<string>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  cwd?: string;
  echo?: boolean;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}

export function spawnTs(file: string, args: string[], options: SpawnOptions = {}): Child {
  // Compiled JavaScript runs as is; TypeScript through the tsx loader.
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, file, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  let errPartial = '';
  const onLine = (line: string): void => {
    if (options.echo) console.log(`    | ${line}`);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.re.test(line)) waiters.splice(i, 1)[0]!.resolve(line);
    }
  };
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      onLine(line);
    }
  });
  // Daemons report on stderr; waitFor() sees those lines too.
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    err += chunk;
    errPartial += chunk;
    let nl: number;
    while ((nl = errPartial.indexOf('\n')) >= 0) {
      const line = errPartial.slice(0, nl);
      errPartial = errPartial.slice(nl + 1);
      onLine(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, timeoutMs: number): Promise<string> => {
    const seen = lines.find((l) => re.test(l)) ?? err.split('\n').find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file}: no line matching ${re} within ${timeoutMs} ms\nstdout:\n${lines.join('\n')}\nstderr:\n${err}`)), timeoutMs);
      waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${file} exited (${code}) before a line matching ${re}\nstdout:\n${lines.join('\n')}\nstderr:\n${err}`));
      });
    });
  };
  return { proc, lines, stderr: () => err, waitFor, exited };
}

/** The JSON object on the last stdout line that parses as one with `key`. */
export function jsonReport<T>(child: Child, key: string): T {
  for (let i = child.lines.length - 1; i >= 0; i--) {
    const line = child.lines[i]!;
    if (!line.startsWith('{')) continue;
    try {
      const v = JSON.parse(line) as Record<string, unknown>;
      if (key in v) return v as T;
    } catch {
      // not a report line
    }
  }
  throw new Error(`no JSON report with "${key}" in output:\n${child.lines.join('\n')}\n${child.stderr()}`);
}

/** Peak resident set size of a live process (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** CPU time (user + system, in clock ticks) a live process has used; -1 once it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Counts newline bytes in every file under a folder, reading only what was
 * appended since the last call. Files are told apart by inode, not by name: a
 * rotation renames the full file and opens a new one under the old name, and
 * keying by path would count the renamed file's lines a second time.
 */
export class LineCounter {
  private readonly offsets = new Map<string, number>();
  private readonly buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  lines = 0;
  bytes = 0;

  constructor(private readonly dir: string) {}

  poll(): number {
    for (const file of walk(this.dir)) {
      let size: number;
      let inode: string;
      try {
        const st = statSync(file);
        size = st.size;
        inode = `${st.dev}:${st.ino}`;
      } catch {
        continue;
      }
      let offset = this.offsets.get(inode) ?? 0;
      if (size <= offset) continue;
      const fd = openSync(file, 'r');
      try {
        while (offset < size) {
          const n = readSync(fd, this.buf, 0, Math.min(this.buf.length, size - offset), offset);
          if (n <= 0) break;
          let i = -1;
          while ((i = this.buf.indexOf(10, i + 1)) !== -1 && i < n) this.lines++;
          offset += n;
          this.bytes += n;
        }
      } finally {
        closeSync(fd);
      }
      this.offsets.set(inode, offset);
    }
    return this.lines;
  }
}

function walk(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    try {
      if (statSync(p).isDirectory()) walk(p, out);
      else out.push(p);
    } catch {
      // vanished between readdir and stat (rotation)
    }
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

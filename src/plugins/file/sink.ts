/**
 * The `file` plugin instance: one JSON line per LogEntry, files chosen by the
 * name pattern (system, kind, date), rotation by size (the full file is
 * renamed `name.N.ext`, N = 1, 2, ... oldest first, and a fresh file takes
 * the name, so `tail -F` keeps following) and by day (a new {date}).
 * Each consumed batch costs one async write per target file.
 */
import { readdir, rename } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginContext, PluginInstance } from '../api.js';
import type { FileOptions } from './config.js';
import { JsonlFile } from './jsonl-file.js';

const SYSTEM_NAMES: Record<string, string> = { T: 'test', S: 'staging', P: 'production' };
const KIND_NAMES: Record<string, string> = { L: 'log', P: 'perf' };

export class FileSink implements PluginInstance {
  readonly directory: string;
  private readonly files = new Map<string, JsonlFile>();
  private readonly nextIndex = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private date = '';
  private dateEnds = 0;
  private stopped = false;

  constructor(
    private readonly opts: FileOptions,
    private readonly ctx: Pick<PluginContext, 'baseDir' | 'logger'>,
    /** Clock, injectable so day rotation can be tested. */
    private readonly now: () => number = Date.now,
  ) {
    this.directory = resolve(ctx.baseDir, opts.directory);
  }

  describe(): string {
    const rot = this.opts.maxBytes ? `rotate at ${this.opts.maxBytes} bytes` : 'no size rotation';
    return `JSON lines to ${join(this.directory, this.opts.pattern)} (${rot}, fsync ${this.opts.fsync})`;
  }

  start(): void {
    if (this.opts.fsync === 'interval') {
      this.timer = setInterval(() => void this.syncAll().catch((e: Error) => this.ctx.logger.warn(`fsync: ${e.message}`)), this.opts.fsyncIntervalMs);
      this.timer.unref();
    }
  }

  /** Current {date}; recomputed only when the day is over. */
  private currentDate(): string {
    const t = this.now();
    if (t < this.dateEnds) return this.date;
    const d = new Date(t);
    const utc = this.opts.timezone === 'utc';
    const y = utc ? d.getUTCFullYear() : d.getFullYear();
    const m = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
    const day = utc ? d.getUTCDate() : d.getDate();
    this.date = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    this.dateEnds = utc ? Date.UTC(y, m - 1, day + 1) : new Date(y, m - 1, day + 1).getTime();
    return this.date;
  }

  fileName(system: string, kind: string, date: string): string {
    return this.opts.pattern.replace(/\{(\w+)\}/g, (_, p: string) => {
      switch (p) {
        case 'system': return system;
        case 'kind': return kind;
        case 'systemName': return SYSTEM_NAMES[system] ?? system;
        case 'kindName': return KIND_NAMES[kind] ?? kind;
        default: return date;
      }
    });
  }

  async consume(batch: readonly LogEntry[]): Promise<void> {
    if (this.stopped) throw new Error('file plugin is shut down');
    const before = this.date;
    const date = this.currentDate();
    if (before && date !== before) await this.closeAll();
    const groups = new Map<string, string[]>();
    for (const e of batch) {
      const k = e.system + e.kind;
      let lines = groups.get(k);
      if (!lines) groups.set(k, (lines = []));
      lines.push(JSON.stringify(e));
    }
    for (const [k, lines] of groups) await this.append(this.fileName(k[0]!, k[1]!, date), lines);
    if (this.opts.fsync === 'batch') await this.syncAll();
  }

  private async append(name: string, lines: string[]): Promise<void> {
    let file = await this.open(name);
    const max = this.opts.maxBytes;
    const whole = Buffer.from(lines.join('\n') + '\n', 'utf8');
    // The common case: the whole batch fits, one encode and one write, no per-line sizing.
    if (!max || file.size + whole.length <= max) return file.write(whole);
    let chunk: string[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      const n = Buffer.byteLength(line) + 1;
      if (file.size + chunkBytes + n > max && file.size + chunkBytes > 0) {
        if (chunk.length) await file.write(chunk.join('\n') + '\n');
        chunk = [];
        chunkBytes = 0;
        file = await this.rotate(name, file);
      }
      chunk.push(line);
      chunkBytes += n;
    }
    if (chunk.length) await file.write(chunk.join('\n') + '\n');
  }

  private async open(name: string): Promise<JsonlFile> {
    let file = this.files.get(name);
    if (!file) {
      file = await JsonlFile.open(join(this.directory, name));
      this.files.set(name, file);
    }
    return file;
  }

  /** Renames the full file to the next free `base.N.ext` and opens a fresh one. */
  private async rotate(name: string, file: JsonlFile): Promise<JsonlFile> {
    await file.close(this.opts.fsync !== 'never');
    this.files.delete(name);
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let n = this.nextIndex.get(name);
    if (n === undefined) {
      // First rotation of this name in this run: continue after files left by earlier runs.
      const dir = dirname(file.path);
      const prefix = basename(stem) + '.';
      n = 1;
      for (const f of await readdir(dir)) {
        if (!f.startsWith(prefix) || !f.endsWith(ext)) continue;
        const idx = Number(f.slice(prefix.length, f.length - ext.length));
        if (Number.isInteger(idx) && idx >= n) n = idx + 1;
      }
    }
    this.nextIndex.set(name, n + 1);
    await rename(file.path, join(this.directory, `${stem}.${n}${ext}`));
    return this.open(name);
  }

  private async syncAll(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.sync()));
  }

  private async closeAll(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    this.nextIndex.clear();
    await Promise.all(files.map((f) => f.close(this.opts.fsync !== 'never')));
  }

  async flush(): Promise<void> {
    // Writes are not buffered in-process beyond a consume() call; flushing means reaching the disk.
    if (this.opts.fsync !== 'never') await this.syncAll();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.closeAll();
  }
}

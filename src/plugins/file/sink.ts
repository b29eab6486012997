/**
 * The `file` plugin instance: one JSON line per LogEntry, files chosen by the
 * name pattern (system, kind, date), rotation by size (the full file is
 * renamed `name.N.ext`, N = 1, 2, ... oldest first, and a fresh file takes
 * the name, so `tail -F` keeps following) and by day (a new {date}).
 *
 * Two inputs, one path: consumeLines() takes records already written as JSON
 * lines by the collector (no LogEntry built at all); consume() first encodes
 * its entries with one JsonLineWriter into one reusable buffer (no string per
 * record). Either way the lines are grouped by system and kind and written
 * with one async write per target file (line-groups.ts). A batch is all or nothing on disk: if any write fails (ENOSPC,
 * EIO) every file it touched is cut back to where it was, the error goes to the
 * router, which retries the whole batch and counts it dropped in the end, so
 * the counters always match the lines on disk and a retry writes no duplicate.
 * A record that cannot be encoded (nested too deep, a throwing getter) is
 * dropped alone and reported as such; its neighbours are written.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { JsonLineWriter } from '../../protocol/json-line.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import { KIND_NAMES, SYSTEM_NAMES } from '../../protocol/names.js';
import { lineCount, type ConsumeResult, type JsonLines, type PluginContext, type PluginInstance } from '../api.js';
import type { FileOptions } from './config.js';
import { JsonlFile, nodeFileSystem, type FileSystem } from './jsonl-file.js';
import { encodeEntries, groupBySystemKind } from './line-groups.js';
import { RefusalReporter } from './refusals.js';


export interface FileSinkSeams {
  /** Clock, so day rotation can be tested. */
  now?: () => number;
  /** File system, so a failing disk can be tested without one. */
  fs?: FileSystem;
}

/** Sizes of the files a batch touched before it: what to cut them back to if it fails. */
type Undo = Map<JsonlFile, number>;

export class FileSink implements PluginInstance {
  readonly directory: string;
  private readonly files = new Map<string, JsonlFile>();
  private readonly nextIndex = new Map<string, number>();
  private readonly writer = new JsonLineWriter({ initialBytes: 256 * 1024 });
  private readonly refusals: RefusalReporter;
  private readonly now: () => number;
  private readonly fs: FileSystem;
  private timer: NodeJS.Timeout | undefined;
  private date = '';
  private dateEnds = 0;
  private stopped = false;

  constructor(
    private readonly opts: FileOptions,
    private readonly ctx: Pick<PluginContext, 'baseDir' | 'logger'>,
    seams: FileSinkSeams = {},
  ) {
    this.directory = resolve(ctx.baseDir, opts.directory);
    this.now = seams.now ?? Date.now;
    this.fs = seams.fs ?? nodeFileSystem;
    this.refusals = new RefusalReporter(ctx.logger);
  }

  describe(): string {
    const rot = this.opts.maxBytes ? `rotate at ${this.opts.maxBytes} bytes` : 'no size rotation';
    return `JSON lines to ${join(this.directory, this.opts.pattern)} (${rot}, fsync ${this.opts.fsync})`;
  }

  /** Creates the directory and proves it writable, so a wrong path fails the start, not the first batch. */
  async start(): Promise<void> {
    const dir = this.directory;
    try {
      await this.fs.mkdir(dir);
    } catch (err) {
      // mkdir -p on a read-only parent says ENOENT: name the folder that stopped it.
      let parent = dirname(dir);
      while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
      throw new Error(`cannot create directory ${dir} (nearest existing folder ${parent} is not writable?): ${(err as Error).message}`);
    }
    const probe = join(dir, `.distlogd-write-check-${process.pid}`);
    try {
      // Creating a file needs the rights (and a writable mount) that the output files
      // need; it writes no data, so a disk that is full for now does not stop the start.
      const h = await this.fs.open(probe, 'w');
      await h.close();
      await this.fs.unlink(probe);
    } catch (err) {
      throw new Error(`cannot write to directory ${dir}: ${(err as Error).message}`);
    }
    if (this.opts.fsync === 'interval' && !this.timer) {
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
        case 'systemName': return (SYSTEM_NAMES as Record<string, string>)[system] ?? system;
        case 'kindName': return (KIND_NAMES as Record<string, string>)[kind] ?? kind;
        default: return date;
      }
    });
  }

  async consume(batch: readonly LogEntry[]): Promise<ConsumeResult | void> {
    if (this.stopped) throw new Error('file plugin is shut down');
    if (batch.length === 0) return;
    let dropped = 0;
    try {
      const lines = encodeEntries(this.writer, batch, (e, err) => {
        dropped++;
        this.refusals.note(e, err);
      });
      await this.writeLines(lines);
    } finally {
      this.writer.reset();
      this.writer.trim();
    }
    this.refusals.flush();
    return dropped ? { dropped } : undefined;
  }

  /** The records as ready JSON lines (the collector made them from the wire): written as they are. */
  async consumeLines(lines: JsonLines): Promise<void> {
    if (this.stopped) throw new Error('file plugin is shut down');
    if (lineCount(lines) === 0) return;
    await this.writeLines(lines);
  }

  /** One batch, all or nothing: each (system, kind) group to its file; on failure every touched file is cut back. */
  private async writeLines(lines: JsonLines): Promise<void> {
    const before = this.date;
    const date = this.currentDate();
    if (before && date !== before) await this.closeAll();
    if (lineCount(lines) === 0) return;
    const undo: Undo = new Map();
    try {
      for (const g of groupBySystemKind(lines)) await this.writeGroup(this.fileName(g.system, g.kind, date), g.lines, undo);
      if (this.opts.fsync === 'batch') await Promise.all([...undo.keys()].map((f) => f.sync()));
    } catch (err) {
      await this.rollback(undo);
      throw err;
    }
  }

  /** Appends one file's lines, rotating at maxBytes between lines (never inside one). */
  private async writeGroup(name: string, lines: JsonLines, undo: Undo): Promise<void> {
    const { bytes, ends } = lines;
    const total = bytes.length;
    let file = await this.open(name, undo);
    const max = this.opts.maxBytes;
    // The common case: everything fits, one write.
    if (!max || file.size + total <= max) {
      await file.append(bytes, 0, total);
      return;
    }
    let from = 0;
    let i = 0;
    while (i < ends.length) {
      let to = from;
      while (i < ends.length && file.size + (ends[i]! - from) <= max) to = ends[i++]!;
      if (to === from) {
        if (file.size > 0) {
          file = await this.rotate(name, file, undo);
          continue;
        }
        to = ends[i++]!; // one line longer than maxBytes: it gets a file of its own
      }
      await file.append(bytes, from, to);
      from = to;
      if (i < ends.length) file = await this.rotate(name, file, undo);
    }
  }

  private async open(name: string, undo: Undo): Promise<JsonlFile> {
    let file = this.files.get(name);
    if (!file) {
      const path = join(this.directory, name);
      file = await JsonlFile.open(this.fs, path, dirname(path));
      this.files.set(name, file);
    }
    if (!undo.has(file)) undo.set(file, file.size);
    return file;
  }

  /** Renames the full file to the next free `base.N.ext` and opens a fresh one. */
  private async rotate(name: string, file: JsonlFile, undo: Undo): Promise<JsonlFile> {
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
      for (const f of await this.fs.readdir(dir)) {
        if (!f.startsWith(prefix) || !f.endsWith(ext)) continue;
        const idx = Number(f.slice(prefix.length, f.length - ext.length));
        if (Number.isInteger(idx) && idx >= n) n = idx + 1;
      }
    }
    this.nextIndex.set(name, n + 1);
    const rotated = join(this.directory, `${stem}.${n}${ext}`);
    await this.fs.rename(file.path, rotated);
    // A rollback of this batch must find the file under its new name.
    file.path = rotated;
    return this.open(name, undo);
  }

  /** Cuts every file the failed batch touched back to its size before the batch. */
  private async rollback(undo: Undo): Promise<void> {
    for (const [file, size] of undo) {
      try {
        await file.truncateTo(size);
      } catch (err) {
        this.ctx.logger.error(`could not undo a failed batch in ${file.path} (cut back to ${size} bytes): ${(err as Error).message}`);
      }
    }
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

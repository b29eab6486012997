/**
 * One open output file. It appends whole lines or none: when a write fails
 * part-way (ENOSPC after a short write, EIO, ...) the file is cut back to the
 * last whole line it held, so a reader never meets a torn JSON line and the
 * plugin's counters can match the lines on disk. It keeps its size, so the
 * sink can rotate before a file outgrows its limit without a stat() per write.
 *
 * All file-system calls go through `FileSystem` (node:fs/promises by default):
 * the seam through which tests give the sink a disk that fails on demand.
 */
import * as fsp from 'node:fs/promises';

/** The part of node's FileHandle the plugin uses. */
export interface FileHandleLike {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  stat(): Promise<{ size: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls the plugin makes; `nodeFileSystem` is the real one. */
export interface FileSystem {
  /** `a`: append (creating), for output files; `w`: create/truncate, for the start-up probe. */
  open(path: string, flags: 'a' | 'w'): Promise<FileHandleLike>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  truncate(path: string, length: number): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeFileSystem: FileSystem = {
  open: (path, flags) => fsp.open(path, flags),
  mkdir: async (path) => void (await fsp.mkdir(path, { recursive: true })),
  rename: (from, to) => fsp.rename(from, to),
  readdir: (path) => fsp.readdir(path),
  truncate: (path, length) => fsp.truncate(path, length),
  unlink: (path) => fsp.unlink(path),
};

export class JsonlFile {
  private dirty = false;
  private closed = false;
  /** Set when a failed write could not be cut back: the next append tries again first. */
  private tornAt: number | undefined;

  private constructor(
    private readonly fs: FileSystem,
    /** Where the file is now (a rotation renames it). */
    public path: string,
    private readonly handle: FileHandleLike,
    /** Bytes of whole lines in the file. */
    public size: number,
  ) {}

  static async open(fs: FileSystem, path: string, dir: string): Promise<JsonlFile> {
    await fs.mkdir(dir);
    const handle = await fs.open(path, 'a');
    try {
      const { size } = await handle.stat();
      return new JsonlFile(fs, path, handle, size);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** Appends `buf[start, end)`, which holds whole lines: all of them, or none. */
  async append(buf: Buffer, start: number, end: number): Promise<void> {
    if (this.closed) throw new Error(`${this.path} is closed`);
    if (this.tornAt !== undefined) await this.cutBack(this.tornAt, undefined);
    const good = this.size;
    let off = start;
    try {
      // FileHandle.write may write less than asked (a disk filling up does exactly that).
      while (off < end) {
        const { bytesWritten } = await this.handle.write(buf, off, end - off);
        if (bytesWritten <= 0) throw Object.assign(new Error(`write to ${this.path} made no progress`), { code: 'EIO' });
        off += bytesWritten;
      }
    } catch (err) {
      // Bytes already appended end in a partial line: cut the file back to `good`.
      if (off > start) await this.cutBack(good, err as Error);
      throw err;
    }
    this.size = good + (end - start);
    this.dirty = true;
  }

  /** Cuts the file back to `size` bytes (undoing appends of a batch that failed later). */
  async truncateTo(size: number): Promise<void> {
    if (size >= this.size && this.tornAt === undefined) return;
    if (this.closed) await this.fs.truncate(this.path, size);
    else await this.handle.truncate(size);
    this.size = size;
    this.tornAt = undefined;
  }

  private async cutBack(size: number, cause: Error | undefined): Promise<void> {
    try {
      await this.handle.truncate(size);
      this.size = size;
      this.tornAt = undefined;
    } catch (err) {
      this.tornAt = size;
      const why = cause ? `${cause.message}; ` : '';
      throw new Error(`${why}could not cut ${this.path} back to its last whole line at ${size} bytes (${(err as Error).message}); will retry before the next write`);
    }
  }

  async sync(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    try {
      await this.handle.datasync();
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  async close(sync: boolean): Promise<void> {
    if (this.closed) return;
    try {
      if (sync) await this.sync();
    } finally {
      this.closed = true;
      await this.handle.close();
    }
  }
}

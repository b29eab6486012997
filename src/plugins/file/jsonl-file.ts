/**
 * One open output file: appends whole chunks with async writes and keeps its
 * size, so the sink can rotate before a file outgrows its limit without a
 * stat() per write.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export class JsonlFile {
  private dirty = false;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    public size: number,
  ) {}

  static async open(path: string): Promise<JsonlFile> {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    const { size } = await handle.stat();
    return new JsonlFile(path, handle, size);
  }

  async write(chunk: string | Buffer): Promise<void> {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let off = 0;
    // FileHandle.write may write less than asked (e.g. signals, full pipes).
    while (off < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.size += buf.length;
    this.dirty = true;
  }

  async sync(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    await this.handle.datasync();
  }

  async close(sync: boolean): Promise<void> {
    if (this.closed) return;
    if (sync) await this.sync();
    this.closed = true;
    await this.handle.close();
  }
}

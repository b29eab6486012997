/** Shared by the file plugin's disk tests: a small disk through the plugin's fs seam, and the lines a folder holds. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem, type FileHandleLike, type FileSystem } from '../../src/plugins/file/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';

/** A file system with `capacity` bytes: node's, with the space accounting of a small disk. */
export function smallDisk(capacity: number): FileSystem & { used: () => number } {
  let used = 0;
  const sizeOf = async (h: FileHandleLike) => (await h.stat()).size;
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...nodeFileSystem,
    used: () => used,
    async open(path, flags) {
      const h = await nodeFileSystem.open(path, flags);
      return {
        async write(buf, off, len) {
          const room = capacity - used;
          if (room <= 0) throw enospc();
          const { bytesWritten } = await h.write(buf, off, Math.min(len, room));
          used += bytesWritten;
          return { bytesWritten };
        },
        stat: () => h.stat(),
        datasync: () => h.datasync(),
        async truncate(len) {
          used -= (await sizeOf(h)) - len;
          await h.truncate(len);
        },
        close: () => h.close(),
      };
    },
    async truncate(path, len) {
      used -= statSync(path).size - len;
      await nodeFileSystem.truncate(path, len);
    },
  };
}

/** Every file under `dir`: its lines, asserting that each is whole JSON and the file ends with a newline. */
export function linesOnDisk(dir: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.startsWith('.')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    if (text === '') continue;
    assert.ok(text.endsWith('\n'), `${f} ends in a torn line: ${JSON.stringify(text.slice(-40))}`);
    for (const line of text.slice(0, -1).split('\n')) out.push(JSON.parse(line) as LogEntry);
  }
  return out;
}

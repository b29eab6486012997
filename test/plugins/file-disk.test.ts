/**
 * The file plugin on a failing disk: a full disk (ENOSPC) never leaves a torn
 * JSON line and the counters match the lines on disk; an unwritable directory
 * fails the start with a message naming it.
 *
 * "A full disk" is a real 64 KB tmpfs when the tests run as root (CI does), and
 * otherwise a file system with the same behaviour given through the plugin's
 * documented seam (`FileSinkSeams.fs`): writes fill a byte budget, the one that
 * crosses it is short, the next fails with ENOSPC, truncation frees space.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, chmodSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { FILE_DEFAULTS, FileSink, filePlugin, type FileOptions, type FileSystem } from '../../src/plugins/file/index.js';
import type { PluginFactory } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';
import { linesOnDisk, smallDisk } from './small-disk.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const quiet = { info() {}, warn() {}, error() {} };
const isRoot = process.getuid?.() === 0;

const batchOf = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry({ message: `record ${from + i} ${'x'.repeat(200)}` }));

test('a short write then ENOSPC: the file is cut back to its last whole line and the batch fails whole; once space is back the retry writes it once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-disk-'));
  const disk = smallDisk(4000);
  const s = new FileSink({ ...FILE_DEFAULTS, directory: dir, pattern: 'x.jsonl' }, { baseDir: '/', logger: quiet }, { fs: disk });
  await s.start();
  const first = batchOf(0, 10); // ~2,700 bytes: fits
  await s.consume(first);
  const second = batchOf(10, 10); // would need ~5,400: the write is cut short at 4,000
  await assert.rejects(Promise.resolve(s.consume(second)), /ENOSPC/);
  assert.deepEqual(linesOnDisk(dir).map((e) => e.message), first.map((e) => e.message));
  assert.equal(disk.used(), statSync(join(dir, 'x.jsonl')).size);
  // Space comes back (here: a bigger budget is simulated by cutting the file ourselves).
  await s.shutdown();
  const again = new FileSink({ ...FILE_DEFAULTS, directory: dir, pattern: 'x.jsonl' }, { baseDir: '/', logger: quiet }, { fs: smallDisk(100_000) });
  await again.consume(second);
  await again.shutdown();
  assert.deepEqual(linesOnDisk(dir).map((e) => e.message), [...first, ...second].map((e) => e.message));
});

test('a batch that fails after a rotation is undone in every file it touched, the rotated one included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-disk-'));
  const disk = smallDisk(5000);
  const opts: FileOptions = { ...FILE_DEFAULTS, directory: dir, pattern: 'x.jsonl', maxBytes: 2000, fsync: 'never' };
  const s = new FileSink(opts, { baseDir: '/', logger: quiet }, { fs: disk });
  await s.start();
  const first = batchOf(0, 4); // ~1,100 bytes into x.jsonl
  await s.consume(first);
  // ~4,100 bytes: fills x.jsonl, rotates it to x.1.jsonl, fills the new x.jsonl, then the disk is full.
  await assert.rejects(Promise.resolve(s.consume(batchOf(4, 15))), /ENOSPC/);
  await s.shutdown();
  assert.deepEqual(linesOnDisk(dir).map((e) => e.message), first.map((e) => e.message));
  assert.equal(disk.used(), first.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0));
});

/** Runs `fn` with a directory on a real 64 KB tmpfs (root), or on the small-disk seam. */
async function withFullDisk(fn: (dir: string, fs: FileSystem | undefined) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-tmpfs-'));
  if (!isRoot) return fn(dir, smallDisk(64 * 1024));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(mount.status, 0, `mount tmpfs (as root) failed: ${mount.stderr}`);
  try {
    await fn(dir, undefined);
  } finally {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

test(`the collector on a full disk (${isRoot ? 'a real 64 KB tmpfs' : 'a 64 KB disk through the fs seam'}): no torn line, written = lines on disk, the rest counted dropped`, async () => {
  await withFullDisk(async (dir, fs) => {
    const factory: PluginFactory = { ...filePlugin, type: 'fullfile', create: (o, ctx) => new FileSink(o as FileOptions, ctx, { fs }) } as PluginFactory;
    const text = [
      'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
      'stats: { intervalSeconds: 0 }',
      'shutdown: { drainTimeoutSeconds: 5 }',
      'plugins:',
      '  - type: fullfile',
      `    options: { directory: ${JSON.stringify(dir)}, pattern: log.jsonl, fsync: batch }`,
      // Message-sized batches, so the disk fills part-way through the run rather than at one big coalesced batch.
      '    queue: { batchMaxEntries: 10, retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 2 } }',
    ].join('\n');
    const handle = await startCollector(await loadConfig({ text }, { plugins: [factory], env: {} }), { log: () => {} });
    const push = await pushSocket(handle.endpoints[0]!);
    const sent: string[] = [];
    try {
      // 100 messages × 10 records × ~300 bytes = ~300 KB into 64 KB.
      for (let i = 0; i < 100; i++) {
        const batch = batchOf(i * 10, 10);
        sent.push(...batch.map((e) => e.message));
        await push.send(goodMessage(batch));
      }
      await waitFor('every record written or dropped', () => {
        const c = handle.stats().plugins.fullfile!;
        return c.received === 1000 && c.queued === 0 && c.inFlight === 0;
      }, 60_000);
    } finally {
      push.close();
    }
    const final = await handle.stop();
    const c = final.plugins.fullfile!;
    const lines = linesOnDisk(dir);
    assert.equal(c.written, lines.length, 'the written counter matches the lines on disk');
    assert.equal(c.written + c.dropped, 1000);
    assert.ok(c.written > 100 && c.dropped > 0, `written ${c.written}, dropped ${c.dropped}`);
    assert.ok(c.errors > 0);
    // No record twice (a retried batch is written once or not at all), all of them ones we sent.
    const messages = lines.map((e) => e.message);
    assert.equal(new Set(messages).size, messages.length);
    for (const m of messages) assert.ok(sent.includes(m));
  });
});

test(`an unwritable directory (${isRoot ? 'a read-only tmpfs' : 'mode 0555'}) fails the start: the plugin names the directory, distlogd says so and exits 1`, async () => {
  const base = mkdtempSync(join(tmpdir(), 'distlog-ro-'));
  const dir = join(base, 'ro');
  mkdirSync(dir);
  if (isRoot) {
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { encoding: 'utf8' });
    assert.equal(mount.status, 0, `mount tmpfs (as root) failed: ${mount.stderr}`);
  } else chmodSync(dir, 0o555);
  try {
    const s = new FileSink({ ...FILE_DEFAULTS, directory: join(dir, 'data') }, { baseDir: '/', logger: quiet });
    await assert.rejects(Promise.resolve(s.start()), new RegExp(`cannot create directory ${join(dir, 'data')} \\(nearest existing folder ${dir} is not writable\\?\\): `));
    const s2 = new FileSink({ ...FILE_DEFAULTS, directory: dir }, { baseDir: '/', logger: quiet });
    await assert.rejects(Promise.resolve(s2.start()), new RegExp(`cannot write to directory ${dir}: (EROFS|EACCES)`));

    const config = join(base, 'distlogd.yaml');
    writeFileSync(config, ['receiver: { endpoints: ["tcp://127.0.0.1:*"] }', 'plugins:', '  - type: file', `    options: { directory: ${JSON.stringify(dir)} }`, ''].join('\n'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/distlogd.ts'), '--config', config], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`distlogd: cannot start: plugin file \\(file\\) failed to start: cannot write to directory ${dir}: (EROFS|EACCES)`));
    assert.ok(!existsSync(join(dir, `.distlogd-write-check-${r.pid}`)));
  } finally {
    if (isRoot) spawnSync('umount', ['-l', dir]);
    else chmodSync(dir, 0o755);
    rmSync(base, { recursive: true, force: true });
  }
});

/**
 * The file plugin given ready JSON lines (consumeLines, what the collector
 * hands it when no plugin needs LogEntry objects) writes exactly what
 * consume() writes for the same records: files by system/kind pattern,
 * rotation by size between lines, by day, all or nothing per batch on a
 * failing disk, fsync per batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_DEFAULTS, FileSink, nodeFileSystem, type FileOptions, type FileSystem } from '../../src/plugins/file/index.js';
import { jsonLinesFromEntries, sliceJsonLines, type JsonLines } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry } from '../collector/helpers.js';
import { linesOnDisk, smallDisk } from './small-disk.js';

const quiet = { info() {}, warn() {}, error() {} };
const NOW = Date.UTC(2026, 10, 25, 12);

function sink(opts: Partial<FileOptions>, seams: { now?: () => number; fs?: FileSystem } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-lines-'));
  const s = new FileSink({ ...FILE_DEFAULTS, directory: dir, ...opts }, { baseDir: '/', logger: quiet }, { now: () => NOW, ...seams });
  return { s, dir };
}

/** Every file under `dir` (recursively) with its bytes, by relative name. */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) Object.assign(out, filesOf(dir, rel));
    else if (!d.name.startsWith('.')) out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

/** Writes the same batches once through consume() and once through consumeLines(); returns both folders' files. */
async function bothPaths(opts: Partial<FileOptions>, batches: LogEntry[][], toLines: (b: LogEntry[]) => JsonLines = jsonLinesFromEntries) {
  const viaEntries = sink(opts);
  const viaLines = sink(opts);
  for (const b of batches) {
    await viaEntries.s.consume(b);
    await viaLines.s.consumeLines(toLines(b));
  }
  await viaEntries.s.shutdown();
  await viaLines.s.shutdown();
  return { entries: filesOf(viaEntries.dir), lines: filesOf(viaLines.dir), dir: viaLines.dir };
}

test('consumeLines splits a mixed batch into files by {system}{kind} exactly as consume() does', async () => {
  const batch = [
    entry({ message: 'a' }), entry({ message: 'b', system: 'P' }), entry({ message: 'c', kind: 'P' }),
    entry({ message: 'd' }), entry({ message: 'e', system: 'P', kind: 'P' }), entry({ message: 'f', system: 'P' }),
  ];
  const { entries, lines } = await bothPaths({ pattern: '{systemName}/{kind}-{date}.jsonl' }, [batch]);
  assert.deepEqual(Object.keys(lines).sort(), ['production/L-2026-11-25.jsonl', 'production/P-2026-11-25.jsonl', 'test/L-2026-11-25.jsonl', 'test/P-2026-11-25.jsonl']);
  assert.deepEqual(lines, entries);
  assert.equal(lines['production/L-2026-11-25.jsonl'], JSON.stringify(batch[1]) + '\n' + JSON.stringify(batch[5]) + '\n');
});

test('rotation by size splits a batch of lines at line boundaries; slices of a larger batch are written like whole ones', async () => {
  const all = Array.from({ length: 90 }, (_, i) => entry({ message: `record ${i}` }));
  // One batch of 90 lines handed over in slices (as a lane's split does), sharing one buffer.
  const whole = jsonLinesFromEntries(all);
  const slices = [sliceJsonLines(whole, 0, 7), sliceJsonLines(whole, 7, 60), sliceJsonLines(whole, 60, 90)];
  const viaLines = sink({ pattern: 'log.jsonl', maxBytes: 2000 });
  for (const l of slices) await viaLines.s.consumeLines(l);
  await viaLines.s.shutdown();
  const files = readdirSync(viaLines.dir);
  const rotated = files.filter((f) => f !== 'log.jsonl').sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  assert.ok(rotated.length >= 5, files.join());
  for (const f of files) assert.ok(statSync(join(viaLines.dir, f)).size <= 2000, `${f} is ${statSync(join(viaLines.dir, f)).size} bytes`);
  const back = [...rotated, 'log.jsonl'].flatMap((f) => readFileSync(join(viaLines.dir, f), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry));
  assert.deepEqual(back, all);
  // and the same files, byte for byte, as consume() given the same three batches
  const { entries, lines } = await bothPaths({ pattern: 'log.jsonl', maxBytes: 2000 }, [all.slice(0, 7), all.slice(7, 60), all.slice(60)]);
  assert.deepEqual(lines, entries);
  assert.deepEqual(lines, filesOf(viaLines.dir));
});

test('a line longer than maxBytes gets a file of its own', async () => {
  const big = entry({ message: 'x'.repeat(3000) });
  const { entries, lines } = await bothPaths({ pattern: 'log.jsonl', maxBytes: 1000 }, [[entry({ message: 'small' }), big, entry({ message: 'after' })]]);
  assert.deepEqual(lines, entries);
  assert.equal(Object.values(lines).filter((t) => t === JSON.stringify(big) + '\n').length, 1);
});

test('rotation by day: a batch of lines after midnight goes to the new {date}', async () => {
  let now = Date.UTC(2026, 10, 25, 23, 59, 59);
  const { s, dir } = sink({ pattern: '{kindName}-{date}.jsonl' }, { now: () => now });
  await s.start();
  await s.consumeLines(jsonLinesFromEntries([entry({ message: 'late' })]));
  now += 2000;
  await s.consumeLines(jsonLinesFromEntries([entry({ message: 'early' })]));
  await s.shutdown();
  assert.deepEqual(readdirSync(dir).sort(), ['log-2026-11-25.jsonl', 'log-2026-11-26.jsonl']);
  assert.equal((JSON.parse(readFileSync(join(dir, 'log-2026-11-26.jsonl'), 'utf8')) as LogEntry).message, 'early');
});

const batchOf = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry({ message: `record ${from + i} ${'x'.repeat(200)}` }));

test('a batch of lines that fails after a rotation (disk full) is cut back in every file it touched; the retry writes it once', async () => {
  const disk = smallDisk(5000);
  const opts: Partial<FileOptions> = { pattern: 'x.jsonl', maxBytes: 2000, fsync: 'never' };
  const { s, dir } = sink(opts, { fs: disk });
  await s.start();
  const first = batchOf(0, 4); // ~1,100 bytes into x.jsonl
  await s.consumeLines(jsonLinesFromEntries(first));
  const second = jsonLinesFromEntries(batchOf(4, 15)); // ~4,100 bytes: fills x.jsonl, rotates, then the disk is full
  await assert.rejects(Promise.resolve(s.consumeLines(second)), /ENOSPC/);
  await s.shutdown();
  assert.deepEqual(linesOnDisk(dir), first);
  assert.equal(disk.used(), first.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0));
  // Space is back: the same lines (the router retries the batch) are written once.
  const again = new FileSink({ ...FILE_DEFAULTS, directory: dir, ...opts }, { baseDir: '/', logger: quiet }, { fs: smallDisk(100_000) });
  await again.consumeLines(second);
  await again.shutdown();
  assert.deepEqual(linesOnDisk(dir).map((e) => e.message).sort(), [...first, ...batchOf(4, 15)].map((e) => e.message).sort());
});

test('fsync: batch syncs every file a batch of lines touched before consumeLines resolves; never syncs none', async () => {
  for (const fsync of ['batch', 'never'] as const) {
    const synced: string[] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      async open(path, flags) {
        const h = await nodeFileSystem.open(path, flags);
        return Object.assign(Object.create(h) as typeof h, {
          write: h.write.bind(h), stat: h.stat.bind(h), truncate: h.truncate.bind(h), close: h.close.bind(h),
          datasync: async () => (synced.push(path), h.datasync()),
        });
      },
    };
    const { s } = sink({ pattern: '{system}.jsonl', fsync }, { fs });
    await s.start();
    await s.consumeLines(jsonLinesFromEntries([entry(), entry({ system: 'S' }), entry()]));
    assert.deepEqual(synced.map((p) => p.slice(-7)).sort(), fsync === 'batch' ? ['S.jsonl', 'T.jsonl'] : []);
    await s.shutdown();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import type { PluginFactory } from '../../src/plugins/api.js';
import { FILE_DEFAULTS, FileSink, filePlugin, type FileOptions } from '../../src/plugins/file/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { validateConfig } from '../../src/plugins/api.js';
import { entry, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';

const quiet = { info() {}, warn() {}, error() {} };

function sink(opts: Partial<FileOptions>, now?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-'));
  const s = new FileSink({ ...FILE_DEFAULTS, directory: 'out', ...opts }, { baseDir: dir, logger: quiet }, { now });
  return { s, out: join(dir, 'out') };
}

function readLines(path: string): LogEntry[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry);
}

test('one JSON line per LogEntry, files split by the {system}{kind}-{date} pattern', async () => {
  const { s, out } = sink({ fsync: 'batch' }, () => Date.UTC(2026, 10, 25, 12));
  await s.start();
  const batch = [entry({ message: 'a' }), entry({ message: 'b', system: 'P' }), entry({ message: 'c', kind: 'P' }), entry({ message: 'd' })];
  await s.consume(batch);
  await s.shutdown();
  assert.deepEqual(readdirSync(out).sort(), ['PL-2026-11-25.jsonl', 'TL-2026-11-25.jsonl', 'TP-2026-11-25.jsonl']);
  assert.deepEqual(readLines(join(out, 'TL-2026-11-25.jsonl')), [batch[0], batch[3]]);
  assert.deepEqual(readLines(join(out, 'PL-2026-11-25.jsonl')), [batch[1]]);
});

test('rotation by size: full files become NAME.1, NAME.2 … and none exceeds maxBytes', async () => {
  const { s, out } = sink({ pattern: 'log.jsonl', maxBytes: 2000 });
  await s.start();
  const all = Array.from({ length: 60 }, (_, i) => entry({ message: `record ${i}` }));
  for (let i = 0; i < all.length; i += 7) await s.consume(all.slice(i, i + 7));
  await s.flush();
  await s.shutdown();
  const files = readdirSync(out);
  const rotated = files.filter((f) => f !== 'log.jsonl').sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  assert.ok(rotated.length >= 3, files.join());
  assert.deepEqual(rotated, rotated.map((_, i) => `log.${i + 1}.jsonl`));
  for (const f of files) assert.ok(statSync(join(out, f)).size <= 2000, `${f} is ${statSync(join(out, f)).size} bytes`);
  // Oldest first, then the active file: together exactly the records, in order.
  const back = [...rotated, 'log.jsonl'].flatMap((f) => readLines(join(out, f)));
  assert.deepEqual(back.map((e) => e.message), all.map((e) => e.message));
});

test('rotation continues numbering after files left by an earlier run', async () => {
  const { s, out } = sink({ pattern: 'x.jsonl', maxBytes: 600 });
  for (let i = 0; i < 6; i++) await s.consume([entry()]);
  await s.shutdown();
  const before = readdirSync(out).length;
  const again = new FileSink({ ...FILE_DEFAULTS, directory: out, pattern: 'x.jsonl', maxBytes: 600 }, { baseDir: '/', logger: quiet });
  for (let i = 0; i < 6; i++) await again.consume([entry()]);
  await again.shutdown();
  const files = readdirSync(out);
  assert.ok(files.length > before);
  assert.equal(new Set(files).size, files.length);
  const total = files.reduce((n, f) => n + readLines(join(out, f)).length, 0);
  assert.equal(total, 12);
});

test('rotation by day: a new {date} starts a new file', async () => {
  let now = Date.UTC(2026, 10, 25, 23, 59, 59);
  const { s, out } = sink({ pattern: '{systemName}/{kindName}-{date}.jsonl' }, () => now);
  await s.start();
  await s.consume([entry({ message: 'late' })]);
  now += 2000;
  await s.consume([entry({ message: 'early' })]);
  await s.shutdown();
  assert.deepEqual(readdirSync(join(out, 'test')).sort(), ['log-2026-11-25.jsonl', 'log-2026-11-26.jsonl']);
  assert.equal(readLines(join(out, 'test', 'log-2026-11-26.jsonl'))[0]!.message, 'early');
});

test('shutdown is safe twice and without start; describe says where it writes', async () => {
  const inst = filePlugin.create(FILE_DEFAULTS, { name: 'file', baseDir: '/srv', logger: quiet });
  await inst.shutdown();
  await inst.shutdown();
  assert.equal(inst.describe?.(), 'JSON lines to /srv/distlog-data/{system}{kind}-{date}.jsonl (rotate at 268435456 bytes, fsync interval)');
  await assert.rejects(Promise.resolve().then(() => inst.consume([entry()])), /shut down/);
});

test('the options schema: every problem with its path and hint', () => {
  const errors = validateConfig(filePlugin.configSchema, { ...FILE_DEFAULTS, pattern: '../{sys}.jsonl', fsync: 'Batch', extra: 1 }, 'plugins[0].options');
  assert.deepEqual(errors.map((e) => `${e.path}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`), [
    'plugins[0].options.extra: unknown key (allowed: directory, pattern, maxBytes, timezone, fsync, fsyncIntervalMs)',
    'plugins[0].options.pattern: unknown placeholder {sys} (allowed: {system} {kind} {systemName} {kindName} {date})',
    'plugins[0].options.pattern: pattern must be a relative file name inside directory (e.g. {system}{kind}-{date}.jsonl)',
    'plugins[0].options.fsync: invalid value "Batch" (did you mean "batch"? allowed: never, interval, batch)',
  ]);
});

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

test('a poison record (10,000-deep attribute) is dropped and counted alone; its 1,999 neighbours are written', async () => {
  const warnings: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-'));
  const s = new FileSink({ ...FILE_DEFAULTS, directory: dir, pattern: 'x.jsonl' }, { baseDir: '/', logger: { ...quiet, warn: (m) => warnings.push(m) } });
  await s.start();
  const batch = Array.from({ length: 2000 }, (_, i) => entry({ message: `m${i}`, key: `${i}@t` }));
  batch[700] = entry({ message: 'poison', key: '700@t', attributes: { deep: nested(10_000) } });
  const result = await s.consume(batch);
  await s.shutdown();
  assert.deepEqual(result, { dropped: 1 });
  const back = readLines(join(dir, 'x.jsonl'));
  assert.equal(back.length, 1999);
  assert.deepEqual(back, batch.filter((_, i) => i !== 700));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /dropped 1 record that cannot be written as JSON \(first: key "700@t": value nested deeper than 64 levels\)/);
});

test('lines written equal JSON.stringify of each entry, for mixed systems in one batch', async () => {
  const { s, out } = sink({ pattern: '{system}.jsonl' });
  const batch = [entry({ message: 'tab\tquote" é 😀', system: 'P' }), entry({ attributes: { n: 1.5, list: [1, 'a', null], o: { x: true } } }), entry({ system: 'P', body: { b: [] } })];
  await s.consume(batch);
  await s.shutdown();
  assert.equal(readFileSync(join(out, 'P.jsonl'), 'utf8'), JSON.stringify(batch[0]) + '\n' + JSON.stringify(batch[2]) + '\n');
  assert.equal(readFileSync(join(out, 'T.jsonl'), 'utf8'), JSON.stringify(batch[1]) + '\n');
});

test('through the collector: poison records are counted dropped one by one, written = lines on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-'));
  // The wire's own validation may refuse deep values before a plugin sees them; this
  // factory makes every 10th record a poison one inside the collector, after decode.
  const factory = {
    ...filePlugin,
    type: 'poisoned-file',
    create: (o: FileOptions, ctx: { baseDir: string; logger: typeof quiet }) => {
      const sink = new FileSink(o, ctx);
      return Object.assign(sink, {
        consume: (b: readonly LogEntry[]) => FileSink.prototype.consume.call(sink, b.map((e) => (e.message.endsWith('0') ? { ...e, attributes: { deep: nested(500) } } : e))),
        // Without consumeLines the collector hands this plugin entries, which the poisoning needs.
        consumeLines: undefined,
      });
    },
  } as unknown as PluginFactory;
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: poisoned-file',
    `    options: { directory: ${JSON.stringify(dir)}, pattern: x.jsonl }`,
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [factory], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let i = 0; i < 20; i++) await push.send(goodMessage(Array.from({ length: 10 }, (_, j) => entry({ message: `m${i * 10 + j}` }))));
    await waitFor('all 200 handled', () => {
      const c = handle.stats().plugins['poisoned-file']!;
      return c.written + c.dropped === 200;
    });
  } finally {
    push.close();
  }
  const c = (await handle.stop()).plugins['poisoned-file']!;
  assert.equal(c.dropped, 20);
  assert.equal(c.written, 180);
  assert.equal(c.errors, 0, 'a poison record is not a failed batch: nothing retried');
  const lines = readLines(join(dir, 'x.jsonl'));
  assert.equal(lines.length, 180);
  assert.ok(lines.every((e) => !e.message.endsWith('0')));
});

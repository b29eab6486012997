/** The file plugin's StoreReader: pages after a cursor, unreadable lines said where, lines still being written left for later. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePlugin, FILE_DEFAULTS } from '../../src/plugins/file/index.js';
import { entry } from '../collector/helpers.js';

const quiet = { info() {}, warn() {}, error() {} };

test('the file plugin instance offers reader(): what it wrote comes back, page by page, each record once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-reader-'));
  const sink = filePlugin.create({ ...FILE_DEFAULTS, directory: dir, fsync: 'never' }, { name: 'f', logger: quiet, baseDir: '/' });
  await sink.start();
  const sent = Array.from({ length: 23 }, (_, i) => entry({ message: `m${i}`, task: 'd'.repeat(32), system: i % 2 ? 'P' : 'T' }));
  await sink.consume(sent);
  const reader = sink.reader!();
  const seen: string[] = [];
  let cursor = '';
  for (;;) {
    const page = await reader.recordsAfter(cursor, 5);
    assert.ok(page.records.length <= 5);
    if (page.records.length === 0) break;
    seen.push(...page.records.map((e) => e.message));
    cursor = page.cursor;
  }
  assert.deepEqual(seen.sort(), sent.map((e) => e.message).sort());
  // Followed: later records only.
  await sink.consume([entry({ message: 'later' })]);
  assert.deepEqual((await reader.recordsAfter(cursor, 5)).records.map((e) => e.message), ['later']);
  assert.equal((await reader.taskRecords('d'.repeat(32))).length, 23);
  const [summary] = await reader.recentTasks({ limit: 5 });
  assert.equal(summary!.recordCount, 23);
  await sink.shutdown();
  await reader.close();
});

test('unreadable lines are reported with file:line; a line without its newline yet is read once complete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-file-reader-'));
  const file = join(dir, 'TL-2026-11-25.jsonl');
  const a = JSON.stringify(entry({ message: 'a' }));
  const b = JSON.stringify(entry({ message: 'b' }));
  writeFileSync(file, `${a}\nnot json\n${b.slice(0, 20)}`);
  const reader = filePlugin.create({ ...FILE_DEFAULTS, directory: dir }, { name: 'f', logger: quiet, baseDir: '/' }).reader!();
  const first = await reader.recordsAfter('', 10);
  assert.deepEqual(first.records.map((e) => e.message), ['a']);
  assert.equal(first.problems?.length, 1);
  assert.equal(first.problems![0]!.where, `${file}:2`);
  assert.match(first.problems![0]!.message, /^not a JSON line/);
  appendFileSync(file, `${b.slice(20)}\n`);
  const second = await reader.recordsAfter(first.cursor, 10);
  assert.deepEqual(second.records.map((e) => e.message), ['b']);
  assert.equal(second.problems, undefined);
});

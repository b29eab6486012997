import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runTreeCommand } from '../../src/cli/tree-command.js';
import { FILE_DEFAULTS, FileSink } from '../../src/plugins/file/index.js';
import { T, at, entry } from '../viewer/helpers.js';
import { checkout } from '../viewer/scenario.js';

const cli = fileURLToPath(new URL('../../src/cli/distlog.ts', import.meta.url));
// tsx resolved here, not from the child's working directory
const tsx = import.meta.resolve('tsx');
const spawnCli = (args: string[], opts: { cwd?: string; input?: string } = {}) =>
  spawnSync(process.execPath, ['--import', tsx, cli, ...args], { encoding: 'utf8', ...opts, env: { ...process.env, NO_COLOR: '1' } });

const OTHER = 'b'.repeat(32);
/** "now" for --since: 10 s after the scenario's records. */
const NOW_MS = Number(BigInt(at(10_000)) / 1_000_000n);

async function run(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runTreeCommand(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdin: Readable.from([stdin]),
    colorDefault: false,
    nowMs: NOW_MS,
  });
  return { code, stdout, stderr };
}

let dir = '';

before(async () => {
  // the file plugin itself writes the folder: a small maxBytes rotates it into several files
  dir = mkdtempSync(join(tmpdir(), 'distlog-tree-'));
  const quiet = { info() {}, warn() {}, error() {} };
  const sink = new FileSink({ ...FILE_DEFAULTS, directory: dir, maxBytes: 2_000, fsync: 'never' }, { baseDir: '/', logger: quiet });
  const records = checkout();
  await sink.consume(records.filter((e) => e.resource['service.name'] === 'bank'));
  await sink.consume(records.filter((e) => e.resource['service.name'] !== 'bank'));
  await sink.consume([
    entry({ task: OTHER, path: '', seq: 0, event: 'enter', message: 'nightly report', timeUnixNano: at(9_000) }),
    entry({ task: OTHER, path: '', seq: 1, event: 'exit', message: 'nightly report', durationMs: 250, timeUnixNano: at(9_250) }),
    entry({ message: 'outside', timeUnixNano: at(9_300) }),
  ]);
  await sink.shutdown();
  assert.ok(readdirSync(dir).length > 1, 'the records span rotated files');
});

describe('distlog tree', () => {
  it('without TASK lists the recent tasks of a folder, rotated files included', async () => {
    const r = await run(['--from', `file:${dir}`]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        'TASK                              STATUS  START                     DURATION  ERRORS  SERVICES           FIRST MESSAGE',
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  failed  2026-11-25T01:04:05.000Z  9 ms      3       bank,orders,proxy  checkout A-1',
        'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb  ok      2026-11-25T01:04:14.000Z  250 ms    0       svc                nightly report',
        'outside any task · 1 record',
        '  INFO  outside',
        '',
      ].join('\n'),
    );
  });

  it('--failed, --since and --limit narrow the list', async () => {
    assert.match((await run([dir, '--failed'])).stdout, /^TASK .*\naaaa\S+ +failed .*checkout A-1\n$/);
    // the checkout ended 9.99 s before "now", the report 0.75 s before
    assert.match((await run([dir, '--since', '5s'])).stdout, /^TASK .*\nbbbb\S+ +ok .*nightly report\n/);
    assert.match((await run([dir, '--since', '2026-11-25T01:04:13Z'])).stdout, /^TASK .*\nbbbb\S+ +ok /);
    const limited = await run([dir, '--limit', '1']);
    assert.match(limited.stdout, /^TASK .*\nbbbb\S+ .*\n\(the 1 most recent of 2 tasks; --limit N shows more\)\n/);
  });

  it('TASK (a unique prefix is enough) prints its whole tree across services; --depth and --failed fold it', async () => {
    const r = await run(['aaaa', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^task a{32} · bank, orders, proxy · 16 records · 3 errors\n✘ checkout A-1 \[orders\] user=leo · FAILED checkout A-1 · 9 ms\n/);
    assert.match(r.stdout, /\n {2}✘ 2 charge card \[bank\] · FAILED charge card · 2 ms\n {4}! Declined: no funds\n {10}at charge \(bank\.js:10:5\)\n/);
    assert.match(r.stdout, /\n {4}ERROR issuer said no\n {10}code 51\n/);
    const shallow = await run([T, dir, '--depth', '0']);
    assert.match(shallow.stdout, /\n {2}… 3 branches below, 1 with failures\n/);
    assert.doesNotMatch(shallow.stdout, /charge card/);
    const failed = await run([T, dir, '--failed']);
    assert.doesNotMatch(failed.stdout, /reserve stock/);
    assert.match(failed.stdout, /charge card/);
  });

  it('reports an unknown or ambiguous task, bad options and unreadable lines clearly', async () => {
    const missing = await run(['cafe', dir]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `distlog tree: no task "cafe" in file:${dir}\n`);
    writeFileSync(join(dir, 'extra.jsonl'), `${JSON.stringify(entry({ task: 'a'.repeat(31) + 'b', path: '', seq: 0 }))}\nnot json\n{"v":1,"timeUnixNano":"12x"}\n`);
    const ambiguous = await run(['aaaa', dir]);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /"aaaa" names 2 tasks: a{32}, a{31}b\n$/);
    assert.match(ambiguous.stderr, new RegExp(`^distlog: ${dir}/extra.jsonl:2: not a JSON line \\(.*\\), skipped\\ndistlog: ${dir}/extra.jsonl:3: not a LogEntry: timeUnixNano: expected nanoseconds as a decimal digit string, got string "12x", skipped\\n`));
    const depth = await run([dir, '--depth', 'two']);
    assert.equal(depth.code, 2);
    assert.match(depth.stderr, /^distlog tree: --depth: expected a whole number, got "two"\nusage: distlog tree/);
    const store = await run(['--from', 'mongodb://localhost/x']);
    assert.equal(store.code, 2);
    assert.match(store.stderr, /--from mongodb: this build cannot read MongoDB yet; readable stores: file:, redis:/);
    const since = await run([dir, '--since', 'yesterday']);
    assert.match(since.stderr, /--since: expected an ISO time .* got "yesterday"/);
    const typo = await run([T, `${dir}/nope.jsonl`]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^distlog tree: .*\/nope\.jsonl: no such file or folder\n/);
    const option = await run(['--frobnicate']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option '--frobnicate'/);
  });

  it("reads stdin with '-'", async () => {
    const lines = checkout().map((e) => JSON.stringify(e)).join('\n');
    const r = await run([T, '-'], lines);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^task a{32} · bank, orders, proxy · 16 records · 3 errors\n/);
  });
});

describe('the distlog command (a real process)', () => {
  it('distlog tree reads ./distlog-data by default and prints plain text when NO_COLOR is set', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'distlog-cwd-'));
    const none = spawnCli(['tree'], { cwd });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no records to read: name FILES or --from file:DIR \(\.\/distlog-data does not exist here\)/);
    mkdirSync(join(cwd, 'distlog-data'));
    writeFileSync(join(cwd, 'distlog-data', 'TL-2026-11-25.jsonl'), `${checkout().map((e) => JSON.stringify(e)).join('\n')}\n`);
    const list = spawnCli(['tree'], { cwd });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^TASK .*\na{32} +failed .*checkout A-1\n$/);
    const ok = spawnCli(['tree', T, dir, '--depth', '0']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^task a{32} · .*\n✘ checkout A-1 /);
    assert.doesNotMatch(ok.stdout, /\x1b/);
  });

  it('an unknown command says how to use it and exits 2', () => {
    const a = spawnCli(['frobnicate']);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /unknown command "frobnicate"\nusage: distlog tree/);
  });
});

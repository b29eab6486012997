/**
 * `distlog view` in a real terminal: tmux runs it in a 120×40 pane, send-keys
 * types, capture-pane reads what a user would see. tmux comes from
 * scripts/install.sh; without it this test fails (it is never skipped).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../src/protocol/index.js';
import { at, entry } from '../viewer/helpers.js';
import { checkout } from '../viewer/scenario.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOCKET = `distlog-view-test-${process.pid}-${Date.now()}`;
const EXITED = 'DISTLOG-VIEW-EXITED=';
/** tsx compiles on start and the machine is shared: generous, the test waits for what it expects. */
const DEADLINE_MS = 60_000;

const refund = (task: string, message: string, ms: number): LogEntry[] => [
  entry({ task, path: '', seq: 0, event: 'enter', message, resource: { 'service.name': 'billing' }, timeUnixNano: at(ms) }),
  entry({ task, path: '', seq: 1, event: 'exit', message: 'done', durationMs: 4, resource: { 'service.name': 'billing' }, timeUnixNano: at(ms + 4) }),
];
const lines = (es: LogEntry[]): string => es.map((e) => `${JSON.stringify(e)}\n`).join('');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const screen = (): string => tmux('capture-pane', '-p', '-t', 'view');
const keys = (...ks: string[]): void => void tmux('send-keys', '-t', 'view', ...ks);
const typed = (text: string): void => void tmux('send-keys', '-t', 'view', '-l', text);
const selected = (s: string): string => s.split('\n').find((l) => l.startsWith('›')) ?? '';

async function waitFor(what: string, ok: (s: string) => boolean): Promise<string> {
  const until = Date.now() + DEADLINE_MS;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`the screen never showed ${what}; it shows:\n${last}`);
}

describe('distlog view in tmux', () => {
  let dir = '';
  before(() => {
    const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) assert.fail('tmux is not installed: run scripts/install.sh (it installs tmux with apt-get)');
    dir = mkdtempSync(join(tmpdir(), 'distlog-view-'));
    writeFileSync(join(dir, 'TL-2026-11-25.jsonl'), lines([...checkout(), ...refund('b'.repeat(32), 'refund R-7', 20)]));
  });
  after(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the tasks, opens one, unfolds, filters, searches, follows new records, and quits on q', async () => {
    // the shell stays after the view ends, so the exit status can be read from the pane
    const command = `node --import tsx src/cli/distlog.ts view --from file:${dir}; echo ${EXITED}$?; sleep 600`;
    tmux('new-session', '-d', '-s', 'view', '-x', '120', '-y', '40', '-c', ROOT, command);

    // the task list: both tasks, the failed one marked, the latest selected
    let s = await waitFor('the task list', (x) => x.includes('refund R-7') && x.includes('checkout A-1') && x.includes('jk move'));
    assert.match(s, /^distlog view · .* · 2 tasks · level ≥ TRACE/m);
    assert.match(s, /^ {2}✘ \S+ checkout A-1 \[bank, orders, proxy\] · 9 ms · 3 errors/m);
    assert.match(selected(s), /^› ✔ \S+ refund R-7 \[billing\] · 4 ms/);
    assert.match(s.trimEnd().split('\n').at(-1)!, /2\/2 · ↑↓\/jk move/);

    // up, enter: the failed task's tree, its subtasks folded
    keys('Up');
    await waitFor('checkout selected', (x) => /checkout A-1/.test(selected(x)));
    keys('Enter');
    s = await waitFor('the open task', (x) => x.startsWith(`task ${'a'.repeat(32)}`));
    assert.match(s, /› ▾ ✘ checkout A-1 \[orders\] user=leo · FAILED checkout A-1 · 9 ms\n {6}! PaymentError: declined\n {6}INFO {2}validating\n {4}▸ ✔ 1 reserve stock/);
    assert.match(s, / {4}▸ ✘ 2 charge card \[bank\] · FAILED charge card · 2 ms/);
    assert.doesNotMatch(s, /Declined/);

    // down to the failed subtask, space unfolds it: its records and its exception
    for (let i = 0; i < 5; i++) keys('Down');
    await waitFor('charge card selected', (x) => /2 charge card/.test(selected(x)));
    keys('Space');
    s = await waitFor('the unfolded subtask', (x) => x.includes('Declined: no funds'));
    assert.match(s, /› {3}▾ ✘ 2 charge card .*\n {8}! Declined: no funds\n {14}at charge \(bank\.js:10:5\)\n(.*\n){2} {8}ERROR issuer said no\n {14}code 51\n/);

    // f: only the failing branches
    keys('f');
    s = await waitFor('the failed-only filter', (x) => x.includes('failed only'));
    assert.doesNotMatch(s, /reserve stock|span aa/);
    assert.match(s, /… 2 branches without failure hidden/);
    assert.match(s, /2 charge card/);

    // l three times: WARN and above
    keys('l', 'l', 'l');
    s = await waitFor('level WARN', (x) => x.includes('level ≥ WARN'));
    assert.doesNotMatch(s, /validating|card lookup/);
    assert.match(s, /ERROR issuer said no/);

    // back to the list, search, follow: a task written after the start appears
    keys('Escape');
    s = await waitFor('the list again', (x) => x.startsWith('distlog view'));
    assert.match(s, /1 task failed .* failed only/);
    assert.doesNotMatch(s, /refund R-7/);
    keys('f');
    await waitFor('both tasks again', (x) => x.includes('refund R-7') && !x.includes('failed only'));
    keys('t');
    await waitFor('following', (x) => x.includes('following'));
    appendFileSync(join(dir, 'TL-2026-11-25.jsonl'), lines(refund('c'.repeat(32), 'late refund L-9', 40)));
    s = await waitFor('the new task', (x) => x.includes('late refund L-9'));
    assert.match(s, /3 tasks/);
    keys('/');
    typed('R-7');
    keys('Enter');
    await waitFor('the search result', (x) => /refund R-7/.test(selected(x)));

    // q: the view ends with status 0 and the terminal is back (the shell's output shows)
    keys('q');
    s = await waitFor('the exit', (x) => x.includes(EXITED));
    assert.match(s, new RegExp(`${EXITED}0`));
    assert.doesNotMatch(s, /distlog view ·/, 'the alternate screen is left');
  });

  it('says what is wrong without a terminal or with a bad --from (exit 2)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/distlog.ts', 'view', ...args], { cwd: ROOT, encoding: 'utf8', input: '' });
    const piped = run('--from', `file:${dir}`);
    assert.equal(piped.status, 2);
    assert.equal(piped.stderr, 'distlog view: needs a terminal on stdin and stdout (for text, use distlog tree)\n');
    const bad = run('--from', 'ftp://x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^distlog view: --from "ftp:\/\/x": expected file:DIR, mongodb:/);
  });
});

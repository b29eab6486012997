/** `distlog view`'s pure screen model: keys → state → the lines a user sees. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TreeModel, buildTrees } from '../../src/viewer/index.js';
import { initialState, reduce, renderScreen, visibleRows, withTasks, type ViewState } from '../../src/viewer/tui/index.js';
import { T, at, entry } from './helpers.js';
import { checkout } from './scenario.js';

const U = 'b'.repeat(32);
const okTask = () => [
  entry({ task: U, path: '', seq: 0, event: 'enter', message: 'refund R-7', timeUnixNano: at(20) }),
  entry({ task: U, path: '', seq: 1, event: 'exit', message: 'refunded', durationMs: 4, timeUnixNano: at(24) }),
];

const keys = (s: ViewState, ...ks: string[]): ViewState => ks.reduce((x, k) => reduce(x, k), s);
const screen = (s: ViewState, rows = 30, cols = 120): string[] => renderScreen(s, rows, cols, { color: false });
const selectedLine = (s: ViewState): string => screen(s).find((l) => l.startsWith('›')) ?? '';
const text = (s: ViewState): string => screen(s).join('\n');

function opened(): ViewState {
  return keys(initialState(buildTrees(checkout()).tasks(), 'file:test'), 'enter');
}

describe('distlog view: the task list', () => {
  it('lists every task with status, duration and errors; the latest is selected; enter opens it', () => {
    const s = initialState(buildTrees([...checkout(), ...okTask()]).tasks(), 'file:test');
    const lines = screen(s);
    assert.match(lines[0]!, /^distlog view · file:test · 2 tasks · level ≥ TRACE/);
    assert.match(lines[1]!, /^ {2}✘ \S+ checkout A-1 \[bank, orders, proxy\] · 9 ms · 3 errors 16 rec · a+/);
    assert.match(lines[2]!, /^› ✔ \S+ refund R-7 \[svc\] · 4 ms 2 rec · b+/);
    assert.match(lines.at(-1)!, /^2\/2 · ↑↓\/jk move/);
    const back = keys(s, 'k', 'enter');
    assert.equal(back.openTask, T);
    assert.match(screen(back)[0]!, new RegExp(`^task ${T} · 16 records · 3 errors`));
  });

  it('f shows only the failed tasks, and says so when there are none', () => {
    const s = keys(initialState(buildTrees([...checkout(), ...okTask()]).tasks(), 'file:test'), 'f');
    assert.deepEqual(visibleRows(s).map((r) => r.task), [T]);
    assert.match(screen(s)[0]!, /1 task failed · level ≥ TRACE · failed only/);
    const none = keys(initialState(buildTrees(okTask()).tasks(), 'file:test'), 'f');
    assert.equal(screen(none)[1], '(no failed tasks)');
  });

  it('paints failures red and the selection in inverse video', () => {
    const lines = renderScreen(initialState(buildTrees([...checkout(), ...okTask()]).tasks(), 'x'), 10, 120);
    assert.ok(lines[1]!.includes('\x1b[31m✘\x1b[0m'), lines[1]);
    assert.ok(lines[1]!.includes('\x1b[31m3 errors'), lines[1]);
    assert.ok(lines[2]!.startsWith('\x1b[7m› ✔'), lines[2]);
  });
});

describe('distlog view: one task as a foldable tree', () => {
  it('opens with the root unfolded and its subtasks folded', () => {
    const t = text(opened());
    assert.match(t, /› ▾ ✘ checkout A-1 \[orders\] user=leo · FAILED checkout A-1 · 9 ms\n {6}! PaymentError: declined\n {6}INFO {2}validating\n {4}▸ ✔ 1 reserve stock \[orders\] · 1\.5 ms\n/);
    assert.match(t, / {4}▸ ✘ 2 charge card \[bank\] · FAILED charge card · 2 ms\n {6}WARN {2}payment refused\n/);
    assert.doesNotMatch(t, /Declined|issuer said no/);
  });

  it('space unfolds the selected scope, with its records and exception; space again folds it', () => {
    let s = opened();
    while (!selectedLine(s).includes('charge card')) s = reduce(s, 'j');
    s = reduce(s, ' ');
    const t = text(s);
    assert.match(t, /› {3}▾ ✘ 2 charge card .*\n {8}! Declined: no funds\n {14}at charge \(bank\.js:10:5\)\n {14}at main \(bank\.js:20:1\)\n {8}INFO {2}card lookup\n {8}ERROR issuer said no\n {14}code 51\n/);
    const folded = reduce(s, ' ');
    assert.doesNotMatch(text(folded), /Declined/);
    assert.match(selectedLine(folded), /▸ ✘ 2 charge card/);
    // left folds, esc goes back to the list with the task selected
    assert.doesNotMatch(text(reduce(s, 'left')), /Declined/);
    const list = keys(s, 'escape');
    assert.equal(list.openTask, undefined);
    assert.match(selectedLine(list), /checkout A-1/);
  });

  it('f keeps only the branches with a failure, and counts the hidden ones', () => {
    const s = keys(opened(), 'f');
    const t = text(s);
    assert.match(t, /▸ ✘ 2 charge card/);
    assert.doesNotMatch(t, /reserve stock|span aa/);
    assert.match(t, /… 2 branches without failure hidden/);
    assert.match(text(keys(s, 'f')), /reserve stock/);
  });

  it('l cycles the minimum level TRACE → DEBUG → INFO → WARN → ERROR → TRACE; scopes stay', () => {
    let s = opened();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(/level ≥ (\w+)/.exec(screen(s)[0]!)![1]!);
      s = reduce(s, 'l');
    }
    assert.deepEqual(seen, ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);
    assert.match(screen(s)[0]!, /level ≥ TRACE/);
    const warn = text(keys(opened(), 'l', 'l', 'l'));
    assert.doesNotMatch(warn, /validating/);
    assert.match(warn, /WARN {2}payment refused/);
    assert.match(warn, /reserve stock/);
    assert.doesNotMatch(text(keys(opened(), 'l', 'l', 'l', 'l')), /payment refused/);
  });

  it('/ searches (typing shown on the status line), folded content too, unfolding it; n goes to the next match, wrapping', () => {
    let s = keys(opened(), '/', 'c', 'h', 'a', 'r');
    assert.equal(screen(s).at(-1), '/char▏  (enter: find · esc: cancel)');
    assert.equal(s.openTask, T, 'keys typed into the search do not act');
    s = keys(s, 'g', 'e', ' ', 'c', 'a', 'r', 'd', 'enter');
    assert.match(selectedLine(s), /▸ ✘ 2 charge card/);
    assert.match(screen(s)[0]!, /search "charge card"/);
    // the exception is inside the folded subtask: found, and the subtask unfolded
    s = keys(s, '/', 'D', 'E', 'C', 'L', 'I', 'N', 'E', 'D', 'enter');
    assert.match(selectedLine(s), /^› {7}! Declined: no funds$/);
    assert.match(text(s), /▾ ✘ 2 charge card[^]*ERROR issuer said no/);
    const firstAt = s.selected;
    s = reduce(s, 'n');
    assert.match(selectedLine(s), /! PaymentError: declined/);
    assert.equal(reduce(s, 'n').selected, firstAt, 'n wraps to the first match');
    const miss = keys(s, '/', 'z', 'z', 'enter');
    assert.match(screen(miss).at(-1)!, /^no match for "zz"/);
    // in the list, a task's line is searched
    const list = keys(initialState(buildTrees([...checkout(), ...okTask()]).tasks(), 'x'), '/', 'A', '-', '1', 'enter');
    assert.match(selectedLine(list), /checkout A-1/);
  });

  it('q and ctrl-c quit; in the search input, q is a character', () => {
    assert.equal(reduce(opened(), 'q').quit, true);
    assert.equal(reduce(opened(), 'ctrl-c').quit, true);
    const typing = keys(opened(), '/', 'q');
    assert.equal(typing.quit, false);
    assert.equal(typing.searchInput, 'q');
  });

  it('t toggles following; new records join the open tree and the selection stays on its row', () => {
    const model = new TreeModel();
    const records = checkout();
    for (const e of records.slice(0, 6)) model.add(e);
    let s = keys(initialState(model.tasks(), 'file:test'), 'enter', 't');
    assert.equal(s.follow, true);
    assert.match(screen(s)[0]!, /following/);
    s = reduce(s, 'j');
    const before = selectedLine(s);
    for (const e of records.slice(6)) model.add(e);
    for (const e of okTask()) model.add(e);
    s = withTasks(s, model.tasks());
    assert.equal(selectedLine(s), before);
    assert.match(text(s), /2 charge card/);
    assert.equal(visibleRows(keys(s, 'escape')).length, 2, 'the new task is in the list');
    assert.equal(reduce(s, 't').follow, false);
  });
});

describe('distlog view: the screen', () => {
  it('always fills exactly rows × at most cols, and scrolls to keep the selection in sight', () => {
    const model = new TreeModel();
    for (let i = 0; i < 100; i++) model.add(entry({ task: String(i).padStart(32, '0'), path: '', seq: 0, event: 'enter', message: `job ${i} ${'x'.repeat(200)}`, timeUnixNano: at(i) }));
    let s = initialState(model.tasks(), 'file:test');
    for (const [rows, cols] of [[10, 40], [24, 80], [3, 20]] as const) {
      const lines = screen(s, rows, cols);
      assert.equal(lines.length, rows);
      for (const l of lines) assert.ok([...l].length <= cols, `${JSON.stringify(l)} is wider than ${cols}`);
    }
    assert.match(screen(s, 10, 60).find((l) => l.startsWith('›'))!, /job 99 x+…$/);
    s = keys(s, 'home');
    assert.match(screen(s, 10, 60)[1]!, /^› ▸ \S+ job 0 /);
    s = keys(s, 'pagedown');
    assert.ok(s.selected > 1 && screen(s, 10, 60).some((l) => l.startsWith('›')));
  });

  it('log content cannot send control sequences to the terminal', () => {
    const hostile = [
      entry({ task: T, path: '', seq: 0, event: 'enter', message: 'evil \x1b[2J\x1b]0;title\x07 \x9b31m', attributes: { 'k\x1b[1m': 'v\x1b[H' }, timeUnixNano: at(0) }),
      entry({ task: T, path: '', seq: 1, level: 'ERROR', severity: 17, message: 'x', exception: { type: 'E\x1b[5m', message: 'm\x07', stack: 'at \x1b[31mf' }, timeUnixNano: at(1) }),
    ];
    const s = initialState(buildTrees(hostile).tasks(), 'file:\x1b[2Jdir');
    for (const view of [s, keys(s, 'enter')]) {
      const lines = renderScreen(view, 20, 200);
      for (const l of lines) {
        // eslint-disable-next-line no-control-regex
        const controls = l.replace(/\x1b\[[0-9;]*m/g, '').match(/[\x00-\x1f\x7f\x9b]/g);
        assert.equal(controls, null, `control characters in ${JSON.stringify(l)}`);
      }
      assert.match(lines.join('\n'), /\\x1b\[2J/);
    }
    assert.match(text(keys(s, 'enter')), /! E\\x1b\[5m: m\\x07\n/);
  });
});

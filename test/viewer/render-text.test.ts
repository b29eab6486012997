import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrees, renderLoose, renderTask, renderTaskList, summarize } from '../../src/viewer/index.js';
import { T, at, entry, error } from './helpers.js';
import { checkout } from './scenario.js';

const tree = () => buildTrees(checkout()).task(T)!;

describe('text renderer', () => {
  it('shows the whole tree: outcomes, durations, exceptions and multi-line messages indented under their record', () => {
    assert.equal(
      renderTask(tree()),
      [
        'task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa · bank, orders, proxy · 16 records · 3 errors',
        '✘ checkout A-1 [orders] user=leo · FAILED checkout A-1 · 9 ms',
        '  ! PaymentError: declined',
        '  INFO  validating',
        '  ✔ 1 reserve stock [orders] · reserved 3 · 1.5 ms',
        '    INFO  rows 3',
        '    INFO  rows locked',
        '  ◦ span aa00000000000000 [proxy]',
        '    INFO  GET /charge',
        '    ◦ span ab00000000000000 [proxy]',
        '      INFO  dns lookup',
        '  ✘ 2 charge card [bank] · FAILED charge card · 2 ms',
        '    ! Declined: no funds',
        '          at charge (bank.js:10:5)',
        '          at main (bank.js:20:1)',
        '    INFO  card lookup',
        '    ERROR issuer said no',
        '          code 51',
        '  WARN  payment refused',
        '? unattributed: 1 record, 1 span whose place is unknown',
        '  ◦ span ac00000000000000 [proxy]',
        '    INFO  cache miss',
        '  INFO  no place at all',
      ].join('\n'),
    );
  });

  it('--depth keeps the upper levels and says what is folded below', () => {
    assert.equal(
      renderTask(tree(), { depth: 0 }),
      [
        'task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa · bank, orders, proxy · 16 records · 3 errors',
        '✘ checkout A-1 [orders] user=leo · FAILED checkout A-1 · 9 ms',
        '  ! PaymentError: declined',
        '  INFO  validating',
        '  WARN  payment refused',
        '  … 3 branches below, 1 with failures',
        '? unattributed: 1 record, 1 span whose place is unknown',
        '  INFO  no place at all',
        '  … 1 branch below',
      ].join('\n'),
    );
  });

  it('--failed shows only the branches that hold a failure', () => {
    const text = renderTask(tree(), { failedOnly: true });
    assert.doesNotMatch(text, /reserve stock|span aa|unattributed/);
    assert.match(text, /\n {2}✘ 2 charge card \[bank\] · FAILED charge card · 2 ms\n {4}! Declined: no funds\n/);
    assert.match(text, /\n {2}… 2 branches without failure hidden$/);
  });

  it('prints an exception record with a Python traceback once, its last line not repeated', () => {
    const t = buildTrees([
      entry({ task: T, path: '', seq: 0, event: 'enter', message: 'job' }),
      error({
        task: T, path: '', seq: 1, message: 'division failed',
        exception: { type: 'ZeroDivisionError', message: 'division by zero', stack: 'Traceback (most recent call last):\n  File "x.py", line 9, in <module>\n    1 / 0\nZeroDivisionError: division by zero' },
      }),
    ]).task(T)!;
    assert.equal(
      renderTask(t),
      [
        'task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa · svc · 2 records · 1 error',
        '▸ job [svc] · no end record',
        '  ERROR division failed',
        '        ! ZeroDivisionError: division by zero',
        '          Traceback (most recent call last):',
        '            File "x.py", line 9, in <module>',
        '              1 / 0',
      ].join('\n'),
    );
  });

  it('never lets log content drive the terminal: control characters are shown escaped', () => {
    const t = buildTrees([entry({ task: T, path: '', seq: 1, message: 'evil \x1b[2J\x07 text\tok' })]).task(T)!;
    assert.match(renderTask(t), /INFO {2}evil \\x1b\[2J\\x07 text\tok/);
  });

  it('colours failures red and successes green only when asked', () => {
    const coloured = renderTask(tree(), { color: true });
    assert.match(coloured, /\x1b\[31m✘\x1b\[0m checkout A-1/);
    assert.match(coloured, /\x1b\[32m✔\x1b\[0m 1 reserve stock/);
    assert.match(coloured, /\x1b\[31mERROR\x1b\[0m issuer said no/);
    assert.doesNotMatch(renderTask(tree()), /\x1b/);
  });

  it('lists tasks with status, start, duration, errors, services and first message', () => {
    const other = 'b'.repeat(32);
    const m = buildTrees([
      ...checkout(),
      entry({ task: other, path: '', seq: 0, event: 'enter', message: 'nightly report', timeUnixNano: at(20) }),
      entry({ task: other, path: '', seq: 1, event: 'exit', message: 'nightly report', durationMs: 1234.5, timeUnixNano: at(1254.5) }),
      entry({ message: 'outside' }),
    ]);
    assert.equal(
      renderTaskList(m.tasks().map(summarize)),
      [
        'TASK                              STATUS  START                     DURATION  ERRORS  SERVICES           FIRST MESSAGE',
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  failed  2026-11-25T01:04:05.000Z  9 ms      3       bank,orders,proxy  checkout A-1',
        'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb  ok      2026-11-25T01:04:05.020Z  1.23 s    0       svc                nightly report',
      ].join('\n'),
    );
    assert.equal(renderLoose(m.loose), 'outside any task · 1 record\n  INFO  outside');
  });
});

describe('text renderer: placement by time', () => {
  it('places a subtask whose own records are missing where its first descendant began', () => {
    const t = buildTrees([
      entry({ task: T, path: '', seq: 0, event: 'enter', message: 'job', timeUnixNano: at(0) }),
      entry({ task: T, path: '', seq: 1, message: 'before', timeUnixNano: at(1) }),
      entry({ task: T, path: '2/1', seq: 0, event: 'enter', message: 'remote', timeUnixNano: at(2) }),
      entry({ task: T, path: '', seq: 2, message: 'after', timeUnixNano: at(3) }),
    ]).task(T)!;
    assert.equal(
      renderTask(t),
      [
        'task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa · svc · 4 records',
        '▸ job [svc] · no end record',
        '  INFO  before',
        '  ▸ 2 (no records of this scope) · no end record',
        '    ▸ 2/1 remote [svc] · no end record',
        '  INFO  after',
      ].join('\n'),
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/protocol/index.js';
import { TreeModel, buildTrees, renderTask, type ScopeNode } from '../../src/viewer/index.js';
import { at, entry, pythonFixture, rng, shuffle } from './helpers.js';

const TUTORIAL = '5b5e8d3d-cdce-4011-899a-e77a68171c0d';
const SCENARIO = '6ac904b7-ad5f-47ab-a810-bb7b572e8bc2';
const FAILING = '449fb06c-ba24-44db-8e4a-eef1ff2f678a';
const EXCEPTION = '7444c471-80e3-4873-9f35-c6e2ecbd2d65';

const load = (...names: string[]): LogEntry[] => names.map(pythonFixture);
const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
const ends = (n: ScopeNode): string => `${n.status} enter=${n.enter?.message} end=${n.end?.message}${n.endInferred ? ' (inferred)' : ''}`;

describe('2018 Python distlog records (real fixtures)', () => {
  it('the tutorial: seq 0 is the enter record, the last record the exit, in any arrival order', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const t = buildTrees(shuffle(load(...range('msg', 1, 6)), rng(seed))).task(TUTORIAL)!;
      assert.equal(ends(t.root), 'ok enter=toplevel end=toplevel (inferred)');
      assert.equal(ends(t.node('p:1')!), 'ok enter=subtask end=subtask done (inferred)');
      assert.ok(t.root.python);
      assert.equal(t.root.durationMs, 0.596);
    }
  });

  it('renders the nested scenario with each scope closed by its last record', () => {
    const t = buildTrees(load(...range('scen', 1, 8))).task(SCENARIO)!;
    assert.equal(
      renderTask(t),
      [
        `task ${SCENARIO} · MainProcess · 8 records`,
        '✔ order A-1 [MainProcess] user=leo · 1.05 ms',
        '  INFO  validating tenant=acme',
        '  ✔ 1 reserve stock [MainProcess] sku=X · 0.301 ms',
        '    ✔ 1/1 lock row [MainProcess] table=stock · 0.13 ms',
        '      INFO  locked',
      ].join('\n'),
    );
  });

  it('a task whose failure record never came stays without an end; an exception record is an error, not a failure', () => {
    const m = buildTrees(load('scen12', 'scen13', 'exc1', 'exc2', 'exc3', 'scen9', 'scen10', 'scen11'));
    assert.equal(ends(m.task(FAILING)!.root), 'running enter=will fail end=undefined');
    const exc = m.task(EXCEPTION)!;
    assert.equal(ends(exc.root), 'ok enter=job end=job (inferred)');
    assert.equal(exc.errorCount, 1);
    assert.equal(exc.root.records[1]!.exception?.type, 'ZeroDivisionError');
    // import_task's broken keys (`0@<built-in function id>`) still form one scope
    assert.equal(ends(m.task('<built-in function id>')!.root), 'ok enter=remote work end=remote work (inferred)');
    assert.deepEqual(m.loose.map((e) => e.message), ['outside any task']);
  });

  it('live, before the task is over: a child closes when its parent moves on, the root stays running', () => {
    const m = new TreeModel();
    m.addAll(load('msg1', 'msg2', 'msg3', 'msg4', 'msg5'));
    const t = m.task(TUTORIAL)!;
    assert.equal(t.node('p:1')!.status, 'running', 'its last record may still be followed by more');
    m.add(pythonFixture('msg6'));
    assert.equal(ends(t.node('p:1')!), 'ok enter=subtask end=subtask done (inferred)');
    assert.equal(t.root.status, 'running');
    m.tick(Number(BigInt(t.lastTime) / 1_000_000n) + 60_000);
    assert.equal(ends(t.root), 'ok enter=toplevel end=toplevel (inferred)');
  });
});

const PY = { 'service.name': 'py', 'process.pid': 7, 'telemetry.sdk.language': 'python' };
const py = (key: string, message: string, ms: number, over: Partial<LogEntry> = {}): LogEntry => {
  const [seq, rest] = key.split('@') as [string, string];
  const slash = rest.indexOf('/');
  return entry({ key, task: 'tk', seq: Number(seq), path: slash < 0 ? '' : rest.slice(slash + 1), message, timeUnixNano: at(ms), resource: PY, ...over });
};

describe('Python scope ends: the settling rules', () => {
  it('FAILED <scope message> at ERROR ends a scope as failed at once', () => {
    const m = new TreeModel();
    m.add(py('0@tk', 'job', 0));
    m.add(py('1@tk', 'FAILED job', 1, { level: 'ERROR', severity: 17 }));
    assert.equal(ends(m.task('tk')!.root), 'failed enter=job end=FAILED job (inferred)');
  });

  it('a later sibling from the same process closes the earlier one; one from another process does not', () => {
    const m = new TreeModel();
    m.addAll([py('0@tk', 'job', 0), py('0@tk/1', 'a', 1), py('1@tk/1', 'a done', 2), py('0@tk/2', 'remote', 3, { resource: { ...PY, 'process.pid': 8 } })]);
    const t = m.task('tk')!;
    assert.equal(t.node('p:1')!.status, 'running');
    m.add(py('0@tk/3', 'b', 4));
    assert.equal(ends(t.node('p:1')!), 'ok enter=a end=a done (inferred)');
    assert.equal(t.node('p:3')!.status, 'running');
  });

  it('a parent that ended closes its children (the adapter may mark enter and fail itself)', () => {
    const m = new TreeModel();
    m.addAll([py('0@tk', 'job', 0, { event: 'enter' }), py('0@tk/1', 'a', 1), py('1@tk/1', 'a last', 2)]);
    const t = m.task('tk')!;
    assert.equal(t.node('p:1')!.status, 'running');
    // a record from another clock (another process) says nothing about time; the parent's fail does
    m.add(py('1@tk', 'FAILED job', 1.5, { event: 'fail', level: 'ERROR', severity: 17, resource: { ...PY, 'process.pid': 9 } }));
    assert.equal(ends(t.root), 'failed enter=job end=FAILED job');
    assert.equal(ends(t.node('p:1')!), 'ok enter=a end=a last (inferred)');
  });

  it('a scope with only its enter record has no end even when sealed', () => {
    const t = buildTrees([py('0@tk', 'job', 0)]).task('tk')!;
    assert.equal(ends(t.root), 'running enter=job end=undefined');
    assert.ok(t.sealed);
  });
});

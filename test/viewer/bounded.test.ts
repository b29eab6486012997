import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel } from '../../src/viewer/index.js';
import { at, entry } from './helpers.js';

const task = (i: number): string => i.toString(16).padStart(32, '0');

describe('bounded memory', () => {
  it('keeps the most recently updated tasks and counts what it evicted', () => {
    const m = new TreeModel({ maxTasks: 3 });
    const evicted: string[] = [];
    m.onChange((c) => c.evictedTask && evicted.push(c.task!));
    for (let i = 1; i <= 5; i++) m.add(entry({ task: task(i), path: '', seq: 0, message: `t${i}`, timeUnixNano: at(i) }));
    // touching task 3 makes it recent, so task 6 evicts task 4, the least recently updated
    m.add(entry({ task: task(3), path: '', seq: 1, message: 'again' }));
    m.add(entry({ task: task(6), path: '', seq: 0, message: 't6', timeUnixNano: at(6) }));
    assert.deepEqual(m.tasks().map((t) => t.task), [task(3), task(5), task(6)]);
    assert.deepEqual(evicted, [task(1), task(2), task(4)]);
    assert.deepEqual(m.evicted, { tasks: 3, records: 3, looseRecords: 0 });
    assert.equal(m.recordCount, 4);
    // a late record of an evicted task starts it again, marked partial
    m.add(entry({ task: task(1), path: '1', seq: 0, message: 'late' }));
    assert.equal(m.task(task(1))!.partial, true);
  });

  it('bounds the records over all tasks, evicting whole older tasks first', () => {
    const m = new TreeModel({ maxRecords: 10 });
    for (let t = 1; t <= 3; t++) for (let s = 0; s < 4; s++) m.add(entry({ task: task(t), path: '', seq: s, message: `r${s}` }));
    assert.deepEqual(m.tasks().map((t) => t.task), [task(2), task(3)]);
    assert.equal(m.recordCount, 8);
    assert.deepEqual(m.evicted, { tasks: 1, records: 4, looseRecords: 0 });
  });

  it('a long task keeps its newest records within maxRecordsPerTask, never its enter and exit records', () => {
    const m = new TreeModel({ maxRecordsPerTask: 5 });
    m.add(entry({ task: task(1), path: '', seq: 0, event: 'enter', message: 'long job' }));
    for (let s = 1; s <= 20; s++) m.add(entry({ task: task(1), path: '', seq: s, message: `step ${s}` }));
    m.add(entry({ task: task(1), path: '', seq: 21, event: 'exit', message: 'done', durationMs: 5 }));
    const t = m.task(task(1))!;
    assert.deepEqual(t.root.records.map((r) => r.message), ['long job', 'step 18', 'step 19', 'step 20', 'done']);
    assert.equal(t.root.status, 'ok');
    assert.equal(t.root.missingSeqs, 0, 'evicted records are a known loss, not a gap');
    assert.equal(t.partial, true);
    assert.deepEqual(m.evicted, { tasks: 0, records: 17, looseRecords: 0 });
    assert.equal(m.recordCount, 5);
  });

  it('bounds the records outside any task', () => {
    const m = new TreeModel({ maxLooseRecords: 2 });
    for (let i = 0; i < 5; i++) m.add(entry({ message: `free ${i}` }));
    assert.deepEqual(m.loose.map((e) => e.message), ['free 3', 'free 4']);
    assert.equal(m.evicted.looseRecords, 3);
  });
});

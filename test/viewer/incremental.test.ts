import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel, buildTrees, canonicalTask, type TreeChange } from '../../src/viewer/index.js';
import { T, at, entry, error } from './helpers.js';
import { H, S0, Z, checkout } from './scenario.js';

describe('incremental updates', () => {
  it('updates the same tree objects in place, as a live tail needs, ending like a batch build', () => {
    const m = new TreeModel();
    const records = checkout();
    m.add(records[0]!);
    const root = m.task(T)!.root;
    for (const e of records.slice(1)) m.add(e);
    assert.equal(m.task(T)!.root, root, 'the root node object survives later records');
    m.seal();
    assert.equal(canonicalTask(m.task(T)!), canonicalTask(buildTrees(records).task(T)!));
  });

  it('says which nodes changed: the node, and every ancestor whose aggregates moved', () => {
    const m = new TreeModel();
    const seen: TreeChange[] = [];
    m.onChange((c) => seen.push(c));
    m.addAll(checkout());
    seen.length = 0;
    const change = m.add(error({ task: T, span: Z, message: 'dns failed', timeUnixNano: at(4.4) }));
    assert.deepEqual(change, { task: T, createdTask: false, evictedTask: false, nodes: ['p:', `s:${H}`, `s:${Z}`] });
    assert.deepEqual(seen, [change]);
    const first = m.add(entry({ task: 'c'.repeat(32), path: '4/2', seq: 0, event: 'enter', message: 'late child first' }));
    assert.deepEqual(first, { task: 'c'.repeat(32), createdTask: true, evictedTask: false, nodes: ['p:', 'p:4', 'p:4/2'] });
  });

  it('a record outside any task is a change without task; unsubscribing stops notifications', () => {
    const m = new TreeModel();
    let calls = 0;
    const off = m.onChange(() => calls++);
    assert.deepEqual(m.add(entry({ message: 'free' })), { task: undefined, createdTask: false, evictedTask: false, nodes: [] });
    off();
    m.add(entry({ task: T, path: '', span: S0, seq: 0, message: 'x' }));
    assert.equal(calls, 1);
  });

  it('sealing reports the Python scopes it closes', () => {
    const m = new TreeModel();
    const PY = { 'service.name': 'py', 'telemetry.sdk.language': 'python' };
    m.add(entry({ task: 'tk', path: '', seq: 0, key: '0@tk', message: 'job', resource: PY }));
    m.add(entry({ task: 'tk', path: '', seq: 1, key: '1@tk', message: 'job', resource: PY }));
    const changes: TreeChange[] = [];
    m.onChange((c) => changes.push(c));
    m.seal('tk');
    assert.deepEqual(changes.map((c) => c.nodes), [['p:']]);
    assert.equal(m.task('tk')!.root.status, 'ok');
  });
});

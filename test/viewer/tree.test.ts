import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeMessage, type LogEntry } from '../../src/protocol/index.js';
import { buildForest, renderForest } from '../../src/viewer/index.js';

const fixtures = new URL('../../../shared/fixtures/python-distlog/', import.meta.url);
const load = (name: string): LogEntry[] =>
  decodeMessage([readFileSync(new URL(`${name}.topic`, fixtures)), readFileSync(new URL(`${name}.json`, fixtures))]).entries;

it('builds the Python tutorial tree from its real records, in any arrival order', () => {
  const entries = ['msg1', 'msg2', 'msg3', 'msg4', 'msg5', 'msg6'].flatMap(load);
  const shuffled = [entries[4]!, entries[0]!, entries[5]!, entries[2]!, entries[1]!, entries[3]!];
  const { tasks, loose } = buildForest(shuffled);
  assert.equal(loose.length, 0);
  assert.equal(tasks.length, 1);
  const root = tasks[0]!.root;
  // the Python original sends no event field: enter/exit are plain records there
  assert.deepEqual(root.records.map((e) => `${e.seq} ${e.message}`), ['0 toplevel', '1 into task', '2 toplevel']);
  assert.equal(root.children.length, 1);
  assert.equal(root.children[0]!.path, '1');
  assert.deepEqual(root.children[0]!.records.map((e) => `${e.seq} ${e.message}`), ['0 subtask', '1 into task', '2 subtask done']);
});

function entry(over: Partial<LogEntry>): LogEntry {
  return {
    v: 2, timeUnixNano: '1700000000000000000', level: 'INFO', severity: 9, logger: 'app', message: '',
    attributes: {}, resource: { 'service.name': 'svc' }, system: 'T', kind: 'L', ...over,
  };
}

it('renders scopes indented with their outcome; a lost parent scope still holds its children', () => {
  const T = 'a'.repeat(32);
  const t = (n: number) => String(1700000000000000000n + BigInt(n));
  const es = [
    entry({ task: T, path: '', seq: 0, event: 'enter', message: 'order A-1', timeUnixNano: t(0), attributes: { user: 'leo' } }),
    entry({ task: T, path: '1', seq: 0, event: 'enter', message: 'reserve', timeUnixNano: t(1) }),
    entry({ task: T, path: '1', seq: 1, message: 'rows 3', timeUnixNano: t(2) }),
    entry({ task: T, path: '1', seq: 2, event: 'exit', message: 'reserved', durationMs: 1.5, timeUnixNano: t(3) }),
    entry({ task: T, path: '2/1', seq: 0, event: 'enter', message: 'remote charge', timeUnixNano: t(4), resource: { 'service.name': 'bank' } }),
    entry({ task: T, path: '2/1', seq: 1, event: 'fail', level: 'ERROR', severity: 17, message: 'FAILED remote charge', exception: { type: 'Declined', message: 'no funds' }, timeUnixNano: t(5) }),
    entry({ task: T, path: '', seq: 1, event: 'fail', level: 'ERROR', severity: 17, message: 'FAILED order A-1', timeUnixNano: t(6) }),
    entry({ message: 'outside', timeUnixNano: t(7) }),
  ];
  const forest = buildForest(es);
  assert.equal(forest.tasks[0]!.failed, true);
  assert.equal(
    renderForest(forest),
    [
      `task ${T} (failed)`,
      '▸ order A-1 [svc] user=leo — ✘ FAILED order A-1',
      '  ▸ 1 reserve [svc] — ✔ reserved (1.5 ms)',
      '    INFO  rows 3',
      '  ▸ 2 (subtask, enter record missing) — open',
      '    ▸ 2/1 remote charge [bank] — ✘ FAILED remote charge: Declined: no funds',
      'outside any task',
      '  INFO  outside',
    ].join('\n'),
  );
});

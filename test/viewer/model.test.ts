import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel, buildTrees, renderTask, summarize, type ScopeNode } from '../../src/viewer/index.js';
import { T, at, entry, error } from './helpers.js';
import { H, Q, S2, Z, checkout } from './scenario.js';

const messages = (n: ScopeNode): string[] => n.records.map((r) => r.message);
const shape = (n: ScopeNode): string => `${n.id}${n.children.length ? `(${n.children.map(shape).join(' ')})` : ''}`;

describe('tree model', () => {
  it('nests scopes by path and hangs span-only records under the scope or span that called them', () => {
    const t = buildTrees(checkout()).task(T)!;
    // '2' is a remote scope whose parentSpan is a fresh per-call id: its path places it; H hangs under
    // the root by parentSpan, Z under H; Q's parent span is unknown
    assert.equal(shape(t.root), `p:(p:1 p:2 s:${H}(s:${Z}))`);
    assert.equal(shape(t.unattributed), `u(s:${Q})`);
    assert.deepEqual(messages(t.unattributed), ['no place at all']);
    // the pino record with only S2's span id joins the bank scope (records without seq come last)
    assert.deepEqual(messages(t.node('p:2')!), ['charge card', 'issuer said no\ncode 51', 'FAILED charge card', 'card lookup']);
    assert.equal(t.recordCount, 16);
  });

  it('orders a scope by seq, not by time, and gives status, duration and services per scope', () => {
    const records = checkout();
    // a clock that went backwards inside scope 1: seq still orders it
    records[4] = { ...records[4]!, timeUnixNano: at(2.5) };
    const t = buildTrees(records).task(T)!;
    const one = t.node('p:1')!;
    assert.deepEqual(messages(one), ['reserve stock', 'rows 3', 'rows locked', 'reserved 3']);
    assert.equal(one.status, 'ok');
    assert.equal(one.durationMs, 1.5);
    assert.equal(one.enter?.message, 'reserve stock');
    assert.equal(one.end?.message, 'reserved 3');
    const two = t.node('p:2')!;
    assert.equal(two.status, 'failed');
    assert.equal(two.end?.exception?.type, 'Declined');
    assert.deepEqual(two.services, ['bank']);
    assert.equal(t.root.status, 'failed');
    assert.deepEqual(t.services, ['bank', 'orders', 'proxy']);
  });

  it('bubbles the error flag to every ancestor, and counts the task errors', () => {
    const t = buildTrees(checkout()).task(T)!;
    assert.equal(t.node('p:1')!.subtreeErrors, 0);
    assert.equal(t.node('p:2')!.errors, 2);
    assert.equal(t.root.errors, 1);
    assert.equal(t.root.subtreeErrors, 3);
    assert.equal(t.errorCount, 3);
    // an error deep in a span chain reaches the root through the span nodes
    const m = new TreeModel();
    m.addAll(checkout());
    m.add(error({ task: T, span: Z, message: 'dns failed', logger: 'dns', timeUnixNano: at(4.3) }));
    assert.equal(m.task(T)!.node(`s:${H}`)!.subtreeErrors, 1);
    assert.equal(m.task(T)!.root.subtreeErrors, 4);
  });

  it('creates placeholder scopes for missing ancestors, and counts missing seqs', () => {
    const t = buildTrees([
      entry({ task: T, path: '3/1', seq: 0, event: 'enter', message: 'deep' }),
      entry({ task: T, path: '3/1', seq: 3, message: 'after a gap' }),
    ]).task(T)!;
    assert.equal(shape(t.root), 'p:(p:3(p:3/1))');
    assert.equal(t.node('p:3')!.enter, undefined);
    assert.equal(t.node('p:3/1')!.missingSeqs, 2);
    assert.equal(t.root.status, 'running');
  });

  it('moves records that arrived before their scope into it, and waiting spans under their parent', () => {
    const m = new TreeModel();
    m.add(entry({ task: T, span: Z, parentSpan: H, message: 'child span first' }));
    m.add(entry({ task: T, span: S2, message: 'span-only first' }));
    const t = m.task(T)!;
    assert.equal(shape(t.unattributed), `u(s:${S2} s:${Z})`);
    m.add(entry({ task: T, span: H, parentSpan: S2, message: 'parent span' }));
    assert.equal(shape(t.unattributed), `u(s:${S2}(s:${H}(s:${Z})))`);
    m.add(error({ task: T, path: '2', span: S2, seq: 0, event: 'enter', message: 'the scope' }));
    assert.equal(shape(t.root), `p:(p:2(s:${H}(s:${Z})))`);
    assert.equal(shape(t.unattributed), 'u');
    assert.deepEqual(messages(t.node('p:2')!), ['the scope', 'span-only first']);
    assert.equal(t.node(`s:${S2}`), undefined);
    assert.equal(t.root.subtreeErrors, 1);
  });

  it('keeps records outside any task apart, never lost', () => {
    const m = buildTrees([entry({ message: 'free' }), ...checkout()]);
    assert.deepEqual(m.loose.map((e) => e.message), ['free']);
    assert.equal(m.recordCount, 16);
  });

  it('lists tasks by their first record time', () => {
    const other = 'b'.repeat(32);
    const m = buildTrees([entry({ task: other, path: '', seq: 0, timeUnixNano: at(50) }), ...checkout()]);
    assert.deepEqual(m.tasks().map((t) => t.task), [T, other]);
  });

  it('refuses bad bounds with a message naming the option', () => {
    assert.throws(() => new TreeModel({ maxTasks: 0 }), /maxTasks must be a positive integer, got 0/);
  });
});

describe('tree model: scopes that joined a foreign trace at path \'\'', () => {
  const A = 'a1'.repeat(8);
  const A1 = 'a2'.repeat(8);
  const B = 'b1'.repeat(8);
  const B1 = 'b2'.repeat(8);
  const G = (n: number) => `c${n}`.repeat(8);
  const records = () => [
    // two calls from a non-distlog gateway: each service opens its scope at '' with the gateway's span as parent
    entry({ task: T, path: '', span: A, parentSpan: G(1), seq: 0, event: 'enter', message: 'GET /a', resource: { 'service.name': 'a' } }),
    entry({ task: T, path: '1', span: A1, seq: 1, message: 'in a/1', resource: { 'service.name': 'a' } }),
    entry({ task: T, path: '1', span: A1, parentSpan: A, seq: 0, event: 'enter', message: 'a step', resource: { 'service.name': 'a' } }),
    entry({ task: T, path: '', span: B, parentSpan: G(2), seq: 0, event: 'enter', message: 'GET /b', resource: { 'service.name': 'b' } }),
    entry({ task: T, path: '1', span: B1, parentSpan: B, seq: 0, event: 'enter', message: 'b step', resource: { 'service.name': 'b' } }),
    error({ task: T, path: '1', span: B1, parentSpan: B, seq: 1, event: 'fail', message: 'FAILED b step', resource: { 'service.name': 'b' } }),
    entry({ task: T, span: 'dd'.repeat(8), parentSpan: A1, message: 'plain OTLP under a/1' }),
  ];

  it('gives each joined scope its own subtree under the task root, whatever the order', () => {
    for (const order of [records(), records().reverse()]) {
      const t = buildTrees(order).task(T)!;
      assert.equal(shape(t.root), `p:(j:${A}:(j:${A}:1(s:${'dd'.repeat(8)})) j:${B}:(j:${B}:1))`);
      assert.deepEqual(messages(t.node(`j:${A}:1`)!), ['a step', 'in a/1']);
      assert.equal(t.node(`j:${B}:1`)!.status, 'failed');
      assert.equal(t.root.subtreeErrors, 1);
      assert.equal(t.root.records.length, 0);
      assert.match(renderTask(t), /^▸ \(begun outside distlog\) · no end record\n {2}▸ GET \/a \[a\]/m);
      assert.equal(summarize(t).status, 'running', 'GET /a and GET /b never ended');
    }
  });

  it('a task begun outside distlog takes its status from the scopes that joined it', () => {
    const failedB = error({ task: T, path: '', span: B, parentSpan: G(2), seq: 1, event: 'fail', message: 'FAILED GET /b', resource: { 'service.name': 'b' } });
    const t = buildTrees([...records(), failedB]).task(T)!;
    assert.equal(summarize(t).status, 'failed');
    assert.equal(summarize(t).title, 'GET /a');
  });

  it('says when scopes without span ids share one path', () => {
    const t = buildTrees([
      entry({ task: T, path: '1', seq: 0, event: 'enter', message: 'first' }),
      entry({ task: T, path: '1', seq: 0, event: 'enter', message: 'second' }),
    ]).task(T)!;
    assert.equal(t.node('p:1')!.enterCount, 2);
    assert.match(renderTask(t), /\n {2}▸ 1 first \[svc\] · no end record · 2 scopes share this path\n {4}INFO {2}second$/);
  });
});

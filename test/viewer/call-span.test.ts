/**
 * A service with only an OpenTelemetry SDK logs with the caller's parent-id as
 * its span id and nothing else. distlog derives that id from the calling
 * scope's span id (protocol/call-span.ts), and the tree hangs such records
 * under the calling scope, in whatever order they arrive.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callSpanId, callerKey, MAX_DERIVED_CALL } from '../../src/protocol/index.js';
import { TreeModel } from '../../src/viewer/index.js';
import { entry, error, rng, shuffle, T } from './helpers.js';

const SCOPE = '5f3a9c01b2e47d10';
const OTHER = '9e8d7c6b5a493827';

describe('call parent-ids', () => {
  it('are distinct per slot, never the scope\'s own id, and share the scope\'s caller key', () => {
    const ids = new Set<string>();
    for (let slot = 1; slot <= 1000; slot++) {
      const id = callSpanId(SCOPE, slot)!;
      assert.match(id, /^[0-9a-f]{16}$/);
      assert.notEqual(id, SCOPE);
      assert.equal(callerKey(id), callerKey(SCOPE));
      ids.add(id);
    }
    assert.equal(ids.size, 1000);
    assert.equal(callSpanId(SCOPE, MAX_DERIVED_CALL + 1), undefined, 'past 16 bits the SDK falls back to a random id');
    assert.equal(callSpanId(SCOPE, 0), undefined);
  });

  it('place a parentless span node under the scope that made the call, whatever the arrival order', () => {
    const call1 = callSpanId(SCOPE, 1)!;
    const call2 = callSpanId(SCOPE, 2)!;
    const records = [
      entry({ task: T, path: '', span: OTHER, seq: 0, event: 'enter', message: 'checkout' }),
      entry({ task: T, path: '1', span: SCOPE, seq: 0, event: 'enter', message: 'price items' }),
      entry({ task: T, path: '1', span: SCOPE, seq: 1, event: 'exit', message: 'priced' }),
      entry({ task: T, span: call1, message: 'python: sku 42', resource: { 'service.name': 'pricing' } }),
      error({ task: T, span: call2, message: 'python: sku 43 unknown', resource: { 'service.name': 'pricing' } }),
    ];
    const random = rng(7);
    for (let round = 0; round < 50; round++) {
      const m = new TreeModel();
      for (const r of shuffle(records, random)) m.add(r);
      const t = m.tasks()[0]!;
      const caller = t.node('p:1')!;
      assert.deepEqual(t.unattributed.children, [], `round ${round}: nothing waits`);
      const spans = caller.children.filter((c) => c.kind === 'span');
      assert.deepEqual(spans.map((s) => s.records.map((r) => r.message)).sort(), [['python: sku 42'], ['python: sku 43 unknown']]);
      assert.equal(caller.subtreeErrors, 1, 'the failing call bubbles up to the caller');
      assert.equal(t.node('p:')!.subtreeErrors, 1);
    }
  });

  it('leave a random (underived) span id waiting under unattributed, never lost', () => {
    const m = new TreeModel();
    m.add(entry({ task: T, path: '1', span: SCOPE, seq: 0, event: 'enter', message: 'price items' }));
    m.add(entry({ task: T, span: OTHER, message: 'from somewhere else' }));
    const t = m.tasks()[0]!;
    assert.deepEqual(t.unattributed.children.map((c) => c.records[0]!.message), ['from somewhere else']);
  });
});

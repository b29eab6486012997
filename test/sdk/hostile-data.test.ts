/**
 * Application data that fights back: throwing getters, Proxies whose traps
 * throw, circular and huge objects. No distlog call throws into the app; what
 * cannot be read is marked and counted, and a record that cannot be built at
 * all is counted as dropped.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { bind, getLogger, importTask, perf, scoped, success, task, to } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('hostile');
});
after(() => h.handle.shutdown());

function throwingGetter(): Record<string, unknown> {
  const o: Record<string, unknown> = { ok: 1 };
  Object.defineProperty(o, 'bad', { enumerable: true, get: () => { throw new Error('getter says no'); } });
  return o;
}

function throwingProxy(): Record<string, unknown> {
  const fail = (): never => {
    throw new Error('trap says no');
  };
  return new Proxy({}, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail, has: fail });
}

it('a throwing getter in context data, bind() data or log data never throws; the value is marked and counted', async () => {
  const before = h.handle.sdkStats().unreadableValues;
  const result = task('order %s', 'A-1', throwingGetter(), () => {
    bind(throwingGetter());
    to('step', throwingGetter(), () => getLogger('app').info('saw %s', 'it', throwingGetter()));
    return 'body ran';
  });
  assert.equal(result, 'body ran');
  const es = await h.drain();
  assert.deepEqual(es.map((e) => `${e.path} ${e.event ?? '-'} ${e.message}`), [' enter order A-1', '1 enter step', '1 - saw it', '1 exit step', ' exit order A-1']);
  assert.equal(es[0]!.attributes.ok, 1);
  assert.equal(es[0]!.attributes.bad, '[Unreadable: Error: getter says no]');
  assert.equal(es[2]!.attributes.bad, '[Unreadable: Error: getter says no]');
  assert.ok(h.handle.sdkStats().unreadableValues >= before + 4, JSON.stringify(h.handle.sdkStats()));
});

it('a Proxy whose traps all throw, as data, format argument, message or carrier, never throws', async () => {
  const p = throwingProxy();
  const out = task('proxy %s', p, p, () => {
    bind(p);
    getLogger('app').info('proxy %s %j', p, p, p);
    getLogger('app').info(p as unknown as string, p);
    getLogger('app').error('failed', p);
    perf('proxy', p as Record<string, number>);
    success('done with %s', p);
    const wrapped = scoped('wrapped', p, () => 'wrapped ran');
    assert.equal(wrapped(), 'wrapped ran');
    return to('inner', p, () => importTask(p, 'imported', () => 'done'));
  });
  assert.equal(out, 'done');
  const es = await h.drain();
  assert.ok(es.length >= 6, `records still flow: ${es.length}`);
  assert.equal(es[0]!.event, 'enter');
});

it('circular and huge objects are logged bounded, and later mutation does not change the record', async () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  circular.list = [circular, { deeper: circular }];
  const huge = { items: Array.from({ length: 100_000 }, (_, i) => i) };
  const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  const deep: Record<string, unknown> = {};
  let at = deep;
  for (let i = 0; i < 50; i++) at = (at.next = {}) as Record<string, unknown>;
  const mutable = { state: 'before' };
  getLogger('app').info('objects', { circular, huge, wide, deep, mutable });
  mutable.state = 'after';
  const [rec] = await h.drain();
  const a = rec!.attributes as Record<string, any>;
  assert.equal(a.circular.self, '[Circular]');
  assert.equal(a.circular.list[0], '[Circular]');
  assert.equal(a.circular.list[1].deeper, '[Circular]');
  assert.equal(a.huge.items.length, 1001);
  assert.equal(a.huge.items[1000], '… 99000 more items not logged');
  assert.equal(Object.keys(a.wide).length, 1001);
  assert.equal(a.wide['…'], '4000 more keys not logged');
  assert.match(JSON.stringify(a.deep), /\[Too deep\]/);
  assert.equal(a.mutable.state, 'before');
});

it('a record that cannot be built is counted as dropped, and the app goes on', async () => {
  const before = h.handle.sdkStats().droppedRecords;
  // a message whose String() throws: nothing of the record can be made
  const msg = { toString() { throw new Error('no text'); } } as unknown as string;
  assert.doesNotThrow(() => getLogger('app').info(msg));
  assert.doesNotThrow(() => getLogger('app').info(msg, 1));
  assert.equal(h.handle.sdkStats().droppedRecords, before + 2);
  await h.drain();
});

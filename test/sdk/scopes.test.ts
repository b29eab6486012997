import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { bind, currentScope, getLogger, scoped, success, task, to } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('scopes');
});
after(() => h.handle.shutdown());

const log = getLogger('app');
const summary = (es: { key?: string; event?: string; message: string }[]) => es.map((e) => `${e.key} ${e.event ?? '-'} ${e.message}`);

describe('task/to nesting', () => {
  it('gives exact keys, seq numbers, enter/exit records, success message and bind across 3 levels', async () => {
    let taskId = '';
    await task('toplevel', { user: 'leo' }, async (t) => {
      taskId = t.taskId;
      log.info('into task');
      await to('level %d', 1, { arg: 42 }, async () => {
        log.info('in one');
        await to('level 2', async () => {
          bind({ step: 'deep' });
          await new Promise((r) => setTimeout(r, 2));
          log.debug('in two');
          success('level 2 done in %s', 'time');
        });
        await to('level 2b', () => log.warn('sibling'));
      });
      log.info('back on top');
    });
    const es = await h.drain();
    const T = taskId;
    assert.match(T, /^[0-9a-f]{32}$/);
    assert.deepEqual(summary(es), [
      `0@${T} enter toplevel`,
      `1@${T} - into task`,
      `0@${T}/1 enter level 1`,
      `1@${T}/1 - in one`,
      `0@${T}/1/1 enter level 2`,
      `1@${T}/1/1 - in two`,
      `2@${T}/1/1 exit level 2 done in time`,
      `0@${T}/1/2 enter level 2b`,
      `1@${T}/1/2 - sibling`,
      `2@${T}/1/2 exit level 2b`,
      `2@${T}/1 exit level 1`,
      `2@${T} - back on top`,
      `3@${T} exit toplevel`,
    ]);
    // every record of the tree carries the task id as its OTel trace id
    assert.ok(es.every((e) => e.task === T));
    const [enterTop, , enterOne, , enterTwo] = es;
    assert.equal(enterTop!.path, '');
    assert.equal(enterTwo!.path, '1/1');
    assert.equal(enterOne!.parentSpan, enterTop!.span);
    assert.equal(enterTwo!.parentSpan, enterOne!.span);
    assert.equal(enterTop!.parentSpan, undefined);
    // context data: the innermost scope's, plus what bind() added later
    assert.deepEqual(es[1]!.attributes, { user: 'leo' });
    assert.deepEqual(es[3]!.attributes, { arg: 42 });
    assert.deepEqual(es[4]!.attributes, {});
    assert.deepEqual(es[5]!.attributes, { step: 'deep' });
    // seq numbers are the key's counter
    assert.deepEqual(es.filter((e) => e.path === '1').map((e) => e.seq), [0, 1, 2]);
    const exit = es.find((e) => e.event === 'exit' && e.path === '1/1')!;
    assert.ok(exit.durationMs! >= 1, `duration ${exit.durationMs}`);
    assert.equal(exit.level, 'INFO');
  });

  it('formats the scope message like util.format and keeps a trailing object as context', async () => {
    await task('order %s for %j', 'A-1', { n: 1 }, { user: 'leo' }, () => undefined);
    const [enter] = await h.drain();
    assert.equal(enter!.message, 'order A-1 for {"n":1}');
    assert.deepEqual(enter!.attributes, { user: 'leo' });
  });

  it('returns the body result, sync and async', async () => {
    assert.equal(task('sync', () => 41 + 1), 42);
    assert.equal(await task('async', async () => 'v'), 'v');
    await h.drain();
  });

  it('keeps the scope across timers, event emitters and promise chains', async () => {
    const seen: (string | undefined)[] = [];
    await task('carrier', async (t) => {
      const em = new EventEmitter();
      const got = new Promise<void>((resolve) =>
        em.on('x', () => {
          seen.push(currentScope()?.key.split('@')[1]);
          resolve();
        }),
      );
      setTimeout(() => em.emit('x'), 1);
      await got;
      await new Promise<void>((r) => setImmediate(r));
      seen.push(currentScope()?.taskId === t.taskId ? 'same' : 'other');
    });
    assert.equal(seen[1], 'same');
    assert.match(seen[0]!, /^[0-9a-f]{32}$/);
    await h.drain();
  });

  it('scoped() wraps a function as a subtask and keeps this/arguments/result', async () => {
    const fetchUser = scoped('fetch user', { source: 'db' }, async (id: number) => `user-${id}`);
    const obj = { k: 3, get: scoped('get k', function (this: { k: number }) { return this.k; }) };
    const r = await task('with wrappers', async () => [await fetchUser(7), obj.get()]);
    assert.deepEqual(r, ['user-7', 3]);
    const es = await h.drain();
    assert.deepEqual(
      es.map((e) => `${e.path} ${e.event ?? '-'} ${e.message}`),
      [' enter with wrappers', '1 enter fetch user', '1 exit fetch user', '2 enter get k', '2 exit get k', ' exit with wrappers'],
    );
    assert.deepEqual(es[1]!.attributes, { source: 'db' });
  });

  it('supports the `using` form for the rest of a block', async () => {
    let T = '';
    {
      using t = task('batch run', { job: 'nightly' });
      T = t.taskId;
      log.info('inside using');
      {
        using s = to('step');
        s.success('step ok');
        log.info('inside step');
      }
      log.info('after step');
    }
    log.info('after block');
    const es = await h.drain();
    assert.deepEqual(summary(es), [
      `0@${T} enter batch run`,
      `1@${T} - inside using`,
      `0@${T}/1 enter step`,
      `1@${T}/1 - inside step`,
      `2@${T}/1 exit step ok`,
      `2@${T} - after step`,
      `3@${T} exit batch run`,
      `undefined - after block`,
    ]);
  });
});

describe('to() outside any task', () => {
  it('opens a new task (orphan) and never throws', async () => {
    const r = to('lonely', (s) => ({ orphan: s.orphan, path: s.path }));
    assert.deepEqual(r, { orphan: true, path: '' });
    const es = await h.drain();
    assert.equal(es.length, 2);
    assert.match(es[0]!.key!, /^0@[0-9a-f]{32}$/);
    assert.equal(es[1]!.event, 'exit');
  });
  it('success() and bind() outside a scope are no-ops', async () => {
    success('nothing');
    bind({ a: 1 });
    log.info('plain');
    const [e] = await h.drain();
    assert.equal(e!.key, undefined);
    assert.deepEqual(e!.attributes, {});
  });
});

describe('reserved names', () => {
  it('user context and record data cannot overwrite distlog.* attributes', async () => {
    let T = '';
    await task('guarded', { 'distlog.key': 'forged', user: 'leo' }, (t) => {
      T = t.taskId;
      bind({ 'distlog.path': '9/9' });
      log.info('data tries too', { 'distlog.key': 'evil', 'distlog.event': 'exit', ok: true });
    });
    const es = await h.drain();
    assert.deepEqual(es.map((e) => e.key), [`0@${T}`, `1@${T}`, `2@${T}`]);
    assert.deepEqual(es.map((e) => e.path), ['', '', '']);
    assert.equal(es[1]!.event, undefined);
    assert.deepEqual(es[1]!.attributes, { ok: true, user: 'leo' });
  });
});

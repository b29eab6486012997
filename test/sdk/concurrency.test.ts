import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { getLogger, task, to } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('concurrency');
});
after(() => h.handle.shutdown());

it('1,000 concurrent async tasks with interleaved awaits never see each other (the Python global stack did)', async () => {
  const log = getLogger('worker');
  const N = 1000;
  const ids = new Map<number, string>();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      task('request %d', i, { req: i }, async (t) => {
        ids.set(i, t.taskId);
        await sleep(i % 7);
        log.info('step one of %d', i, { req: i });
        await to('sub of %d', i, async () => {
          await sleep((i * 13) % 5);
          log.info('inside sub of %d', i, { req: i });
          await Promise.resolve();
          log.info('again %d', i, { req: i });
        });
        await sleep(i % 3);
        log.info('last of %d', i, { req: i });
      }),
    ),
  );
  const es = await h.drain();
  assert.equal(es.length, N * 8);
  const byTask = new Map<string, typeof es>();
  for (const e of es) {
    const list = byTask.get(e.task!) ?? [];
    list.push(e);
    byTask.set(e.task!, list);
  }
  assert.equal(byTask.size, N);
  for (const [i, taskId] of ids) {
    const mine = byTask.get(taskId)!;
    // every record of the task names this request and no other
    for (const e of mine) {
      assert.ok(e.message.endsWith(String(i)), `task ${i} got "${e.message}"`);
      if (e.event === undefined || e.path === '') assert.equal(e.attributes.req, i);
    }
    const top = mine.filter((e) => e.path === '').map((e) => e.seq);
    const sub = mine.filter((e) => e.path === '1').map((e) => e.seq);
    assert.deepEqual(top, [0, 1, 2, 3]);
    assert.deepEqual(sub, [0, 1, 2, 3]);
  }
});

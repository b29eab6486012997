/**
 * The web view reads older tasks from the configured store: with a redis
 * plugin beside the file plugin, the default store is Redis. A task sent
 * through one distlogd is shown by the next one (its in-memory window empty,
 * its file folder new) from the Redis streams alone.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { RedisServer } from '../../helpers/redis-server.js';
import { waitFor } from '../../collector/helpers.js';
import type { TaskRow, TaskTreeJson, TreeNodeJson, CountersJson } from '../../../src/viewer/web/wire.js';
import { ensureWebBuilt, startDaemon, startServices } from './stack.js';

let redis: RedisServer;

before(async () => {
  redis = await RedisServer.start();
  await ensureWebBuilt();
});

after(async () => {
  await redis?.close();
});

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

it('a task stored in Redis by one distlogd is listed and drawn by the next one', async () => {
  const redisPlugin = `  - type: redis\n    options: { url: "${redis.url}/0" }`;
  const first = await startDaemon('{ endpoint: "127.0.0.1:0" }', redisPlugin);
  let taskId: string;
  try {
    const services = await startServices(first.endpoint, { ORDERS: 'B-2:250', PAUSE_MS: '0' });
    try {
      await services.done;
    } finally {
      await services.stop();
    }
    await waitFor(
      'the whole task in the first daemon',
      async () => (await getJson<{ tasks: TaskRow[] }>(`${first.url}api/tasks`)).tasks.some((t) => t.recordCount === 18 && t.status === 'failed'),
      30_000,
    );
    taskId = (await getJson<{ tasks: TaskRow[] }>(`${first.url}api/tasks`)).tasks[0]!.task;
  } finally {
    assert.equal(await first.stop(), 0, first.stderr());
  }

  const second = await startDaemon('{ endpoint: "127.0.0.1:0" }', redisPlugin);
  try {
    const stats = await getJson<CountersJson>(`${second.url}api/stats`);
    assert.match(stats.web.store, /^redis:\/\/127\.0\.0\.1:\d+\/0 /, 'the default store is the redis plugin, not the file plugin');
    assert.equal(stats.web.windowTasks, 0);
    const rows = (await getJson<{ tasks: TaskRow[] }>(`${second.url}api/tasks`)).tasks;
    assert.deepEqual(
      rows.map((r) => [r.task, r.title, r.status, r.source, r.services]),
      [[taskId, 'checkout order B-2', 'failed', 'store', ['payments', 'storefront']]],
    );
    const tree = await getJson<TaskTreeJson>(`${second.url}api/tasks/${taskId}`);
    assert.equal(tree.source, 'store');
    const failed: string[] = [];
    const walk = (n: TreeNodeJson) => {
      if (n.status === 'failed') failed.push(n.title);
      n.children.forEach(walk);
    };
    walk(tree.root);
    assert.deepEqual(failed, ['checkout order B-2', 'charge card', 'serve POST /charge?amount=250', 'fraud check']);
  } finally {
    assert.equal(await second.stop(), 0, second.stderr());
  }
});

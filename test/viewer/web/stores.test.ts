/**
 * The web view reads older tasks from the configured store: with a redis or
 * mongodb plugin beside the file plugin, the default store is that database.
 * A task sent through one distlogd is shown by the next one (its in-memory
 * window empty, its file folder new) from the database alone: Redis streams,
 * and MongoDB documents in a real FerretDB.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { RedisServer } from '../../helpers/redis-server.js';
import { FerretDB } from '../../helpers/ferretdb.js';
import { waitFor } from '../../collector/helpers.js';
import type { TaskRow, TaskTreeJson, TreeNodeJson, CountersJson } from '../../../src/viewer/web/wire.js';
import { ensureWebBuilt, startDaemon, startServices } from './stack.js';

let redis: RedisServer;
let ferret: FerretDB;

before(async () => {
  [redis, ferret] = await Promise.all([RedisServer.start(), FerretDB.start()]);
  await ensureWebBuilt();
});

after(async () => {
  await redis?.close();
  await ferret?.stop();
});

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

const stores = [
  { name: 'Redis', plugin: () => `  - type: redis\n    options: { url: "${redis.url}/0" }`, described: /^redis:\/\/127\.0\.0\.1:\d+\/0 / },
  { name: 'MongoDB (FerretDB)', plugin: () => `  - type: mongodb\n    options: { uri: "${ferret.uri}", database: webview }`, described: /127\.0\.0\.1:\d+.*webview/ },
];

for (const store of stores) it(`a task stored in ${store.name} by one distlogd is listed and drawn by the next one`, { timeout: 120_000 }, async () => {
  const storePlugin = store.plugin();
  const first = await startDaemon('{ endpoint: "127.0.0.1:0" }', storePlugin);
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

  const second = await startDaemon('{ endpoint: "127.0.0.1:0" }', storePlugin);
  try {
    const stats = await getJson<CountersJson>(`${second.url}api/stats`);
    assert.match(stats.web.store, store.described, 'the default store is the database plugin, not the file plugin');
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

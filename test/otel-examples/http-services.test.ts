/**
 * Runs otel-examples/http-services as a newcomer would: two Node services on
 * loopback, each started with `--import instrumentation.ts` (HTTP + undici
 * instrumentations and the ESM loader hook), sending to one ZeroMQ PULL socket.
 * The records of both must form one task tree.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pull } from 'zeromq';
import { decodeMessage, type LogEntry } from '../../src/protocol/index.js';
import { firstLine } from '../helpers/child-output.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function service(file: string, env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=distlog-src', '--import', 'tsx', '--import', './otel-examples/http-services/instrumentation.ts', `otel-examples/http-services/${file}`],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
}

it('a caller (node:http and fetch) and a callee on loopback log one task tree', async () => {
  const pull = new Pull();
  await pull.bind('tcp://127.0.0.1:*');
  const endpoint = pull.lastEndpoint!;

  const callee = service('callee.ts', { DISTLOG_ENDPOINT: endpoint, PORT: '0' });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(callee))?.[1];
  assert.ok(url, 'the callee printed its URL');
  const caller = service('caller.ts', { DISTLOG_ENDPOINT: endpoint, CALLEE_URL: url });

  const expected = 14; // shop: 6 records, inventory: 5 (reserve) + 3 (charge)
  const entries: LogEntry[] = [];
  const deadline = setTimeout(() => pull.close(), 60_000);
  const received = (async () => {
    try {
      for await (const frames of pull) {
        const msg = decodeMessage(frames);
        assert.deepEqual(msg.errors, []);
        entries.push(...msg.entries);
        if (entries.length >= expected) break;
      }
    } catch {
      // closed by the deadline: the assertions below say what is missing
    }
  })();
  const [callerCode] = (await once(caller, 'exit')) as [number];
  assert.equal(callerCode, 0);
  callee.kill('SIGTERM'); // the callee flushes on SIGTERM
  const [calleeCode] = (await once(callee, 'exit')) as [number];
  assert.equal(calleeCode, 0);
  await received;
  clearTimeout(deadline);
  pull.close();

  const shop = entries.filter((e) => e.resource['service.name'] === 'shop');
  const inventory = entries.filter((e) => e.resource['service.name'] === 'inventory');
  const T = shop[0]?.task;
  assert.match(String(T), /^[0-9a-f]{32}$/);
  assert.ok(entries.every((e) => e.task === T), `one task for all: ${[...new Set(entries.map((e) => e.task))].join(', ')}`);

  const line = (e: LogEntry): string => `${e.key} ${e.event ?? '-'} ${e.message}`;
  assert.deepEqual(shop.map(line).sort(), [
    `0@${T} enter checkout order A-1`,
    `0@${T}/1 enter reserve stock`,
    `1@${T} - charge answered ok`,
    `1@${T}/1 - reserve answered ok`,
    `2@${T} exit checkout order A-1`,
    `2@${T}/1 exit reserve stock`,
  ]);
  // node:http call from subtask 1 → remote subtask 1/1; fetch from the task → remote subtask 2
  assert.deepEqual(inventory.map(line).sort(), [
    `0@${T}/1/1 enter serve GET /reserve?sku=42`,
    `0@${T}/1/1/1 enter check stock`,
    `0@${T}/2 enter serve POST /charge`,
    `1@${T}/1/1 - request for /reserve?sku=42`,
    `1@${T}/1/1/1 - 42 in stock`,
    `1@${T}/2 - request for /charge`,
    `2@${T}/1/1 exit serve GET /reserve?sku=42`,
    `2@${T}/1/1/1 exit check stock`,
    `2@${T}/2 exit serve POST /charge`,
  ].sort());
  const remoteRoots = inventory.filter((e) => e.event === 'enter' && (e.path === '1/1' || e.path === '2'));
  const shopSpans = new Set(shop.map((e) => e.span));
  const parents = remoteRoots.map((e) => e.parentSpan);
  assert.equal(new Set(parents).size, 2, 'each call its own parent-id');
  for (const p of parents) assert.match(String(p), /^[0-9a-f]{16}$/);
  for (const p of parents) assert.ok(!shopSpans.has(p), 'a fresh parent-id per call, not the calling scope span');
});

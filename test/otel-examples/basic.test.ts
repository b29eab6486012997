/**
 * Runs otel-examples/basic as a real process against a real ZeroMQ PULL socket
 * and checks it sends the Python tutorial's records with the same keys.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pull } from 'zeromq';
import { decodeMessage, type LogEntry } from '../../src/protocol/index.js';
import { plain } from '../protocol/plain.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('the basic example sends the tutorial tree: task toplevel with subtask, success message, a record outside', async () => {
  const pull = new Pull();
  await pull.bind('tcp://127.0.0.1:*');
  const endpoint = pull.lastEndpoint!;

  const app = spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', 'otel-examples/basic/main.ts'], {
    cwd: root,
    env: { ...process.env, DISTLOG_ENDPOINT: endpoint },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  app.stdout.on('data', (c: Buffer) => (stdout += c.toString()));

  const entries: LogEntry[] = [];
  const deadline = setTimeout(() => pull.close(), 20_000);
  try {
    for await (const frames of pull) {
      const msg = decodeMessage(frames);
      assert.deepEqual(msg.errors, []);
      assert.equal(msg.topic.system, 'T');
      entries.push(...plain(msg.entries)); // decoded OTLP maps have no prototype; deepEqual wants ordinary objects
      if (entries.length >= 7) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  const [code] = (await once(app, 'exit')) as [number];
  pull.close();
  assert.equal(code, 0);
  assert.equal(stdout, 'into task\ninto subtask\nall done\n');

  const T = entries[0]!.task!;
  assert.match(T, /^[0-9a-f]{32}$/);
  assert.deepEqual(
    entries.map((e) => [e.key, e.message, e.event, e.attributes]),
    [
      [`0@${T}`, 'toplevel', 'enter', { user: 'leo' }],
      [`1@${T}`, 'into task', undefined, { user: 'leo' }],
      [`0@${T}/1`, 'subtask', 'enter', { arg: 42 }],
      [`1@${T}/1`, 'into task', undefined, { arg: 42 }],
      [`2@${T}/1`, 'subtask done', 'exit', { arg: 42 }],
      [`2@${T}`, 'toplevel', 'exit', { user: 'leo' }],
      [undefined, 'all done', undefined, {}],
    ],
  );
  assert.ok(entries.every((e) => e.resource['service.name'] === 'basic-example'));
  assert.equal(entries[2]!.parentSpan, entries[0]!.span);
});

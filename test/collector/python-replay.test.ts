/**
 * Every message captured from the 2018 Python distlog, replayed over ZeroMQ
 * into a running collector: JSON ones are stored normalized by the file
 * plugin, the pickles are refused (never unpickled) and counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { filePlugin } from '../../src/plugins/file/index.js';
import type { LogEntry } from '../../src/protocol/index.js';
import { pushSocket, waitFor } from './helpers.js';

const dir = fileURLToPath(new URL('../../../shared/fixtures/python-distlog/', import.meta.url));

test('all Python distlog fixtures replayed over ZeroMQ are stored normalized; pickles are refused', async () => {
  const names = readdirSync(dir).filter((f) => f.endsWith('.topic')).map((f) => f.slice(0, -'.topic'.length)).sort();
  const json = names.filter((n) => readdirSync(dir).includes(`${n}.json`));
  const pickles = names.filter((n) => readdirSync(dir).includes(`${n}.pickle`));
  assert.equal(json.length + pickles.length, names.length, 'every topic file has its payload');
  assert.ok(json.length >= 22 && pickles.length >= 3);

  const out = mkdtempSync(join(tmpdir(), 'distlog-py-'));
  const config = await loadConfig({
    text: `receiver:\n  endpoints: [tcp://127.0.0.1:*]\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: file\n    options: { directory: ${JSON.stringify(out)}, pattern: "{system}{kind}.jsonl" }\n`,
  }, { plugins: [filePlugin] });
  const collector = await startCollector(config, { log: () => {} });
  try {
    const push = await pushSocket(collector.endpoints[0]!);
    for (const n of names) {
      const payload = readFileSync(join(dir, `${n}.${pickles.includes(n) ? 'pickle' : 'json'}`));
      await push.send([readFileSync(join(dir, `${n}.topic`)), payload]);
    }
    await waitFor('all stored', () => collector.stats().plugins.file!.written === json.length && collector.stats().badInput.pickle === pickles.length);
    push.close();
  } finally {
    await collector.stop();
  }
  const stored = readFileSync(join(out, 'PL.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEntry);
  assert.equal(stored.length, json.length);
  for (const e of stored) {
    assert.equal(e.v, 2);
    assert.match(e.timeUnixNano, /^\d{19}$/);
    assert.ok([5, 9, 13, 17, 21].includes(e.severity), `${e.message}: severity ${e.severity}`);
  }
  const byMessage = (m: string) => stored.filter((e) => e.message === m);
  // the tutorial: task id from the key, path and seq, context as attributes
  const [sub] = byMessage('subtask done');
  assert.equal(sub!.path, '1');
  assert.equal(sub!.seq, 2);
  assert.deepEqual(sub!.attributes.arg, 42);
  assert.match(sub!.task!, /^[0-9a-f-]{36}$/);
  // import_task's broken keys are kept, not dropped
  assert.ok(stored.filter((e) => e.key?.endsWith('@<built-in function id>')).length >= 3);
  // a record outside any task has no key
  assert.equal(byMessage('outside any task')[0]!.key, undefined);
  // scope events: every enter record (INFO, seq 0) is marked; nothing else is guessed
  const enters = stored.filter((e) => e.event === 'enter');
  assert.deepEqual(enters.map((e) => e.message).sort(), ['job', 'lock row', 'order A-1', 'remote work', 'reserve stock', 'subtask', 'toplevel', 'will fail']);
  assert.ok(enters.every((e) => e.seq === 0));
  assert.equal(stored.filter((e) => e.event !== undefined && e.event !== 'enter').length, 0);
  // LogRecord fields by semantic conventions, as stored on disk
  for (const e of stored) {
    assert.equal(typeof e.attributes['code.lineno'], 'number');
    assert.equal(typeof e.attributes['code.namespace'], 'string');
    assert.equal(typeof e.attributes['thread.id'], 'number');
    assert.equal(e.resource['telemetry.sdk.language'], 'python');
  }
  // exc_text became an exception with real newlines
  const withException = stored.filter((e) => e.exception);
  assert.ok(withException.length >= 1);
  assert.ok(withException.every((e) => e.exception!.stack!.includes('\n') && !e.exception!.stack!.includes('\\n')));
});

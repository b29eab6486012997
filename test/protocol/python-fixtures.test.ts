import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProtocolError, decodeMessage, fromPythonRecord, type LogEntry } from '../../src/protocol/index.js';

// The repo is cloned with shared/ as a sibling: <clone>/test/protocol -> <clone>/../shared.
const dir = new URL('../../../shared/fixtures/python-distlog/', import.meta.url);
const names = [...new Set(readdirSync(dir).filter((f) => f.endsWith('.topic')).map((f) => f.slice(0, -'.topic'.length)))].sort();

function frames(name: string): [Buffer, Buffer] {
  const payloadFile = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && !f.endsWith('.topic'))!;
  return [readFileSync(new URL(`${name}.topic`, dir)), readFileSync(new URL(payloadFile, dir))];
}

function one(name: string): LogEntry {
  const d = decodeMessage(frames(name));
  assert.equal(d.source, 'python-distlog');
  assert.deepEqual(d.errors, []);
  assert.equal(d.entries.length, 1);
  return d.entries[0]!;
}

const MSG_TASK = '5b5e8d3d-cdce-4011-899a-e77a68171c0d';
const SCEN_TASK = '6ac904b7-ad5f-47ab-a810-bb7b572e8bc2';
const EXC_TASK = '7444c471-80e3-4873-9f35-c6e2ecbd2d65';

test('the fixture folder is found and complete', () => {
  assert.equal(fileURLToPath(dir).replace(/\\/g, '/').endsWith('/shared/fixtures/python-distlog/'), true);
  assert.deepEqual(names, [
    'exc1', 'exc2', 'exc3', 'msg1', 'msg2', 'msg3', 'msg4', 'msg5', 'msg6', 'pk1', 'pk13', 'pk4',
    'scen1', 'scen10', 'scen11', 'scen12', 'scen13', 'scen2', 'scen3', 'scen4', 'scen5', 'scen6', 'scen7', 'scen8', 'scen9',
  ]);
});

test('every JSON fixture decodes to one normalised record', () => {
  for (const name of names.filter((n) => !n.startsWith('pk'))) {
    const e = one(name);
    assert.equal(e.v, 2, name);
    assert.match(e.timeUnixNano, /^1795568\d{9}000$/, name);
    assert.equal(e.system, 'P', name);
    assert.equal(e.kind, 'L', name);
    assert.equal(e.logger, 'root', name);
    assert.equal(e.resource['host.name'], 'vm', name);
    assert.equal(e.resource['service.name'], 'MainProcess', name);
    assert.equal(e.resource['telemetry.sdk.language'], 'python', name);
    assert.equal(typeof e.resource['process.pid'], 'number', name);
    assert.equal(e.attributes['thread.name'], 'MainThread', name);
    assert.match(String(e.attributes['code.filepath']), /^\/home\/leo\/src\/distlog\/\w+\.py$/, name);
    assert.equal(typeof e.attributes['code.lineno'], 'number', name);
    assert.equal(typeof e.attributes['code.function'], 'string', name);
  }
});

test('msg1..msg6: the tutorial task and its subtask', () => {
  const expected: [string, string, number, string, string, Record<string, unknown>][] = [
    ['msg1', 'toplevel', 0, '', `0@${MSG_TASK}`, { user: 'leo' }],
    ['msg2', 'into task', 1, '', `1@${MSG_TASK}`, { user: 'leo' }],
    ['msg3', 'subtask', 0, '1', `0@${MSG_TASK}/1`, { arg: 42 }],
    ['msg4', 'into task', 1, '1', `1@${MSG_TASK}/1`, { arg: 42 }],
    ['msg5', 'subtask done', 2, '1', `2@${MSG_TASK}/1`, { arg: 42 }],
    ['msg6', 'toplevel', 2, '', `2@${MSG_TASK}`, { user: 'leo' }],
  ];
  for (const [name, message, seq, path, key, ctx] of expected) {
    const e = one(name);
    assert.equal(e.message, message, name);
    assert.equal(e.key, key, name);
    assert.equal(e.task, MSG_TASK, name);
    assert.equal(e.path, path, name);
    assert.equal(e.seq, seq, name);
    assert.equal(e.level, 'INFO', name);
    assert.equal(e.severity, 9, name);
    for (const [k, v] of Object.entries(ctx)) assert.equal(e.attributes[k], v, `${name} ${k}`);
    assert.equal('key' in e.attributes, false, name);
    assert.equal(e.exception, undefined, name);
  }
  const m1 = one('msg1');
  assert.equal(m1.timeUnixNano, '1795568645885001000');
  assert.deepEqual(m1.resource, { 'service.name': 'MainProcess', 'host.name': 'vm', 'process.pid': 7326, 'telemetry.sdk.language': 'python' });
  assert.deepEqual(m1.attributes, { user: 'leo', 'code.filepath': '/home/leo/src/distlog/example.py', 'code.lineno': 13, 'code.function': 'main', 'thread.name': 'MainThread' });
});

test('scen1..scen8: two nested levels of subtasks and bind()', () => {
  const expected: [string, string, string, number, Record<string, unknown>][] = [
    ['scen1', 'order A-1', '', 0, { user: 'leo' }],
    ['scen2', 'validating', '', 1, { user: 'leo', tenant: 'acme' }],
    ['scen3', 'reserve stock', '1', 0, { sku: 'X' }],
    ['scen4', 'lock row', '1/1', 0, { table: 'stock' }],
    ['scen5', 'locked', '1/1', 1, { table: 'stock' }],
    ['scen6', 'lock row', '1/1', 2, { table: 'stock' }],
    ['scen7', 'reserve stock', '1', 1, { sku: 'X' }],
    ['scen8', 'order A-1', '', 2, { user: 'leo', tenant: 'acme' }],
  ];
  for (const [name, message, path, seq, ctx] of expected) {
    const e = one(name);
    assert.equal(e.message, message, name);
    assert.equal(e.task, SCEN_TASK, name);
    assert.equal(e.path, path, name);
    assert.equal(e.seq, seq, name);
    assert.equal(e.key, path ? `${seq}@${SCEN_TASK}/${path}` : `${seq}@${SCEN_TASK}`, name);
    for (const [k, v] of Object.entries(ctx)) assert.equal(e.attributes[k], v, `${name} ${k}`);
  }
  assert.equal(one('scen10').timeUnixNano, '1795568646156250000');
});

test('scen9..scen11: keys that do not parse are kept, with the raw id as task', () => {
  for (const [name, seq, message] of [['scen9', 0, 'remote work'], ['scen10', 1, 'remote step'], ['scen11', 2, 'remote work']] as const) {
    const e = one(name);
    assert.equal(e.key, `${seq}@<built-in function id>`, name);
    assert.equal(e.task, '<built-in function id>', name);
    assert.equal(e.seq, seq, name);
    assert.equal(e.path, undefined, name);
    assert.equal(e.message, message, name);
    assert.equal(e.attributes.host, 'h2', name);
  }
});

test('scen12: the failing task (its failure record was never sent) and scen13 outside any task', () => {
  const s12 = one('scen12');
  assert.equal(s12.key, '0@449fb06c-ba24-44db-8e4a-eef1ff2f678a');
  assert.equal(s12.task, '449fb06c-ba24-44db-8e4a-eef1ff2f678a');
  assert.equal(s12.attributes.x, 1);
  const s13 = one('scen13');
  assert.equal(s13.message, 'outside any task');
  for (const f of ['key', 'task', 'path', 'seq', 'span'] as const) assert.equal(s13[f], undefined, f);
});

test('exc1..exc3: the traceback becomes an exception with real newlines', () => {
  const e1 = one('exc1');
  assert.equal(e1.exception, undefined);
  assert.equal(e1.seq, 0);
  const e2 = one('exc2');
  assert.equal(e2.level, 'ERROR');
  assert.equal(e2.severity, 17);
  assert.equal(e2.key, `1@${EXC_TASK}`);
  assert.equal(e2.message, 'division failed\nsecond line');
  assert.deepEqual(e2.exception, {
    type: 'ZeroDivisionError',
    message: 'division by zero',
    stack: 'Traceback (most recent call last):\n  File "/home/leo/src/distlog/exc_example.py", line 9, in <module>\n    1 / 0\n    ~~^~~\nZeroDivisionError: division by zero',
  });
  assert.equal(e2.exception!.stack!.includes('\\n'), false);
  assert.equal(one('exc3').seq, 2);
});

test('pk1, pk4, pk13: pickles are refused without being unpickled', () => {
  for (const name of ['pk1', 'pk4', 'pk13']) {
    const f = frames(name);
    assert.equal(f[0].toString(), 'PLP');
    assert.throws(() => decodeMessage(f), (err: unknown) => {
      assert.ok(err instanceof ProtocolError);
      assert.equal(err.code, 'pickle');
      assert.equal(err.topic, 'PLP');
      assert.equal(err.message, 'topic "PLP": pickle payloads are refused (never unpickled); send JSON (J)');
      return true;
    });
  }
});

test('fromPythonRecord: levels, formatting, odd contexts and named errors', () => {
  const topic = { system: 'T' as const, kind: 'L' as const, encoding: 'J' };
  const base = { name: 'app', msg: 'n=%d user=%s %%', args: [3, 'leo'], levelno: 30, created: 1795568646.5, context: null };
  const e = fromPythonRecord(base, topic);
  assert.equal(e.message, 'n=3 user=leo %');
  assert.equal(e.level, 'WARN');
  assert.equal(e.severity, 13);
  assert.equal(e.system, 'T');
  assert.equal(e.timeUnixNano, '1795568646500000000');
  assert.equal(fromPythonRecord({ ...base, levelno: 25 }, topic).severity, 11);
  assert.equal(fromPythonRecord({ ...base, levelno: 25 }, topic).level, 'INFO');
  assert.equal(fromPythonRecord({ ...base, levelno: 50 }, topic).level, 'FATAL');
  assert.equal(fromPythonRecord({ ...base, levelno: 10 }, topic).level, 'DEBUG');
  assert.equal(fromPythonRecord({ ...base, msg: '%(who)s did it', args: { who: 'leo' } }, topic).message, 'leo did it');
  assert.equal(fromPythonRecord({ ...base, message: 'C:\\new' }, topic).message, 'C:\\new');
  const ctx = fromPythonRecord({ ...base, context: { key: 'garbage', 'distlog.x': 1 } }, topic);
  assert.equal(ctx.key, 'garbage');
  assert.equal(ctx.task, undefined);
  assert.deepEqual(ctx.attributes, { 'context.distlog.x': 1 });
  assert.equal(fromPythonRecord({ ...base, service_name: 'billing', processName: 'MainProcess' }, topic).resource['service.name'], 'billing');
  assert.throws(() => fromPythonRecord({ ...base, created: 'yesterday' }, topic), {
    code: 'schema', message: 'topic "TLJ": python-distlog record: created: expected a number, got string "yesterday"',
  });
  assert.throws(() => fromPythonRecord({ ...base, context: 'x' }, topic), {
    code: 'schema', message: 'topic "TLJ": python-distlog record: context: expected an object or null, got string "x"',
  });
  assert.throws(() => fromPythonRecord({ msg: 'x', created: 1 }, topic), {
    code: 'schema', message: 'topic "TLJ": python-distlog record: levelno: missing (and no levelname)',
  });
  // Decoded through decodeMessage, a broken Python record is a whole-message schema error.
  assert.throws(() => decodeMessage([Buffer.from('PLJ'), Buffer.from(JSON.stringify({ ...base, levelno: 'high' }))]), {
    code: 'schema', message: 'topic "PLJ": python-distlog record: levelno: expected a number, got string "high"',
  });
});

test('Python times keep microseconds without float noise', () => {
  const topic = { system: 'P' as const, kind: 'L' as const, encoding: 'J' };
  const t = (created: number): string => fromPythonRecord({ msg: 'x', levelno: 20, created }, topic).timeUnixNano;
  assert.equal(t(1795568645.885001), '1795568645885001000');
  assert.equal(t(1795568646.1553066), '1795568646155307000');
  assert.equal(t(1.000001), '1000001000');
  assert.equal(t(0.3), '300000000');
  assert.equal(t(0), '0');
});

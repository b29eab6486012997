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
  assert.deepEqual({ ...m1.resource }, { 'service.name': 'MainProcess', 'host.name': 'vm', 'process.pid': 7326, 'telemetry.sdk.language': 'python' });
  assert.deepEqual({ ...m1.attributes }, {
    user: 'leo', 'code.filepath': '/home/leo/src/distlog/example.py', 'code.lineno': 13, 'code.function': 'main',
    'code.namespace': 'example', 'thread.id': 140392293867584, 'thread.name': 'MainThread',
  });
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
  assert.equal(fromPythonRecord({ ...base, levelno: 25 }, topic).level, 'Level 25', "Python's own name for an unnamed level");
  assert.equal(fromPythonRecord({ ...base, levelno: 50 }, topic).level, 'FATAL');
  assert.equal(fromPythonRecord({ ...base, levelno: 10 }, topic).level, 'DEBUG');
  assert.equal(fromPythonRecord({ ...base, msg: '%(who)s did it', args: { who: 'leo' } }, topic).message, 'leo did it');
  assert.equal(fromPythonRecord({ ...base, message: 'C:\\new' }, topic).message, 'C:\\new');
  const ctx = fromPythonRecord({ ...base, context: { key: 'garbage', 'distlog.x': 1 } }, topic);
  assert.equal(ctx.key, 'garbage');
  assert.equal(ctx.task, undefined);
  assert.deepEqual({ ...ctx.attributes }, { 'context.distlog.x': 1 });
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

const TLJ = { system: 'T' as const, kind: 'L' as const, encoding: 'J' };
/** A record as the original's JSONFormatter writes it (args always None on the wire). */
function pyRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'root', msg: 'job', args: null, levelname: 'INFO', levelno: 20, pathname: '/srv/app/job.py', filename: 'job.py',
    module: 'job', exc_info: null, exc_text: null, stack_info: null, lineno: 7, funcName: 'run', created: 1795568671.8661535,
    msecs: 866.0, relativeCreated: 81.38, thread: 139911143551040, threadName: 'MainThread', processName: 'MainProcess',
    process: 7930, context: { key: `1@${EXC_TASK}`, user: 'leo' }, message: 'job', asctime: '2026-11-25 01:04:31,866', hostname: 'vm',
    ...over,
  };
}
const decodeText = (text: string): LogEntry => {
  const d = decodeMessage([Buffer.from('TLJ'), Buffer.from(text)]);
  assert.deepEqual(d.errors, []);
  return d.entries[0]!;
};

test('scope events: an INFO record with seq 0 enters its scope; nothing guesses the exit', () => {
  const events = Object.fromEntries(names.filter((n) => !n.startsWith('pk')).map((n) => [n, one(n).event]));
  for (const n of ['msg1', 'msg3', 'scen1', 'scen3', 'scen4', 'scen9', 'scen12', 'exc1']) assert.equal(events[n], 'enter', n);
  for (const n of ['msg2', 'msg4', 'msg5', 'msg6', 'scen2', 'scen5', 'scen6', 'scen7', 'scen8', 'scen10', 'scen11', 'scen13', 'exc2', 'exc3']) {
    assert.equal(events[n], undefined, n);
  }
  // seq 0 at another level is the first record the handler let through, not the enter record (INFO was filtered)
  assert.equal(fromPythonRecord(pyRecord({ levelno: 30, levelname: 'WARNING', context: { key: `0@${EXC_TASK}` } }), TLJ).event, undefined);
});

test("scope events: Task.__exit__'s 'FAILED <msg>' ERROR record is the scope's fail, with its exception", () => {
  const tb = 'Traceback (most recent call last):\\n  File "/srv/app/job.py", line 9, in run\\n    1 / 0\\nZeroDivisionError: division by zero';
  const e = fromPythonRecord(pyRecord({ msg: 'FAILED job', message: 'FAILED job', levelno: 40, levelname: 'ERROR', exc_text: tb, context: { key: `3@${EXC_TASK}/2` } }), TLJ);
  assert.equal(e.event, 'fail');
  assert.equal(e.level, 'ERROR');
  assert.equal(e.path, '2');
  assert.equal(e.seq, 3);
  assert.deepEqual(e.exception, {
    type: 'ZeroDivisionError', message: 'division by zero',
    stack: 'Traceback (most recent call last):\n  File "/srv/app/job.py", line 9, in run\n    1 / 0\nZeroDivisionError: division by zero',
  });
  // an INFO "FAILED ..." or one outside any scope is an ordinary record
  assert.equal(fromPythonRecord(pyRecord({ message: 'FAILED job', levelno: 20 }), TLJ).event, undefined);
  assert.equal(fromPythonRecord(pyRecord({ message: 'FAILED job', levelno: 40, context: null }), TLJ).event, undefined);
});

test('extra= fields are kept as attributes; standard LogRecord fields are not repeated', () => {
  const e = fromPythonRecord(pyRecord({ order_id: 'A-1', retries: 2, tags: ['x'], 'distlog.key': 'forged', taskName: null, msecs: 1 }), TLJ);
  assert.equal(e.attributes.order_id, 'A-1');
  assert.equal(e.attributes.retries, 2);
  assert.deepEqual(e.attributes.tags, ['x']);
  assert.equal(e.attributes['extra.distlog.key'], 'forged', 'a reserved name is set aside');
  assert.equal(e.key, `1@${EXC_TASK}`);
  for (const k of ['msecs', 'asctime', 'relativeCreated', 'levelno', 'args', 'exc_info', 'taskName', 'hostname', 'process']) {
    assert.equal(k in e.attributes, false, k);
  }
  // without a pathname the base name stands in for code.filepath
  assert.equal(fromPythonRecord(pyRecord({ pathname: null }), TLJ).attributes['code.filepath'], 'job.py');
});

test('Windows paths survive the newline unescaping of exc_text and message', () => {
  // What the original sends: the traceback with real newlines escaped, nothing else touched.
  const original = [
    'Traceback (most recent call last):',
    '  File "C:\\new\\app.py", line 3, in <module>',
    "    open('C:\\\\new.txt')",
    "FileNotFoundError: [Errno 2] No such file or directory: 'C:\\\\new.txt'",
    'while reading C:\\temp\\notes.txt for user nina',
  ].join('\n');
  const sent = original.replaceAll('\n', '\\n');
  const e = fromPythonRecord(pyRecord({ levelno: 40, exc_text: sent }), TLJ);
  assert.equal(e.exception!.stack, original);
  assert.equal(e.exception!.type, 'Error');
  const last = fromPythonRecord(pyRecord({ levelno: 40, exc_text: original.split('\n').slice(0, 4).join('\n').replaceAll('\n', '\\n') }), TLJ);
  assert.equal(last.exception!.type, 'FileNotFoundError');
  assert.equal(last.exception!.message, "[Errno 2] No such file or directory: 'C:\\\\new.txt'");
  // a message whose literal text had a newline gets it back; the substituted value keeps its backslash-n
  const m = fromPythonRecord(pyRecord({ msg: 'copied\nto %s', message: 'copied\\nto C:\\new.txt' }), TLJ);
  assert.equal(m.message, 'copied\nto C:\\new.txt');
  assert.equal(fromPythonRecord(pyRecord({ msg: 'saved %s', message: 'saved C:\\new.txt' }), TLJ).message, 'saved C:\\new.txt');
  // with args present, the formatted text decides: a literal backslash-n in an argument stays
  assert.equal(fromPythonRecord(pyRecord({ msg: 'a\n%s', args: ['C:\\new'], message: 'a\\nC:\\new' }), TLJ).message, 'a\nC:\\new');
  assert.equal(fromPythonRecord(pyRecord({ msg: 'a %s', args: ['b\\nc'], message: 'a b\\nc' }), TLJ).message, 'a b\\nc');
});

test('a context.key that is not a string keeps the record and is set aside', () => {
  const e = fromPythonRecord(pyRecord({ context: { key: 42, user: 'leo' } }), TLJ);
  assert.equal(e.key, undefined);
  assert.equal(e.task, undefined);
  assert.equal(e.attributes['context.key'], 42);
  assert.equal(e.attributes.user, 'leo');
  assert.deepEqual(fromPythonRecord(pyRecord({ context: { key: { id: 1 } } }), TLJ).attributes['context.key'], { id: 1 });
});

test("NaN and Infinity, as Python's json writes them, are accepted and stored as strings", () => {
  const text = JSON.stringify(pyRecord({ context: { key: `0@${EXC_TASK}`, ratio: 0, hi: 0, lo: 0, s: 'NaN in a string' } }))
    .replace('"ratio":0', '"ratio":NaN').replace('"hi":0', '"hi":Infinity').replace('"lo":0', '"lo":-Infinity');
  assert.match(text, /"ratio":NaN,"hi":Infinity,"lo":-Infinity/);
  const e = decodeText(text);
  assert.equal(e.attributes.ratio, 'NaN');
  assert.equal(e.attributes.hi, 'Infinity');
  assert.equal(e.attributes.lo, '-Infinity');
  assert.equal(e.attributes.s, 'NaN in a string');
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(e)));
  // where a number is required, the record is refused by name
  assert.throws(() => decodeMessage([Buffer.from('TLJ'), Buffer.from(JSON.stringify(pyRecord()).replace(/"created": ?[\d.]+/, '"created":NaN'))]), {
    code: 'schema', message: 'topic "TLJ": python-distlog record: created: expected a number, got string "NaN"',
  });
  // a real syntax error is still reported where it is
  assert.throws(() => decodeMessage([Buffer.from('TLJ'), Buffer.from('{"msg": NaN, "x": tru}')]), {
    code: 'json', message: 'topic "TLJ": invalid JSON at byte 21: unexpected \'}\' in literal true',
  });
});

test('created out of range rejects the record with an error naming it', () => {
  for (const created of [1e20, -1, 1e10]) {
    assert.throws(() => fromPythonRecord(pyRecord({ created }), TLJ), {
      code: 'schema',
      message: `topic "TLJ": python-distlog record: created: ${created} seconds since the epoch is out of range (accepted: 0 <= created < 1e10, 1970..2286)`,
    });
  }
  assert.equal(fromPythonRecord(pyRecord({ created: 9999999999.5 }), TLJ).timeUnixNano, '9999999999500000000');
});

test('a custom level number maps to the nearest OTel severity and keeps its name', () => {
  const notice = fromPythonRecord(pyRecord({ levelno: 25, levelname: 'NOTICE' }), TLJ);
  assert.equal(notice.severity, 11);
  assert.equal(notice.level, 'NOTICE');
  const trace = fromPythonRecord(pyRecord({ levelno: 5, levelname: 'TRACE' }), TLJ);
  assert.equal(trace.severity, 3);
  assert.equal(trace.level, 'TRACE');
  assert.equal(fromPythonRecord(pyRecord({ levelno: 35, levelname: 'Level 35' }), TLJ).severity, 15);
  // the standard numbers take the OTel range names, whatever the producer called them
  assert.equal(fromPythonRecord(pyRecord({ levelno: 30, levelname: 'WARNING' }), TLJ).level, 'WARN');
  assert.equal(fromPythonRecord(pyRecord({ levelno: 50, levelname: 'CRITICAL' }), TLJ).level, 'FATAL');
});

test('__proto__ in context or extras is an ordinary key, never a prototype', () => {
  const text = JSON.stringify(pyRecord()).replace('"user":"leo"', '"user":"leo","__proto__":{"polluted":1}').replace('"hostname"', '"__proto__": 5, "hostname"');
  assert.match(text, /"__proto__":\{"polluted":1\}/);
  const e = decodeText(text);
  assert.equal(Object.getPrototypeOf(e.attributes), null);
  assert.equal(Object.getPrototypeOf(e.resource), null);
  assert.deepEqual(Object.getOwnPropertyDescriptor(e.attributes, '__proto__')?.value, { polluted: 1 });
  assert.equal((e.attributes as { polluted?: unknown }).polluted, undefined);
  assert.equal(JSON.parse(JSON.stringify(e)).attributes.__proto__.polluted, 1, 'stored as data');
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});

test('a context value nested 10,000 deep is refused with the path that is too deep', () => {
  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const text = JSON.stringify(pyRecord({ context: { key: `0@${EXC_TASK}`, big: 0 } })).replace('"big":0', `"big":${deep}`);
  assert.throws(() => decodeMessage([Buffer.from('TLJ'), Buffer.from(text)]), (err: unknown) => {
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.code, 'schema');
    assert.equal(err.message, `topic "TLJ": python-distlog record: attributes["big"]${'["a"]'.repeat(32)}: nested more than 32 levels deep`);
    return true;
  });
});

/**
 * Median decode time per byte over several runs of `payload`. The bound is 100x
 * what a linear decoder needs on a loaded machine; the former regexes needed days.
 */
function microsPerByte(text: string): number {
  const frames = [Buffer.from('TLJ'), Buffer.from(text)];
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    try { decodeMessage(frames); } catch (err) { if (!(err instanceof ProtocolError)) throw err; }
    runs.push(((performance.now() - t0) * 1000) / frames[1]!.length);
  }
  return runs.sort((a, b) => a - b)[2]!;
}

test('adversarial 1 MB messages decode in time linear in their size', () => {
  const MB = 1 << 20;
  const rep = (s: string) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
  const shapes: Record<string, Record<string, unknown>> = {
    'msg of %( without )': { msg: rep('%('), args: [1], message: undefined },
    'msg of %( then digits': { msg: `${rep('%(').slice(0, MB / 2)})${'0'.repeat(MB / 2)}`, args: { a: 1 }, message: undefined },
    'msg of %-flags': { msg: rep('%-0 #'), args: [1, 2], message: undefined },
    'exc_text of whitespace runs': { exc_text: `${rep(' \t ')}x` },
    'exc_text of escapes': { exc_text: rep('\\n\\\\n') },
    'exc_text of File lines': { exc_text: rep('\\n  File "C:\\new') },
    'exc_text of drive letters': { exc_text: rep(' C:\\n') },
    'message vs template': { msg: rep('\n%s'), message: rep('\\nx') },
    'template parts that nearly match': { msg: `a\n%s${'a'.repeat(MB / 4)}b%s\n`, message: `a\\n${'a'.repeat(MB / 2)}\\n` },
  };
  for (const [name, over] of Object.entries(shapes)) {
    const us = microsPerByte(JSON.stringify(pyRecord(over)));
    assert.ok(us < 2, `${name}: ${us.toFixed(3)} us/byte`);
  }
});

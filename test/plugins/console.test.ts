import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CONSOLE_DEFAULTS, ConsoleSink, colourWanted, consolePlugin, formatLine } from '../../src/plugins/console/index.js';
import { WriteStream } from 'node:tty';
import { validateConfig } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry } from '../collector/helpers.js';

const TASK = '5b5e8d3dcdce4011899ae77a68171c0d';
const plain = { time: 'none' as const, attributes: true, indent: 2, color: false };

test('console line: level, service, short key, message indented by scope depth', () => {
  const outside = entry({ message: 'no task', level: 'WARN', severity: 13 });
  const root = entry({ message: 'toplevel', task: TASK, path: '', seq: 0, key: `0@${TASK}`, event: 'enter', attributes: { user: 'leo' } });
  const sub = entry({ message: 'subtask', task: TASK, path: '1', seq: 0, attributes: { arg: 42 } });
  const deep = entry({
    message: 'failed',
    level: 'ERROR',
    severity: 17,
    task: TASK,
    path: '1/3',
    seq: 2,
    event: 'fail',
    durationMs: 12.345,
    exception: { type: 'TypeError', message: 'bad thing' },
    attributes: { note: 'two words' },
    resource: { 'service.name': 'checkout' },
  });
  assert.equal(formatLine(outside, plain), 'WARN  svc - no task');
  assert.equal(formatLine(root, plain), 'INFO  svc 0@5b5e8d3d   toplevel user=leo');
  assert.equal(formatLine(sub, plain), 'INFO  svc 0@5b5e8d3d/1     subtask arg=42');
  assert.equal(formatLine(deep, plain), 'ERROR checkout 2@5b5e8d3d/1/3       failed (12.3 ms) [TypeError: bad thing] note="two words"');
});

test('console line: raw keys that do not parse are shown as sent; newlines never split a record', () => {
  const py = entry({ task: '<built-in function id>', key: '0@<built-in function id>', message: 'a\nb' });
  assert.equal(formatLine(py, { ...plain, attributes: false }), 'INFO  svc 0@<built-in function id>   a\\nb');
});

test('console line: time column (local clock) and colour codes only when asked', () => {
  const e = entry({ timeUnixNano: String(BigInt(new Date(2026, 0, 2, 3, 4, 5, 678).getTime()) * 1_000_000n) });
  assert.match(formatLine(e, { ...plain, time: 'local' }), /^03:04:05\.678 INFO  svc - hello \d+$/);
  assert.ok(formatLine(e, { ...plain, color: true }).includes('\x1b[32mINFO \x1b[0m'));
  assert.ok(!formatLine(e, plain).includes('\x1b'));
});

test('colour: auto = what the terminal supports (hasColors), honouring NO_COLOR and FORCE_COLOR', () => {
  // A terminal as Node makes it: hasColors() reads TERM/COLORTERM and the colour variables.
  const tty = { isTTY: true, hasColors: (env?: object) => WriteStream.prototype.hasColors.call(WriteStream.prototype, 16, env) };
  const colourTerm = { TERM: 'xterm-256color' };
  assert.equal(colourWanted('auto', tty, colourTerm), true);
  assert.equal(colourWanted('auto', tty, { ...colourTerm, NO_COLOR: '1' }), false);
  assert.equal(colourWanted('auto', tty, { TERM: 'dumb' }), false);
  assert.equal(colourWanted('auto', tty, { TERM: 'dumb', FORCE_COLOR: '1' }), true);
  // A stream without hasColors() that says it is a TTY is judged the same way.
  assert.equal(colourWanted('auto', { isTTY: true }, colourTerm), true);
  // A pipe or a file: colour only when FORCE_COLOR asks for it.
  assert.equal(colourWanted('auto', { isTTY: false }, colourTerm), false);
  assert.equal(colourWanted('auto', { isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colourWanted('auto', { isTTY: false }, { FORCE_COLOR: '0' }), false);
  assert.equal(colourWanted('always', { isTTY: false }, {}), true);
  assert.equal(colourWanted('never', tty, colourTerm), false);
});

test('the sink writes one line per record (json format too) and is safe to shut down twice', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const s = new ConsoleSink({ ...CONSOLE_DEFAULTS, time: 'none' }, out);
  await s.consume([entry({ message: 'x' }), entry({ message: 'y' })]);
  const j = new ConsoleSink({ ...CONSOLE_DEFAULTS, format: 'json' }, out);
  const e = entry({ message: 'z' });
  await j.consume([e]);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^INFO  svc - x$/);
  assert.deepEqual(JSON.parse(lines[2]!), e);
  s.shutdown();
  s.shutdown();
  assert.equal(s.describe(), 'text lines to stdout');
});

test('the options schema names every bad option', () => {
  const errors = validateConfig(consolePlugin.configSchema, { ...CONSOLE_DEFAULTS, color: 'yes', indent: 40, colour: 'auto' }, 'p');
  assert.deepEqual(errors.map((x) => x.path), ['p.colour', 'p.color', 'p.indent']);
  assert.equal(errors[0]!.hint?.startsWith('did you mean "color"?'), true);
});

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function capture(opts: Partial<typeof CONSOLE_DEFAULTS>) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { sink: new ConsoleSink({ ...CONSOLE_DEFAULTS, time: 'none', ...opts }, out), text: () => text };
}

test('odd resource and field types never throw nor cost the batch: a service.name of {"toString":"x"} is shown as JSON', async () => {
  const odd: unknown[] = [{ toString: 'x' }, { toString: () => { throw new Error('no'); } }, 42, null, ['a', 1], nested(10_000), Symbol('s'), 10n];
  const batch = odd.map((service, i) => entry({ message: `r${i}`, resource: { 'service.name': service } }));
  batch.push(entry({ message: 'deep attr', attributes: { deep: nested(10_000), ok: 1 } }));
  batch.push({ ...entry(), level: { toString: 'x' }, message: 7, path: 3, durationMs: 'slow', timeUnixNano: 'soon' } as unknown as LogEntry);
  for (const color of ['never', 'always'] as const) {
    const c = capture({ color });
    assert.equal(await c.sink.consume(batch), undefined, 'nothing dropped');
    const lines = c.text().trimEnd().split('\n');
    assert.equal(lines.length, batch.length);
    if (color === 'never') {
      assert.equal(lines[0], 'INFO  {"toString":"x"} - r0');
      assert.equal(lines[1], 'INFO  {} - r1');
      assert.equal(lines[2], 'INFO  42 - r2');
      assert.equal(lines[3], 'INFO  - - r3');
      assert.equal(lines[4], 'INFO  ["a",1] - r4');
      assert.equal(lines[5], 'INFO  [unprintable: value nested deeper than 64 levels] - r5');
      assert.equal(lines[6], 'INFO  [symbol] - r6');
      assert.equal(lines[7], 'INFO  10 - r7');
      assert.equal(lines[8], 'INFO  svc - deep attr deep=[unprintable: value nested deeper than 64 levels] ok=1');
      assert.equal(lines[9], '{"toString":"x"} svc - 7');
    }
  }
  const j = capture({ format: 'json' });
  assert.equal(await j.sink.consume(batch.slice(0, 5)), undefined);
  assert.deepEqual(j.text().trimEnd().split('\n').map((l) => JSON.parse(l)), batch.slice(0, 5).map((e) => JSON.parse(JSON.stringify(e))));
});

test('log content cannot drive the terminal: control characters, C1 codes and bidi overrides are shown escaped', () => {
  const hostile = '\x1b[2J\x1b]0;pwned\x07\rover\x9b31m\u202eevil\u2028x\ttab\x7f';
  const e = entry({
    message: hostile,
    level: 'INFO\x1b[8m',
    key: 'k\x1b[1A',
    resource: { 'service.name': 'svc\x1b[31m' },
    attributes: { 'a\x1bb': 'v\x1b[0m', s: 'two words\x9b' },
    exception: { type: 'E\x1b', message: 'm\r\n' },
  });
  const line = formatLine(e, plain);
  assert.ok(!/[\x00-\x1f\x7f-\x9f\u2028\u202e]/.test(line), JSON.stringify(line));
  assert.equal(
    line,
    'INFO\\x1b[8m svc\\x1b[31m k\\x1b[1A \\x1b[2J\\x1b]0;pwned\\x07\\rover\\x9b31m\\u202eevil\\u2028x\\ttab\\x7f [E\\x1b: m\\r\\n] a\\x1bb=v\\x1b[0m s="two words\\x9b"',
  );
  // With colour, the only escape sequences are our own SGR codes.
  const coloured = formatLine(e, { ...plain, color: true });
  assert.deepEqual([...new Set(coloured.match(/\x1b\[[0-9;]*m/g))].sort(), ['\x1b[0m', '\x1b[2m', '\x1b[32m']);
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, '').includes('\x1b'), false);
});

test('json format: a record nested too deep is left out alone, counted, and a note stands in its place; C1 and bidi are \\u-escaped', async () => {
  const c = capture({ format: 'json' });
  const batch = [entry({ message: 'a\x9b\u202e' }), entry({ key: '1@t', attributes: { deep: nested(10_000) } }), entry({ message: 'c' })];
  assert.deepEqual(await c.sink.consume(batch), { dropped: 1 });
  const lines = c.text().trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!.includes('a\\u009b\\u202e'));
  assert.deepEqual(JSON.parse(lines[0]!), batch[0]);
  assert.equal(lines[1], '[distlog console: record 1@t not shown: value nested deeper than 64 levels]');
  assert.deepEqual(JSON.parse(lines[2]!), batch[2]);
});

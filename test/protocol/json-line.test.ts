import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonDepthError, JsonLineWriter } from '../../src/protocol/json-line.js';
import { newMap } from '../../src/protocol/otlp-values.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { prng } from '../helpers/prng.js';


const SEED = Number(process.env.JSON_LINE_SEED ?? 20261125);

function gen(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  // Characters that stress escaping and UTF-8: controls, quote, backslash, DEL,
  // Latin-1, BMP, astral pairs, lone surrogates of both halves.
  const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\x00', '\x1b', '\x1f', '\x7f', '\x9b', 'é', 'ß', '€', '日本', '\u2028', '\u202e', '😀', '\ud83d', '\ude00', '\ufeff'];
  const str = (plainOnly: boolean): string => {
    const n = int(4) === 0 ? int(300) : int(12);
    let s = '';
    for (let i = 0; i < n; i++) s += plainOnly || int(3) ? String.fromCharCode(97 + int(26)) : pick(CHARS);
    return s;
  };
  const num = (exact: boolean): number => {
    const all = [0, 1, 9, 10, 99, 100, 12345, 4294967295, 4294967296, 2 ** 53 - 1, -1, -42, 0.5, 3.14159, 1e21, 1e-7, 123456789.125, -0.0001, Number.MAX_VALUE, Number.MIN_VALUE];
    const odd = [-0, NaN, Infinity, -Infinity];
    if (!exact && int(8) === 0) return pick(odd);
    return int(2) ? pick(all) : (rnd() - 0.5) * 10 ** int(25);
  };
  const value = (depth: number, exact: boolean): unknown => {
    const r = int(depth > 4 ? 6 : 10);
    switch (r) {
      case 0: case 1: return str(false);
      case 2: case 3: return num(exact);
      case 4: return int(2) === 0;
      case 5: return exact || int(2) ? null : pick([undefined, new Date(Date.UTC(2026, 0, 1, int(24))), () => 1, Symbol('s')]);
      case 6: case 7: return Array.from({ length: int(5) }, () => value(depth + 1, exact));
      default: return object(depth + 1, exact);
    }
  };
  const object = (depth: number, exact: boolean): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    const n = int(6);
    for (let i = 0; i < n; i++) {
      const k = pick(['user.id', 'shop', 'a"b', 'tab\there', 'é', '10', '2', '__proto__', 'constructor', '']) + (int(2) ? str(true) : '');
      // An own "__proto__" key, as JSON.parse makes it, not a prototype change.
      Object.defineProperty(o, k, { value: value(depth, exact), enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  const entry = (resource: Record<string, unknown>, exact: boolean): LogEntry => {
    const e: Record<string, unknown> = {
      v: 1,
      timeUnixNano: String(1_795_568_645_885_001_000 + int(1e9)),
      level: pick(['INFO', 'WARN', 'ERROR', 'DEBUG']),
      severity: int(25),
      logger: str(false),
      message: str(false),
    };
    // Optional fields in a random order, as different decoders build them.
    const optional: [string, () => unknown][] = [
      ['body', () => value(1, exact)],
      ['task', () => '5b5e8d3dcdce4011899ae77a68171c0d'],
      ['path', () => pick(['', '1', '1/3/2'])],
      ['seq', () => int(1000)],
      ['durationMs', () => num(exact)],
      ['exception', () => ({ type: 'TypeError', message: str(false), stack: str(false) })],
      ['observedTimeUnixNano', () => '1795568645885001999'],
    ];
    for (const [k, make] of optional) if (int(3) === 0) e[k] = make();
    e.attributes = object(1, exact);
    e.resource = resource;
    e.system = pick(['T', 'S', 'P']);
    e.kind = pick(['L', 'P']);
    return e as unknown as LogEntry;
  };
  return { entry, object, int };
}

test('property: every line equals JSON.stringify(entry) + "\\n", for 3,000 random entries (odd values included)', () => {
  const g = gen(SEED);
  const w = new JsonLineWriter({ initialBytes: 64 }); // tiny: growth is exercised too
  let resource = g.object(1, false);
  const expected: string[] = [];
  for (let i = 0; i < 3000; i++) {
    // A message's records share one resource object; a new message brings a new one.
    if (g.int(20) === 0) resource = g.object(1, false);
    const e = g.entry(resource, false);
    w.appendLine(e);
    expected.push(JSON.stringify(e) + '\n');
    if (g.int(50) === 0) {
      assert.equal(w.text(), expected.join(''), `seed ${SEED}, entry ${i}`);
      w.reset();
      expected.length = 0;
    }
  }
  assert.equal(w.text(), expected.join(''), `seed ${SEED}`);
});

test('property: JSON.parse of each line gives the entry back (2,000 plain-data entries)', () => {
  const g = gen(SEED + 1);
  const w = new JsonLineWriter();
  const resource = g.object(1, true);
  const entries = Array.from({ length: 2000 }, () => g.entry(resource, true));
  for (const e of entries) w.appendLine(e);
  const lines = w.text().split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, entries.length);
  lines.forEach((line, i) => assert.deepEqual(JSON.parse(line), entries[i], `seed ${SEED + 1}, entry ${i}`));
});

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

test('a 10,000-deep attribute is refused alone: the buffer keeps its neighbours and nothing of it', () => {
  const w = new JsonLineWriter({ maxDepth: 64 });
  const good = { v: 1, message: 'before', attributes: { ok: true } };
  const poison = { v: 1, message: 'poison', attributes: { deep: nested(10_000) } };
  const after = { v: 1, message: 'after', attributes: [nested(10)] };
  w.appendLine(good);
  assert.throws(() => w.appendLine(poison), (err: unknown) => err instanceof JsonDepthError && /deeper than 64 levels/.test(err.message));
  w.appendLine(after);
  assert.equal(w.text(), JSON.stringify(good) + '\n' + JSON.stringify(after) + '\n');
  // The bound counts the entry's own fields as level 1: 64 nested objects fit, 65 do not.
  assert.doesNotThrow(() => w.appendLine({ attributes: nested(64) }));
  assert.throws(() => w.appendLine({ attributes: nested(65) }), JsonDepthError);
});

test('a throwing getter refuses only its record; a bigint is written as its decimal string', () => {
  const w = new JsonLineWriter();
  const hostile = { message: 'x', attributes: { get boom(): never { throw new Error('getter says no'); } } };
  Object.defineProperty(hostile.attributes, 'boom', { enumerable: true });
  assert.throws(() => w.appendLine(hostile), /getter says no/);
  w.appendLine({ message: 'big', attributes: { n: 12345678901234567890n } });
  assert.equal(w.text(), '{"message":"big","attributes":{"n":"12345678901234567890"}}\n');
});

test('a shared resource object is encoded once and reused; a different object is encoded afresh', () => {
  const w = new JsonLineWriter();
  const r1 = { 'service.name': 'a', 'process.pid': 12 };
  const r2 = { 'service.name': 'b' };
  for (const r of [r1, r1, r2, r1]) w.appendLine({ message: 'm', resource: r });
  assert.equal(w.text(), [r1, r1, r2, r1].map((r) => JSON.stringify({ message: 'm', resource: r }) + '\n').join(''));
});

test('a polluted Object.prototype does not leak into the lines (JSON.stringify leaves inherited keys out)', () => {
  const w = new JsonLineWriter();
  const e = { message: 'm', attributes: { a: 1 } };
  (Object.prototype as Record<string, unknown>).polluted = 'yes';
  try {
    w.reset();
    w.appendLine(e);
    assert.equal(w.text(), JSON.stringify(e) + '\n');
    assert.ok(!w.text().includes('polluted'));
  } finally {
    delete (Object.prototype as Record<string, unknown>).polluted;
  }
});

test('long ASCII strings: one character needing an escape is found at every position and alignment', () => {
  const w = new JsonLineWriter({ initialBytes: 64 });
  for (let prefix = 0; prefix < 4; prefix++) {
    for (const len of [49, 50, 51, 52, 63, 64, 65, 130]) {
      for (let at = 0; at < len; at++) {
        for (const c of ['"', '\\', '\x00', '\x1f', '\n', ' ', '\x7f', '~', 'é']) {
          const s = 'x'.repeat(at) + c + 'y'.repeat(len - at - 1);
          w.reset();
          // A prefix value shifts where the string starts in the buffer (word alignment).
          w.appendValue(['a'.repeat(prefix), s]);
          assert.equal(w.text(), JSON.stringify(['a'.repeat(prefix), s]), `length ${len}, ${JSON.stringify(c)} at ${at}, shifted ${prefix}`);
        }
      }
    }
  }
});

test('maps built by the OTLP decoder (null-prototype chain) are written as JSON.stringify writes them, keys like __proto__ and toJSON as data', () => {
  const attrs = newMap();
  attrs['__proto__'] = 'p';
  attrs['toJSON'] = 'not a function';
  attrs['constructor'] = 1;
  const inner = newMap();
  inner['a"b'] = [1, 'two', newMap()];
  attrs['nested'] = inner;
  const resource = newMap();
  resource['service.name'] = 'svc';
  const e = { v: 2, timeUnixNano: '1', level: 'INFO', severity: 9, logger: 'l', message: 'm', attributes: attrs, resource, system: 'T', kind: 'L' };
  const w = new JsonLineWriter();
  w.appendLine(e);
  assert.equal(w.text(), JSON.stringify(e) + '\n');
  assert.match(w.text(), /"__proto__":"p","toJSON":"not a function"/);
});

/**
 * Seeded mutation fuzzing of real messages of every encoding: what the decoder
 * fuzz test, the over-the-wire fuzz test and bench/fuzz share. Everything comes
 * from one seed, so a failure replays exactly (the tests print the seed and the
 * sample's name).
 *
 * Seeds: J envelopes and O (OTLP) batches of every record shape (sample.ts), the
 * 2018 Python distlog's captured `?LJ` records and its pickles. Mutations: byte
 * level (flips, interesting bytes, inserts, deletes, duplicated and repeated
 * ranges, truncation, splices of other seeds), frame level (topic letters, frame
 * count) and structure level (a JSON field or a record field replaced by a hostile
 * value: deep nesting, `__proto__`, NaN, huge numbers, `%` and backslash-n text).
 */
import { readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { ProtocolError, decodeMessage, encodeBatch, isUnixNano, type DecodedMessage, type LogEntry } from '../../src/protocol/index.js';
import { checkValues } from '../../src/protocol/validate.js';
import { variety } from './sample.js';
import { prng } from '../helpers/prng.js';

export type Rand = () => number;

/** The seeded PRNG of every fuzz run (mulberry32): the same seed gives the same run. */
export function rng(seed: number): Rand {
  return prng(seed);
}

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, list: readonly T[]): T => list[int(r, list.length)]!;

export interface Sample {
  /** What it was made from and how, for a failure message. */
  name: string;
  frames: Buffer[];
}

const fixtures = new URL('../../../shared/fixtures/python-distlog/', import.meta.url);

/** The real messages every mutation starts from. */
export function seedSamples(): Sample[] {
  const out: Sample[] = [];
  const records = variety();
  for (const enc of ['J', 'O'] as const) {
    out.push({ name: `${enc}:variety`, frames: [Buffer.from(`PL${enc}`), Buffer.from(encodeBatch(records, enc, { producer: 'fuzz/1', seq: 7 }))] });
    records.forEach((e, i) => out.push({ name: `${enc}:record${i}`, frames: [Buffer.from(`PL${enc}`), Buffer.from(encodeBatch([e], enc))] }));
  }
  for (const f of readdirSync(fixtures).filter((n) => n.endsWith('.topic')).sort()) {
    const base = f.slice(0, -'.topic'.length);
    const payload = readdirSync(fixtures).find((n) => n.startsWith(`${base}.`) && !n.endsWith('.topic'))!;
    out.push({ name: `py:${base}`, frames: [readFileSync(new URL(f, fixtures)), readFileSync(new URL(payload, fixtures))] });
  }
  return out;
}

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x25, 0x6e, 0x0a, 0x08, 0x12, 0x2a, 0x32, 0x3a];
const JSON_TOKENS = [
  'NaN', '-Infinity', 'Infinity', '"__proto__":{"polluted":1},', '{"__proto__":{"x":1}}', '[[[[[[[[[[[[[[[[', '%(%(%(%(', '\\n', '\\\\n',
  'C:\\\\new.txt', '1e400', '-0', '"\\ud800"', '"\\u0000"', 'null', '{}', '[]', '"%s%d%(a)s"', '1e20', '"toString"', '99999999999999999999',
];

/** A value meant to hurt: nested deep, shaped like something else, or absurd. */
function hostileValue(r: Rand): unknown {
  switch (int(r, 14)) {
    case 0: { let v: unknown = 1; for (let i = 0, n = 20 + int(r, 60); i < n; i++) v = [v]; return v; }
    case 1: { let v: unknown = 'x'; for (let i = 0, n = 20 + int(r, 60); i < n; i++) v = { a: v }; return v; }
    case 2: return JSON.parse('{"__proto__":{"polluted":1},"toString":"x"}');
    case 3: return { toString: 'x', valueOf: 'y' };
    case 4: return 1e20;
    case 5: return -1;
    case 6: return 'line\\nC:\\new.txt %s %(a)s %%';
    case 7: return '%('.repeat(int(r, 500));
    case 8: return null;
    case 9: return [];
    case 10: return 'x'.repeat(int(r, 5000));
    case 11: return 1.5;
    case 12: return Number.MAX_SAFE_INTEGER + 2;
    default: return '';
  }
}

/** Every key path of a JSON value, up to a few levels (the places a field mutation can hit). */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  if (depth > 4 || typeof v !== 'object' || v === null) return out;
  for (const k of Object.keys(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p);
    paths((v as Record<string, unknown>)[k], p, out, depth + 1);
  }
  return out;
}

function setPath(root: unknown, path: (string | number)[], value: unknown, r: Rand): void {
  let o = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    o = o[path[i]!] as Record<string | number, unknown>;
    if (typeof o !== 'object' || o === null) return; // an earlier mutation replaced this branch
  }
  const last = path[path.length - 1]!;
  const roll = int(r, 10);
  if (roll === 0) delete o[last];
  // a new key, `__proto__` included, written the way JSON.parse would (an own property)
  else if (roll === 1 && !Array.isArray(o)) Object.defineProperty(o, pick(r, ['__proto__', 'distlog.key', 'toString', 'extra', 'service.name']), { value, enumerable: true, writable: true, configurable: true });
  else o[last] = value;
}

/** A JSON payload with one field replaced; numbers sometimes written as Python's NaN/Infinity. */
function mutateJsonStructure(payload: Buffer, r: Rand): Buffer | undefined {
  let v: unknown;
  try { v = JSON.parse(payload.toString('utf8')); } catch { return undefined; }
  const all = paths(v);
  if (all.length === 0) return undefined;
  for (let i = 0, n = 1 + int(r, 3); i < n; i++) setPath(v, pick(r, all), hostileValue(r), r);
  let text = JSON.stringify(v);
  if (r() < 0.3) text = text.replace(/:(\d+(\.\d+)?)([,}])/, (_m, _n, _f, end: string) => `:${pick(r, ['NaN', 'Infinity', '-Infinity'])}${end}`);
  return Buffer.from(text);
}

/** An O batch of one record with a hostile field (skipped when the encoder refuses it). */
function mutateRecord(r: Rand): Buffer | undefined {
  const e = JSON.parse(JSON.stringify(pick(r, variety()))) as Record<string, unknown>;
  const field = pick(r, ['attributes', 'resource', 'body', 'message', 'timeUnixNano', 'severity', 'seq', 'key', 'system', 'kind', 'exception', 'event']);
  e[field] = field === 'attributes' || field === 'resource' ? { [pick(r, ['x', '__proto__', 'service.name', 'distlog.x'])]: hostileValue(r) } : hostileValue(r);
  try { return Buffer.from(encodeBatch([e as unknown as LogEntry], 'O')); } catch { return undefined; }
}

function mutateBytes(b: Buffer, r: Rand, others: readonly Sample[]): Buffer {
  if (b.length === 0) return Buffer.from([int(r, 256)]);
  const at = int(r, b.length);
  switch (int(r, 10)) {
    case 0: { const c = Buffer.from(b); c[at] = c[at]! ^ (1 << int(r, 8)); return c; }
    case 1: { const c = Buffer.from(b); c[at] = pick(r, INTERESTING_BYTES); return c; }
    case 2: return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(r, 8) }, () => int(r, 256))), b.subarray(at)]);
    case 3: return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(r, 64)))]);
    case 4: { const end = Math.min(b.length, at + 1 + int(r, 64)); return Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]); }
    case 5: return b.subarray(0, at);
    case 6: { const o = pick(r, others).frames[1]!; const s = int(r, o.length); return Buffer.concat([b.subarray(0, at), o.subarray(s, s + int(r, 200)), b.subarray(at)]); }
    case 7: return Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, JSON_TOKENS)), b.subarray(at)]);
    case 8: { // a range repeated: amplification, bounded to ~256 KB
      const end = Math.min(b.length, at + 1 + int(r, 32));
      const times = Math.min(1 + int(r, 2000), Math.floor((256 << 10) / (end - at)));
      return Buffer.concat([b.subarray(0, end), ...Array.from({ length: times }, () => b.subarray(at, end)), b.subarray(end)]);
    }
    default: { const c = Buffer.from(b); for (let i = 0; i < 4; i++) c[int(r, c.length)] = int(r, 256); return c; }
  }
}

const TOPICS = ['PLJ', 'TLJ', 'SLO', 'PLO', 'PLP', 'TPJ', 'PLX', 'PXJ', 'XLJ', 'PL', 'PLJJ', 'P\x00J', 'PL\x7f'];

/** One mutation of a random seed: mostly payload bytes, sometimes structure, topic or frames. */
export function mutant(r: Rand, seeds: readonly Sample[]): Sample {
  const s = pick(r, seeds);
  let topic = s.frames[0]!;
  let payload = s.frames[1]!;
  const how: string[] = [];
  const roll = r();
  if (roll < 0.25 && topic[2] === 0x4a /* J */) {
    const m = mutateJsonStructure(payload, r);
    if (m) { payload = m; how.push('json-field'); }
  } else if (roll < 0.35) {
    const m = mutateRecord(r);
    if (m) { payload = m; topic = Buffer.from(pick(r, ['PLO', 'TLO'])); how.push('record-field'); }
  }
  for (let i = 0, n = how.length ? int(r, 2) : 1 + int(r, 4); i < n; i++) {
    payload = mutateBytes(payload, r, seeds);
    how.push('bytes');
  }
  if (r() < 0.1) { topic = Buffer.from(pick(r, TOPICS), 'latin1'); how.push(`topic ${JSON.stringify(topic.toString('latin1'))}`); }
  let frames = [topic, payload];
  if (r() < 0.02) { frames = r() < 0.5 ? [topic] : [topic, payload, payload]; how.push(`${frames.length} frames`); }
  return { name: `${s.name} + ${how.join(', ')}`, frames };
}

/** Big messages shaped to cost the most per byte (each about `bytes` long). */
export function amplifiers(bytes: number): Sample[] {
  const rep = (s: string) => s.repeat(Math.ceil(bytes / s.length)).slice(0, bytes);
  const py = (o: Record<string, unknown>) => Buffer.from(JSON.stringify({ name: 'root', levelno: 20, created: 1795568671.8, context: { key: '1@x' }, ...o }));
  const emptyRecords = Buffer.alloc(bytes, 0);
  for (let i = 0; i + 1 < bytes; i += 2) { emptyRecords[i] = 0x12; emptyRecords[i + 1] = 0; }
  // ResourceLogs{ScopeLogs{LogRecord{} x N}}: N empty records (framed by hand)
  const varint = (n: number): number[] => { const o: number[] = []; while (n > 127) { o.push((n & 127) | 128); n >>>= 7; } o.push(n); return o; };
  const ld = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, ...varint(body.length)]), body]);
  return [
    { name: 'amp:py %(', frames: [Buffer.from('PLJ'), py({ msg: rep('%('), args: [1] })] },
    { name: 'amp:py exc_text whitespace', frames: [Buffer.from('PLJ'), py({ msg: 'x', exc_text: `${rep(' \t')}x` })] },
    { name: 'amp:py template', frames: [Buffer.from('PLJ'), py({ msg: rep('\n%s'), message: rep('\\nx') })] },
    { name: 'amp:json {} entries', frames: [Buffer.from('PLJ'), Buffer.from(`{"v":1,"entries":[${'{},'.repeat(Math.floor((bytes - 30) / 3))}{}]}`)] },
    { name: 'amp:json deep', frames: [Buffer.from('PLJ'), Buffer.from(`{"v":1,"entries":[${rep('[').slice(0, bytes / 2)}${rep(']').slice(0, bytes / 2)}]}`)] },
    { name: 'amp:otlp empty records', frames: [Buffer.from('PLO'), ld(0x0a, ld(0x12, emptyRecords))] },
  ];
}

const CODES = new Set(['frames', 'topic', 'size', 'entry_count', 'encoding', 'pickle', 'json', 'schema']);

/**
 * Decodes one message and checks the decoder's contract: it returns records every
 * plugin can take (system of the topic, bounded values, canonical time,
 * serialisable), or throws a ProtocolError with a counted reason and a short
 * message; nothing else.
 */
export function checkOutcome(s: Sample): { ok: DecodedMessage } | { refused: ProtocolError } {
  let d: DecodedMessage;
  try {
    d = decodeMessage(s.frames);
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `${s.name}: threw ${String(err)}`);
    assert.ok(CODES.has(err.code), `${s.name}: code ${err.code}`);
    assert.ok(err.message.length > 0 && err.message.length < 2000, `${s.name}: message of ${err.message.length} chars`);
    return { refused: err };
  }
  const system = String.fromCharCode(s.frames[0]![0]!);
  for (const e of d.entries) {
    assert.equal(e.system, system, `${s.name}: a record of system ${e.system} under topic ${system}`);
    assert.equal(checkValues(e), undefined, `${s.name}: unbounded values passed`);
    assert.ok(isUnixNano(e.timeUnixNano), `${s.name}: time ${e.timeUnixNano}`);
    assert.equal(typeof e.message, 'string', s.name);
    assert.doesNotThrow(() => JSON.stringify(e), s.name);
  }
  for (const x of d.errors) assert.ok(typeof x.path === 'string' && typeof x.message === 'string' && x.message.length < 2000, s.name);
  return { ok: d };
}


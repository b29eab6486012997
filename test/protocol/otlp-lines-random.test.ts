/**
 * The OTLP → JSON-lines transcoder against the object path on many inputs:
 * seeded random payloads (otlp-gen.ts), the decoder fuzz corpus's mutants, then
 * the JsonLines helpers, messages whose lines outgrow the first output estimate,
 * and many messages in a row (earlier results must survive later ones).
 * Replay a failure with LINES_SEED=<seed printed> (one case: LINES_CASE=<i>).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessageLines } from '../../src/protocol/decode-lines.js';
import { otlpToJsonLines } from '../../src/protocol/otlp-lines.js';
import { encodeOtlp } from '../../src/protocol/otlp-codec.js';
import {
  EMPTY_JSON_LINES, concatJsonLines, jsonLinesFromEntries, kindOfLine, lineCount, lineText, sliceJsonLines, systemOfLine, type JsonLines,
} from '../../src/protocol/json-lines.js';
import { compareMessage, compareOtlp, textsOf } from './lines-compare.js';
import { Gen } from './otlp-gen.js';
import { mutant, rng, seedSamples } from './fuzz-corpus.js';
import { entry, variety } from './sample.js';
import { any, attr, oneScope, plainRecord, record, rec, resAttr, resource, resourceLogs, scopeLogs, scope, str } from './pb.js';

const SEED = Number(process.env.LINES_SEED ?? 20261125);
const ONLY = process.env.LINES_CASE !== undefined ? Number(process.env.LINES_CASE) : undefined;

/** Runs every case, then fails once listing each kind of divergence with the first case that showed it. */
function collect(): { run(name: string, f: () => void): void; check(total: number): void } {
  const kinds = new Map<string, { name: string; count: number; detail: string }>();
  return {
    run(name, f) {
      try {
        f();
      } catch (err) {
        const msg = (err as Error).message;
        // the kind: the assertion's first line without the case's own label
        const kind = msg.split('\n')[0]!.replace(/^.*?\((otlpToJsonLines|decodeMessageLines)[^)]*\)/, '$1').replace(/\d+/g, 'N').slice(0, 160);
        const k = kinds.get(kind);
        if (k) k.count++;
        else kinds.set(kind, { name, count: 1, detail: msg.slice(0, 1200) });
      }
    },
    check(total) {
      if (kinds.size === 0) return;
      const lines = [...kinds.entries()].map(([kind, k]) => `- ${k.count}/${total} x ${kind}\n  first: ${k.name}\n  ${k.detail.replace(/\n/g, '\n  ')}`);
      assert.fail(`${kinds.size} kind(s) of divergence (seed ${SEED}):\n${lines.join('\n')}`);
    },
  };
}

const CASES = 400;
test(`property: ${CASES} random OTLP payloads read the same on both paths (seed ${SEED})`, () => {
  const c = collect();
  for (let i = 0; i < CASES; i++) {
    if (ONLY !== undefined && i !== ONLY) continue;
    const g = new Gen(SEED * 1000 + i);
    const payload = g.payload();
    const topic = g.pick(['PLO', 'PLO', 'TLO']);
    const name = `LINES_SEED=${SEED} LINES_CASE=${i} (${payload.length} bytes, topic ${topic}): ${payload.toString('hex').slice(0, 400)}`;
    const defaults = { system: g.pick(['P', 'T', 'S'] as const), kind: g.pick(['L', 'P'] as const) };
    c.run(name, () => compareOtlp(payload, { label: `${name} (otlpToJsonLines ${defaults.system}${defaults.kind})`, ...defaults }));
    c.run(name, () => compareMessage([Buffer.from(topic), payload], { label: `${name} (decodeMessageLines)` }));
  }
  c.check(CASES);
});

test(`property: the generator reaches both paths of the transcoder and the errors (seed ${SEED})`, () => {
  // A generator that only made broken payloads would prove nothing: count what it made.
  let lines = 0;
  let errors = 0;
  let thrown = 0;
  for (let i = 0; i < 100; i++) {
    const g = new Gen(SEED * 1000 + i);
    try {
      const d = otlpToJsonLines(g.payload(), { system: 'P', kind: 'L' });
      lines += lineCount(d.lines);
      errors += d.errors.length;
    } catch {
      thrown++;
    }
  }
  assert.ok(lines > 100 && errors > 20 && thrown > 0 && thrown < 30, `lines ${lines}, errors ${errors}, thrown ${thrown}`);
});

const MUTANTS = 1500;
test(`fuzz corpus: the seeds and ${MUTANTS} mutants read the same on both paths (seed ${SEED})`, () => {
  const c = collect();
  const seeds = seedSamples();
  const r = rng(SEED);
  const samples = [...seeds, ...Array.from({ length: MUTANTS }, () => mutant(r, seeds))];
  let otlp = 0;
  for (const s of samples) {
    const name = `${s.name}: ${s.frames.map((f) => f.toString('hex').slice(0, 300)).join(' | ')}`;
    // every message through decodeMessageLines (J and Python ones take the object path inside it)
    c.run(name, () => compareMessage(s.frames, { label: `${name} (decodeMessageLines)` }));
    if (s.frames.length === 2 && s.frames[0]![2] === 0x4f /* O */) {
      otlp++;
      c.run(name, () => compareOtlp(s.frames[1]!, { label: `${name} (otlpToJsonLines)` }));
    }
  }
  assert.ok(otlp > 200, `only ${otlp} OTLP samples`);
  c.check(samples.length);
});

test('fuzz corpus: the unmutated OTLP seeds (made by encodeOtlp) come out byte-identical', () => {
  for (const s of seedSamples().filter((x) => x.frames[0]![2] === 0x4f)) {
    compareMessage(s.frames, { label: s.name, bytes: true });
    compareOtlp(s.frames[1]!, { label: s.name, bytes: true });
  }
});

// ---------------------------------------------------------------- JsonLines helpers

function mixedLines(): JsonLines {
  const entries = [...variety(), ...variety().map((e) => ({ ...e, kind: 'P' as const }))];
  const d = decodeMessageLines([Buffer.from('PLO'), encodeOtlp(entries)]);
  assert.deepEqual(d.errors, []);
  return d.lines;
}

function describe(lines: JsonLines): string[] {
  const out: string[] = [];
  for (let i = 0; i < lineCount(lines); i++) out.push(`${systemOfLine(lines, i)}${kindOfLine(lines, i)} ${lineText(lines, i)}`);
  return out;
}

test('JsonLines: lineText is each line without its newline, and parses', () => {
  const lines = mixedLines();
  const texts = lines.bytes.toString('utf8').split('\n');
  assert.equal(texts.pop(), '', 'the bytes end in a newline');
  assert.equal(lineCount(lines), texts.length);
  for (let i = 0; i < texts.length; i++) {
    assert.equal(lineText(lines, i), texts[i]);
    assert.doesNotThrow(() => JSON.parse(texts[i]!));
  }
  assert.ok(describe(lines).some((l) => l.startsWith('PP ')) && describe(lines).some((l) => l.startsWith('PL ')));
});

test('JsonLines: slices and their concatenation give back the lines, systems and kinds', () => {
  const lines = mixedLines();
  const n = lineCount(lines);
  const all = describe(lines);
  for (const [from, to] of [[0, n], [0, 0], [0, 1], [1, 5], [n - 1, n], [n, n], [-5, 3], [3, 1000], [7, 3]] as const) {
    const s = sliceJsonLines(lines, from, to);
    const a = Math.max(0, Math.min(from, n));
    const b = Math.max(a, Math.min(to, n));
    assert.deepEqual(describe(s), all.slice(a, b), `slice ${from}..${to}`);
    textsOf(s); // framing: ends, newline, lengths
  }
  // cut into pieces at every other line, then joined: the same batch
  const cuts = [0, 2, 3, 9, 10, 17, n];
  const parts = cuts.slice(1).map((to, k) => sliceJsonLines(lines, cuts[k]!, to));
  const joined = concatJsonLines(parts);
  assert.deepEqual(describe(joined), all);
  assert.ok(joined.bytes.equals(lines.bytes));
  textsOf(joined);
  // with empty parts and another message's lines in between
  const other = decodeMessageLines([Buffer.from('TLO'), encodeOtlp([entry({ system: 'T', kind: 'P', message: 'other' })])]).lines;
  const mixed = concatJsonLines([EMPTY_JSON_LINES, parts[0]!, other, EMPTY_JSON_LINES, ...parts.slice(1)]);
  assert.deepEqual(describe(mixed), [...all.slice(0, 2), ...describe(other), ...all.slice(2)]);
  assert.ok(describe(other)[0]!.startsWith('TP '));
  assert.deepEqual(describe(concatJsonLines([])), []);
  assert.equal(concatJsonLines([lines]), lines);
});

test('JsonLines: jsonLinesFromEntries writes JSON.stringify of each entry, and names the ones it cannot write', () => {
  const entries = variety();
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  const bad = { ...entry(), attributes: { deep } };
  const refused: number[] = [];
  const lines = jsonLinesFromEntries([...entries, bad, entry({ system: 'T', kind: 'P' })], (i) => refused.push(i));
  assert.deepEqual(refused, [entries.length]);
  const want = [...entries, entry({ system: 'T', kind: 'P' })];
  assert.deepEqual(textsOf(lines), want.map((e) => JSON.stringify(e)));
  assert.deepEqual(describe(lines).map((l) => l.slice(0, 2)), want.map((e) => `${e.system}${e.kind}`));
});

// ---------------------------------------------------------------- output size and reuse

test('lines much larger than the payload (a large resource on many tiny records) are whole', () => {
  const big = 'r'.repeat(20_000);
  const tiny = Array.from({ length: 600 }, () => record());
  const payload = resourceLogs(resource(resAttr('service.name', any.s('svc')), resAttr('big', any.s(big))), scopeLogs(scope(str(1, 'a')), ...tiny));
  const texts = compareMessage([Buffer.from('PLO'), payload], { label: 'large resource, 600 empty records', bytes: true });
  assert.equal(texts.length, 600);
  assert.ok(texts.reduce((n, t) => n + t.length, 0) > payload.length * 3 + 4096 + 8 * 1024 * 1024, 'the lines outgrow the estimate and the slab');
  compareOtlp(payload, { label: 'large resource (otlpToJsonLines)', bytes: true });
  // just past the estimate, in a slab that has some room left
  const mid = resourceLogs(resource(resAttr('big', any.s('m'.repeat(3000)))), scopeLogs(...Array.from({ length: 40 }, () => plainRecord())));
  for (let i = 0; i < 5; i++) compareMessage([Buffer.from('PLO'), mid], { label: `mid ${i}`, bytes: true });
});

test('many messages in a row: the lines of an earlier message are not overwritten by later ones', () => {
  const first = decodeMessageLines([Buffer.from('PLO'), encodeOtlp(variety())]);
  const firstBytes = Buffer.from(first.lines.bytes);
  const firstTexts = textsOf(first.lines);
  const firstViaOtlp = otlpToJsonLines(encodeOtlp(variety().slice(0, 3)), { system: 'P', kind: 'L' });
  const firstViaOtlpBytes = Buffer.from(firstViaOtlp.lines.bytes);
  const kept: { lines: JsonLines; bytes: Buffer }[] = [];
  for (let i = 0; i < 50; i++) {
    // ~40 KB to ~2 MB of lines each: the slab (8 MB) fills and is replaced several times
    const res = resAttr('pad', any.s(`${i}`.repeat(100 + (i % 7) * 400)));
    const recs = Array.from({ length: 50 + (i % 5) * 150 }, (_, k) => plainRecord(attr('i', any.i(i)), attr('k', any.i(k)), ...(k % 9 === 0 ? [rec.body(any.map())] : [])));
    const payload = i % 10 === 3 ? oneScope(plainRecord(attr('x', any.s('y')))) : resourceLogs(resource(res), scopeLogs(...recs));
    const d = i % 2 ? decodeMessageLines([Buffer.from('PLO'), payload]) : otlpToJsonLines(payload, { system: 'P', kind: 'L' });
    kept.push({ lines: d.lines, bytes: Buffer.from(d.lines.bytes) });
    assert.equal(JSON.parse(lineText(d.lines, 0)).attributes.i ?? i, i);
  }
  assert.ok(first.lines.bytes.equals(firstBytes), "message 1's lines changed after 50 more messages");
  assert.deepEqual(textsOf(first.lines), firstTexts);
  assert.ok(firstViaOtlp.lines.bytes.equals(firstViaOtlpBytes));
  kept.forEach((k, i) => assert.ok(k.lines.bytes.equals(k.bytes), `message ${i + 2}'s lines changed after the ones behind it`));
});

test('strings with a character to escape (or not) at every position, short and long', () => {
  const specials = ['"', '\\', '\u0000', '\u001f', '\n', '\u007f', 'é', '😀', '\u2028', '/'];
  const attrs = [];
  for (const c of specials) {
    for (const len of [1, 7, 31, 32, 33, 48, 64, 100]) {
      for (let at = 0; at < len; at += len > 40 ? 5 : 1) attrs.push(attr(`k${attrs.length}`, any.s(`${'a'.repeat(at)}${c}${'b'.repeat(len - at - 1)}`)));
    }
  }
  // 128 attributes per record at most on the fast path: spread them over records
  const recs = [];
  for (let i = 0; i < attrs.length; i += 100) recs.push(plainRecord(...attrs.slice(i, i + 100)));
  compareMessage([Buffer.from('PLO'), oneScope(...recs)], { label: 'escapes at every position', bytes: true });
  // and as messages, levels, logger names and paths
  const texts = specials.flatMap((c) => [c, `x${c}`, `${'m'.repeat(40)}${c}${'n'.repeat(9)}`]);
  const p = resourceLogs(resource(resAttr('service.name', any.s('svc'))), ...texts.map((t) => scopeLogs(scope(str(1, t)), plainRecord(rec.text(t), rec.body(any.s(t)), attr('distlog.seq', any.i(1)), attr('distlog.path', any.s(t)), rec.trace('0af7651916cd43dd8448eb211c80319c')))));
  compareMessage([Buffer.from('PLO'), p], { label: 'escapes in level, logger, message, path', bytes: true });
});

test('a message of 3000 records (past the line tables\' first size) keeps each line\'s system and kind', () => {
  const recs = Array.from({ length: 3000 }, (_, i) => plainRecord(attr('i', any.i(i)), ...(i % 3 === 0 ? [attr('distlog.kind', any.s('P'))] : [])));
  const payload = Buffer.concat([
    resourceLogs(resource(resAttr('distlog.system', any.s('T'))), scopeLogs(...recs.slice(0, 1000))),
    resourceLogs(resource(), scopeLogs(...recs.slice(1000))),
  ]);
  const texts = compareOtlp(payload, { label: '3000 records', bytes: true });
  assert.equal(texts.length, 3000);
  const d = otlpToJsonLines(payload, { system: 'S', kind: 'L' });
  assert.equal(systemOfLine(d.lines, 999), 'T');
  assert.equal(systemOfLine(d.lines, 1000), 'S');
  assert.equal(kindOfLine(d.lines, 2997), 'P');
  assert.equal(kindOfLine(d.lines, 2998), 'L');
});

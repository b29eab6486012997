/**
 * The JSON-lines transcoder's contract, checked: for any input,
 * decodeMessageLines / otlpToJsonLines give what decodeMessage / decodeOtlp
 * followed by JsonLineWriter give — the same meta, the same errors (or the same
 * thrown error), and lines that parse to the same values (field order free), or
 * the same bytes where `bytes` is asked for.
 */
import assert from 'node:assert/strict';
import type { EntryError } from '../../src/protocol/errors.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { decodeMessage, type DecodeLimits } from '../../src/protocol/decode.js';
import { decodeMessageLines } from '../../src/protocol/decode-lines.js';
import { decodeOtlp, type OtlpDecodeOptions } from '../../src/protocol/otlp-decode.js';
import { otlpToJsonLines } from '../../src/protocol/otlp-lines.js';
import { JsonLineWriter } from '../../src/protocol/json-line.js';
import { lineCount, lineText, type JsonLines } from '../../src/protocol/json-lines.js';
import type { BatchMeta, KindCode, LogEntry, SystemCode } from '../../src/protocol/log-entry.js';

export interface Expected {
  lines: string[];
  systems: string[];
  kinds: string[];
  meta: BatchMeta;
  errors: EntryError[];
}

/**
 * What the object path gives: each entry's JsonLineWriter line; an entry it
 * refuses becomes an error under its index in the message (entries and errors
 * share one numbering, in wire order), errors in index order.
 */
export function linesOfEntries(entries: readonly LogEntry[], errors: EntryError[], meta: BatchMeta): Expected {
  const w = new JsonLineWriter();
  const out: Expected = { lines: [], systems: [], kinds: [], meta, errors: [...errors] };
  const decoderErrors = errors.map((x) => x.index).sort((a, b) => a - b);
  entries.forEach((e, i) => {
    w.reset();
    try {
      w.appendLine(e);
    } catch (err) {
      let index = i;
      for (const taken of decoderErrors) if (taken <= index) index++;
      out.errors.push({ index, path: `entries[${index}]`, message: `cannot be written as JSON: ${(err as Error).message}` });
      out.errors.sort((a, b) => a.index - b.index);
      return;
    }
    out.lines.push(w.buf.toString('utf8', 0, w.pos - 1));
    out.systems.push(e.system);
    out.kinds.push(e.kind);
  });
  return out;
}

function plainErrors(errors: readonly EntryError[]): EntryError[] {
  return errors.map((x) => ({ index: x.index, path: x.path, message: x.message }));
}

export interface CompareOptions {
  /** Assert byte-identical lines (records of distlog's own encoders). */
  bytes?: boolean;
  /**
   * With `bytes`: a line that differs from the object path's only in the order of its
   * fields is passed to this (with the two field orders) instead of failing.
   */
  orderOnly?: (gotKeys: string, wantKeys: string) => void;
  /** Named in every failure (seed, sample). */
  label?: string;
}

/** Lines of a JsonLines as text, checking its framing on the way. */
export function textsOf(lines: JsonLines): string[] {
  const n = lineCount(lines);
  assert.equal(lines.systems.length, n);
  assert.equal(lines.kinds.length, n);
  assert.equal(n === 0 ? 0 : lines.ends[n - 1], lines.bytes.length, 'the last line ends where the bytes end');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    assert.equal(lines.bytes[lines.ends[i]! - 1], 0x0a, `line ${i} ends in a newline`);
    out.push(lineText(lines, i));
  }
  return out;
}

function sameLines(got: JsonLines, want: Expected, gotMeta: BatchMeta, gotErrors: EntryError[], o: CompareOptions): void {
  const label = o.label ?? '';
  assert.deepEqual(plainErrors(gotErrors), plainErrors(want.errors), `${label}: errors`);
  assert.deepEqual({ ...gotMeta }, { ...want.meta }, `${label}: meta`);
  const texts = textsOf(got);
  assert.equal(texts.length, want.lines.length, `${label}: number of lines`);
  for (let i = 0; i < texts.length; i++) {
    if (o.bytes && o.orderOnly && texts[i] !== want.lines[i]) {
      const g = JSON.parse(texts[i]!) as Record<string, unknown>;
      const w = JSON.parse(want.lines[i]!) as Record<string, unknown>;
      assert.deepEqual(g, w, `${label}: line ${i}`);
      assert.equal(texts[i], JSON.stringify(reordered(w, g)), `${label}: line ${i} differs in more than the order of its fields`);
      o.orderOnly(Object.keys(g).join(','), Object.keys(w).join(','));
    } else if (o.bytes) assert.equal(texts[i], want.lines[i], `${label}: line ${i} bytes`);
    else assert.deepEqual(JSON.parse(texts[i]!), JSON.parse(want.lines[i]!), `${label}: line ${i}\n got: ${texts[i]}\nwant: ${want.lines[i]}`);
    assert.equal(String.fromCharCode(got.systems[i]!), want.systems[i], `${label}: line ${i} system`);
    assert.equal(String.fromCharCode(got.kinds[i]!), want.kinds[i], `${label}: line ${i} kind`);
  }
}

/** `v` with its object keys in the order `like` has them (recursively): bytes equal up to field order. */
function reordered(v: unknown, like: unknown): unknown {
  if (Array.isArray(v)) return v.map((x, i) => reordered(x, (like as unknown[])[i]));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  const l = like as Record<string, unknown>;
  for (const k of Object.keys(l)) Object.defineProperty(out, k, { value: reordered(src[k], l[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

function outcome<T>(f: () => T): { ok: T } | { threw: unknown } {
  try {
    return { ok: f() };
  } catch (err) {
    return { threw: err };
  }
}

function sameThrow(got: { ok: unknown } | { threw: unknown }, want: { threw: unknown }, label: string): void {
  const w = want.threw as Error;
  assert.ok('threw' in got, `${label}: the object path threw ${String(w)}, the lines path returned`);
  const g = got.threw as Error;
  assert.equal(g?.constructor, w.constructor, `${label}: threw ${String(g)}, expected ${String(w)}`);
  assert.equal(g.message, w.message, `${label}: error message`);
  if (w instanceof ProtocolError) assert.equal((g as ProtocolError).code, w.code, `${label}: error code`);
}

/** otlpToJsonLines vs decodeOtlp + JsonLineWriter. Returns the lines' texts (empty when both threw). */
export function compareOtlp(
  payload: Buffer,
  o: CompareOptions & { system?: SystemCode; kind?: KindCode; options?: OtlpDecodeOptions } = {},
): string[] {
  const defaults = { system: o.system ?? 'P', kind: o.kind ?? 'L' };
  const label = o.label ?? 'otlp';
  const want = outcome(() => decodeOtlp(Buffer.from(payload), defaults, o.options));
  const got = outcome(() => otlpToJsonLines(payload, defaults, o.options));
  if ('threw' in want) {
    sameThrow(got, want, label);
    return [];
  }
  if ('threw' in got) assert.fail(`${label}: otlpToJsonLines threw ${String(got.threw)}; decodeOtlp returned ${want.ok.entries.length} entries and ${want.ok.errors.length} errors`);
  const d = want.ok;
  sameLines(got.ok.lines, linesOfEntries(d.entries, d.errors, d.meta), got.ok.meta, got.ok.errors, { ...o, label });
  return textsOf(got.ok.lines);
}

/** decodeMessageLines vs decodeMessage + JsonLineWriter. */
export function compareMessage(frames: Buffer[], o: CompareOptions & { limits?: DecodeLimits } = {}): string[] {
  const label = o.label ?? 'message';
  const want = outcome(() => decodeMessage(frames.map((f) => Buffer.from(f)), o.limits));
  const got = outcome(() => decodeMessageLines(frames, o.limits));
  if ('threw' in want) {
    sameThrow(got, want, label);
    return [];
  }
  if ('threw' in got) assert.fail(`${label}: decodeMessageLines threw ${String(got.threw)}; decodeMessage returned ${want.ok.entries.length} entries and ${want.ok.errors.length} errors`);
  const d = want.ok;
  assert.equal(got.ok.source, d.source, `${label}: source`);
  assert.deepEqual(got.ok.topic, d.topic, `${label}: topic`);
  sameLines(got.ok.lines, linesOfEntries(d.entries, d.errors, d.meta), got.ok.meta, got.ok.errors, { ...o, label });
  return textsOf(got.ok.lines);
}

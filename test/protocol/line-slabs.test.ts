/**
 * The transcoder's slabs (line-slabs.ts): a slab is written over only once
 * the release hook says every message in it is done with. Lines still held
 * keep their bytes while later messages are transcoded; released slabs are
 * reused instead of allocated, unless the GC freed them first (they are held
 * weakly); without a hook nothing is reused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeOtlp, otlpToJsonLines, lineText, type JsonLines, type LogEntry } from '../../src/protocol/index.js';
import { LineSlabs, SLAB_BYTES } from '../../src/protocol/line-slabs.js';

/** One OTLP payload of `n` records whose messages name the payload: `m<k> r<i> <padding>`. */
function payload(k: number, n = 200): Buffer {
  const entries: LogEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({
      v: 2, timeUnixNano: String(1795568645885001000n + BigInt(i)), level: 'INFO', severity: 9, logger: 'app',
      message: `m${k} r${i} ${'x'.repeat(200)}`, attributes: { i }, resource: { 'service.name': 'svc' }, system: 'T', kind: 'L',
    });
  }
  return encodeOtlp(entries);
}

const transcode = (slabs: LineSlabs, k: number) => otlpToJsonLines(payload(k), { system: 'T', kind: 'L' }, undefined, slabs).lines;

/** The messages of every line, parsed back: what a reader of the file would see. */
const messagesOf = (lines: JsonLines) => Array.from(lines.ends, (_, i) => (JSON.parse(lineText(lines, i)) as LogEntry).message);
const expected = (k: number) => Array.from({ length: 200 }, (_, i) => `m${k} r${i} ${'x'.repeat(200)}`);

test('a slab is written over only after its messages are released, and then instead of a new one', () => {
  let oldestHeld = Infinity;
  const slabs = new LineSlabs(() => oldestHeld);
  // Messages of ~60 KB of lines: a 2 MiB slab holds ~30.
  const held: { k: number; lines: JsonLines }[] = [];
  for (let k = 0; k < 100; k++) {
    const lines = transcode(slabs, k);
    assert.equal(typeof lines.slabSeq, 'number', 'lines from a recycling LineSlabs carry their message number');
    held.push({ k, lines });
    oldestHeld = held[0]!.lines.slabSeq!;
  }
  assert.equal(slabs.reused, 0, 'nothing released: no slab written over');
  assert.ok(slabs.allocated >= 3, `100 messages fill several slabs (${slabs.allocated} allocated)`);
  for (const h of held) assert.deepEqual(messagesOf(h.lines), expected(h.k), `message ${h.k} intact while held`);

  // Release all but the last 10 (in order, as lanes release them), then go on.
  const kept = held.slice(-10);
  oldestHeld = kept[0]!.lines.slabSeq!;
  const allocatedBefore = slabs.allocated;
  const later: { k: number; lines: JsonLines }[] = [];
  for (let k = 100; k < 160; k++) later.push({ k, lines: transcode(slabs, k) });
  assert.ok(slabs.reused >= 1, 'released slabs are written over');
  assert.ok(slabs.allocated - allocatedBefore < 2, `at most one new slab while released ones were free (${slabs.allocated - allocatedBefore})`);
  for (const h of kept) assert.deepEqual(messagesOf(h.lines), expected(h.k), `still-held message ${h.k} untouched by reuse`);
  // The lines made in reused slabs are right too (the later ones are not released: none overwritten).
  for (const h of later) assert.deepEqual(messagesOf(h.lines), expected(h.k), `message ${h.k} written into a reused slab`);
});

test('without a release hook, slabs are left to the GC: never reused, lines carry no slab number', () => {
  const slabs = new LineSlabs();
  const all: { k: number; lines: JsonLines }[] = [];
  for (let k = 0; k < 80; k++) all.push({ k, lines: transcode(slabs, k) });
  assert.equal(slabs.reused, 0);
  assert.equal(all[0]!.lines.slabSeq, undefined);
  for (const h of all) assert.deepEqual(messagesOf(h.lines), expected(h.k));
});

test('a message larger than a slab gets a buffer of its own, and the slab after it is still reused when released', () => {
  const slabs = new LineSlabs(() => Infinity); // nothing held
  const big = otlpToJsonLines(payload(0, 12_000), { system: 'T', kind: 'L' }, undefined, slabs).lines;
  assert.ok(big.bytes.length > SLAB_BYTES, `a ${big.bytes.length}-byte message`);
  assert.equal(big.ends.length, 12_000);
  // Referenced here, so the GC cannot free the released slabs first (they are held weakly).
  const all: JsonLines[] = [];
  for (let k = 1; k < 120; k++) all.push(transcode(slabs, k));
  assert.ok(slabs.reused >= 2, `slabs reused (${slabs.reused})`);
  assert.ok(slabs.allocated <= 4, `few allocated (${slabs.allocated})`);
});

test('released slabs are held weakly: the GC frees them as before, reuse never keeps memory alive', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let oldestHeld = 1; // held while written: the slabs pile up, sealed
  const slabs = new LineSlabs(() => oldestHeld);
  const first = new WeakRef(transcode(slabs, 0).bytes.buffer);
  for (let k = 1; k < 80; k++) transcode(slabs, k); // lines dropped at once
  assert.ok(slabs.allocated >= 3, `${slabs.allocated} slabs`);
  oldestHeld = Infinity; // all released
  await new Promise((r) => setImmediate(r)); // weak references made in a job keep their targets until it ends
  gc();
  assert.equal(first.deref(), undefined, 'the first slab, released and unreferenced, was freed by the GC');
  const allocated = slabs.allocated;
  for (let k = 80; k < 200; k++) transcode(slabs, k);
  assert.ok(slabs.allocated - allocated <= 1, 'afterwards the slab in use cycles: at most one new one');
});

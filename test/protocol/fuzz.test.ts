/**
 * Decoder fuzz (issue 6): thousands of mutated real messages of every encoding.
 * decodeMessage either returns records every plugin can take, or throws a
 * ProtocolError with a reason the collector counts; never anything else, and
 * never slower than linear in the message size. Seeded: set FUZZ_SEED to replay
 * a failure; `bench/fuzz` runs the same for longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amplifiers, checkOutcome, mutant, rng, seedSamples } from './fuzz-corpus.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const ITERATIONS = 4000;
test(`decoder fuzz: ${ITERATIONS} mutated messages of every encoding (seed ${SEED})`, () => {
  const r = rng(SEED);
  const seeds = seedSamples();
  const outcomes: Record<string, number> = {};
  let bytes = 0;
  let ms = 0;
  let worst = { name: '', usPerByte: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const s = mutant(r, seeds);
    const size = s.frames.reduce((n, f) => n + f.length, 0);
    let t0 = performance.now();
    const o = checkOutcome(s);
    let dt = performance.now() - t0;
    // A GC or a busy machine can stall one call; a slow decoder is slow every time.
    for (let again = 0; again < 3 && dt > 50 + (size * 2) / 1000; again++) {
      t0 = performance.now();
      checkOutcome(s);
      dt = Math.min(dt, performance.now() - t0);
    }
    bytes += size;
    ms += dt;
    const key = 'refused' in o ? o.refused.code : o.ok.errors.length ? 'partly' : 'ok';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    // One message alone: bounded even when a GC or the loaded machine stalls it.
    assert.ok(dt < 250 + (size * 2) / 1000, `${s.name}: ${dt.toFixed(1)} ms for ${size} bytes (best of 4)`);
    if (size > 10_000 && (dt * 1000) / size > worst.usPerByte) worst = { name: s.name, usPerByte: (dt * 1000) / size };
  }
  const usPerByte = (ms * 1000) / bytes;
  assert.ok(usPerByte < 2, `${usPerByte.toFixed(3)} us/byte over ${bytes} bytes (worst large: ${worst.name} ${worst.usPerByte.toFixed(3)})`);
  // The mutations reach every stage: most are refused, and some decode (in full or partly).
  for (const k of ['ok', 'partly', 'json', 'schema', 'topic', 'encoding', 'pickle', 'frames']) assert.ok((outcomes[k] ?? 0) > 0, `no "${k}" outcome in ${JSON.stringify(outcomes)}`);
});

test('decoder fuzz: messages built to cost the most per byte stay linear', () => {
  const runs = [64 << 10, 256 << 10].map((size) => {
    let ms = 0;
    let bytes = 0;
    for (const s of amplifiers(size)) {
      const t0 = performance.now();
      checkOutcome(s);
      ms += performance.now() - t0;
      bytes += s.frames[1]!.length;
    }
    return (ms * 1000) / bytes;
  });
  // Linear: 4x the size costs about 4x the time, so the cost per byte stays flat (x3 leaves room for load).
  assert.ok(runs[1]! < 2, `${runs[1]!.toFixed(3)} us/byte at 256 KB`);
  assert.ok(runs[1]! < runs[0]! * 3 + 0.2, `per-byte cost grew from ${runs[0]!.toFixed(3)} to ${runs[1]!.toFixed(3)} us with size`);
});

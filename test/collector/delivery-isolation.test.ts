/**
 * A plugin that fails on one record must lose that record alone, not its
 * batch (issue 6: an attribute nested 10,000 deep made the file plugin drop
 * 1,900 good records of its coalesced batch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { isolateFailures, isolationBudget, type AttemptResult } from '../../src/collector/isolate.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';
import { entry, goodMessage, pushSocket, waitFor } from './helpers.js';

/** Writes batches like a real sink: all or nothing, and throws on any record it cannot serialise. */
function pickyPlugin(stored: LogEntry[], poison: (e: LogEntry) => boolean): PluginFactory {
  return {
    type: 'picky',
    configSchema: Type.Object({}),
    create: () => ({
      start() {},
      consume(batch) {
        const bad = batch.find(poison);
        if (bad) throw new RangeError(`cannot serialise ${bad.message}`);
        stored.push(...batch);
      },
      flush() {},
      shutdown() {},
    }),
  };
}

test('one poison record among 2,000: the other 1,999 are written, the poison is rejected alone and counted', async () => {
  const stored: LogEntry[] = [];
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: picky',
    // One coalesced batch holds everything that queued meanwhile (up to 2,000).
    '    queue: { batchMaxEntries: 2000, retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 2 } }',
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(
    await loadConfig({ text }, { plugins: [pickyPlugin(stored, (e) => e.message === 'poison')], env: {} }),
    { log: (l) => lines.push(l) },
  );
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (let m = 0; m < 20; m++) {
      await push.send(goodMessage(Array.from({ length: 100 }, (_, i) => entry({ message: m === 13 && i === 57 ? 'poison' : `r${m * 100 + i}` }))));
    }
    await waitFor('every record written or rejected', () => {
      const c = handle.stats().plugins.picky!;
      return c.written + c.dropped === 2000;
    }, 30_000);
    const c = handle.stats().plugins.picky!;
    assert.equal(c.written, 1999);
    assert.equal(c.rejected, 1);
    assert.equal(c.dropped, 1, 'the poison is the only loss');
    assert.equal(stored.length, 1999);
    assert.equal(new Set(stored.map((e) => e.message)).size, 1999, 'no record written twice');
    assert.ok(!stored.some((e) => e.message === 'poison'));
    assert.ok(lines.some((l) => /^plugin picky: batch of \d+ after \d+ isolation tries: \d+ written, 1 rejected alone$/.test(l)), lines.join('\n'));
  } finally {
    push.close();
    await handle.stop();
  }
});

function attemptsOn(poison: Set<number>, log: number[][]): (piece: readonly LogEntry[]) => Promise<AttemptResult> {
  return async (piece) => {
    log.push(piece.map((e) => e.seq!));
    return piece.some((e) => poison.has(e.seq!)) ? 'failed' : 'ok';
  };
}

const batchOf = (n: number) => Array.from({ length: n }, (_, i) => entry({ seq: i }));

test('bisection: one poison costs about 2·log2(n) tries; two poisons are both found', async () => {
  const tries: number[][] = [];
  const one = await isolateFailures(batchOf(2000), attemptsOn(new Set([1234]), tries), () => false);
  assert.deepEqual({ ...one, attempts: undefined }, { written: 1999, rejected: 1, dropped: 0, attempts: undefined });
  assert.ok(one.attempts <= 2 * Math.ceil(Math.log2(2000)), `${one.attempts} tries`);

  const two = await isolateFailures(batchOf(2000), attemptsOn(new Set([3, 1999]), []), () => false);
  assert.deepEqual([two.written, two.rejected, two.dropped], [1998, 2, 0]);
  assert.ok(two.attempts <= isolationBudget(2000));
});

test('bisection gives up at once on a plugin that fails everything, and on a timeout', async () => {
  const down = await isolateFailures(batchOf(2000), async () => 'failed', () => false);
  assert.equal(down.written + down.rejected, 0, 'nothing is labelled poison when nothing goes through');
  assert.equal(down.dropped, 2000);
  assert.ok(down.attempts <= 6, `${down.attempts} tries on a dead plugin`);

  let calls = 0;
  const hung = await isolateFailures(batchOf(100), async () => (calls++, 'timeout'), () => false);
  assert.deepEqual([hung.written, hung.rejected, hung.dropped, calls], [0, 0, 100, 1]);

  const tiny = await isolateFailures(batchOf(1), async () => 'ok', () => false);
  assert.deepEqual([tiny.written, tiny.rejected, tiny.dropped, tiny.attempts], [0, 0, 1, 0], 'a single entry already failed its retries alone');
});

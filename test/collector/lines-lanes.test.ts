/**
 * A lane whose plugin takes JSON lines (consumeLines) is fed lines through the
 * same queue, coalescing, retries, isolation and bounds as entries: the
 * counters balance (received = written + dropped + queued + inFlight), a poison
 * line is found and dropped alone, drop_newest trims lines by count and by
 * their real bytes, and each form reaches the plugin's matching method.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginPipeline, type PluginCounters } from '../../src/collector/pipeline.js';
import { isolateFailures, isolationBudget } from '../../src/collector/isolate.js';
import { Router } from '../../src/collector/router.js';
import { DEFAULT_QUEUE, type PluginConfig, type QueueConfig } from '../../src/collector/config-types.js';
import { jsonLinesFromEntries, lineCount, lineText, type JsonLines, type PluginInstance } from '../../src/plugins/api.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, waitFor } from './helpers.js';

const balanced = (c: PluginCounters) => c.received === c.written + c.dropped + c.queued + c.inFlight;

function laneConfig(queue: Partial<QueueConfig> = {}, filter: PluginConfig['filter'] = {}): PluginConfig {
  return { name: 'p', type: 'p', options: {}, filter, queue: { ...DEFAULT_QUEUE, ...queue } } as unknown as PluginConfig;
}

/** What a line-taking plugin saw: each call's form and size, and every line's message in order. */
interface Seen {
  calls: { form: 'lines' | 'entries'; n: number }[];
  messages: string[];
}

function lineTaker(seen: Seen, behaviour: { failIf?: (messages: string[]) => boolean; hang?: boolean } = {}): PluginInstance {
  const take = (form: 'lines' | 'entries', messages: string[]) => {
    if (behaviour.hang) return new Promise<void>(() => {});
    seen.calls.push({ form, n: messages.length });
    if (behaviour.failIf?.(messages)) throw new Error(`cannot take ${messages.length} records`);
    seen.messages.push(...messages);
  };
  return {
    start() {},
    consume: (b) => take('entries', b.map((e) => e.message)),
    consumeLines: (l) => take('lines', Array.from({ length: lineCount(l) }, (_, i) => (JSON.parse(lineText(l, i)) as LogEntry).message)),
    flush() {},
    shutdown() {},
  };
}

/** Messages of one length, so that lines of the same `extra` have one size. */
const msg = (i: number) => `m${String(i).padStart(5, '0')}`;
const linesOf = (from: number, n: number, extra = ''): JsonLines =>
  jsonLinesFromEntries(Array.from({ length: n }, (_, i) => entry({ message: `${msg(from + i)}${extra}` })));
const names = (from: number, n: number) => Array.from({ length: n }, (_, i) => msg(from + i));
const settled = (lane: PluginPipeline) => () => lane.counters().queued === 0 && lane.counters().inFlight === 0;

test('lines are queued, coalesced up to batchMaxEntries (an oversize batch split at a line), written in order; counters count records', async () => {
  const seen: Seen = { calls: [], messages: [] };
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const plugin = lineTaker(seen);
  // The first call waits, so the next offers queue up and are coalesced.
  const first = plugin.consumeLines!;
  let gated = true;
  plugin.consumeLines = async (l) => {
    if (gated) (gated = false), await gate;
    return first(l);
  };
  const lane = new PluginPipeline(laneConfig({ batchMaxEntries: 50 }), plugin, () => {});
  assert.equal(lane.wantsLines, true);
  lane.offer(linesOf(0, 10));
  lane.offer(linesOf(10, 20));
  lane.offer(linesOf(30, 25));
  lane.offer(linesOf(55, 120)); // larger than a batch: split at line 50 and 100
  const c = lane.counters();
  assert.deepEqual([c.received, c.inFlight, c.queued], [175, 10, 165]);
  assert.equal(c.queuedBytes, [linesOf(10, 20), linesOf(30, 25), linesOf(55, 120)].reduce((n, l) => n + l.bytes.length, 0), 'queuedBytes is the lines\' real size');
  assert.ok(balanced(c));
  release();
  await waitFor('all written', settled(lane));
  assert.deepEqual(seen.messages, names(0, 175));
  assert.deepEqual(seen.calls.map((x) => `${x.form}:${x.n}`), ['lines:10', 'lines:45', 'lines:50', 'lines:50', 'lines:20']);
  const end = lane.counters();
  assert.deepEqual([end.written, end.dropped, end.queued, end.queuedBytes, end.inFlight], [175, 0, 0, 0, 0]);
  await lane.drain(Date.now());
});

test('entries and lines in one queue reach consume() and consumeLines() respectively, never coalesced together', async () => {
  const seen: Seen = { calls: [], messages: [] };
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const plugin = lineTaker(seen);
  const consume = plugin.consume;
  let gated = true;
  plugin.consume = async (b) => {
    if (gated) (gated = false), await gate;
    return consume(b);
  };
  const lane = new PluginPipeline(laneConfig(), plugin, () => {});
  lane.offer(names(0, 3).map((message) => entry({ message })), 100); // in flight, held
  lane.offer(linesOf(3, 4));
  lane.offer(linesOf(7, 2));
  lane.offer(names(9, 5).map((message) => entry({ message })), 100);
  lane.offer(linesOf(14, 1));
  assert.equal(lane.counters().queuedBytes, linesOf(3, 4).bytes.length + linesOf(7, 2).bytes.length + 5 * 100 + linesOf(14, 1).bytes.length);
  release();
  await waitFor('all written', settled(lane));
  assert.deepEqual(seen.calls.map((x) => `${x.form}:${x.n}`), ['entries:3', 'lines:6', 'entries:5', 'lines:1']);
  assert.deepEqual(seen.messages, names(0, 15));
  assert.equal(lane.counters().written, 15);
  await lane.drain(Date.now());
});

test('a poison line among 2,000 is isolated: 1,999 written once each, 1 rejected, counters balance', async () => {
  const seen: Seen = { calls: [], messages: [] };
  const lines: string[] = [];
  const lane = new PluginPipeline(
    laneConfig({ batchMaxEntries: 2000, retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 2 } }),
    lineTaker(seen, { failIf: (m) => m.includes('poison') }),
    (l) => lines.push(l),
  );
  const entries = Array.from({ length: 2000 }, (_, i) => entry({ message: i === 1234 ? 'poison' : `m${i}` }));
  lane.offer(jsonLinesFromEntries(entries));
  await waitFor('settled', settled(lane));
  const c = lane.counters();
  assert.deepEqual([c.written, c.rejected, c.dropped], [1999, 1, 1]);
  assert.ok(balanced(c));
  assert.equal(seen.messages.length, 1999);
  assert.equal(new Set(seen.messages).size, 1999, 'no line written twice');
  assert.ok(!seen.messages.includes('poison'));
  assert.ok(seen.calls.every((x) => x.form === 'lines'));
  assert.ok(lines.some((l) => /^plugin p: batch of 2000 after \d+ isolation tries: 1999 written, 1 rejected alone$/.test(l)), lines.join('\n'));
  await lane.drain(Date.now());
});

test('bisection over JSON lines: one poison costs about 2·log2(n) tries and only its own line', async () => {
  const entries = Array.from({ length: 2000 }, (_, i) => entry({ message: `m${i}`, seq: i }));
  const tries: number[] = [];
  const r = await isolateFailures(
    jsonLinesFromEntries(entries),
    async (piece) => {
      tries.push(lineCount(piece));
      for (let i = 0; i < lineCount(piece); i++) if ((JSON.parse(lineText(piece, i)) as LogEntry).seq === 777) return 'failed';
      return 'ok';
    },
    () => false,
  );
  assert.deepEqual([r.written, r.rejected, r.dropped], [1999, 1, 0]);
  assert.ok(r.attempts <= 2 * Math.ceil(Math.log2(2000)) && r.attempts <= isolationBudget(2000), `${r.attempts} tries`);
  assert.equal(tries.reduce((a, b) => a + b, 0) >= 2000, true, 'every line was tried');
});

test('a failing plugin is retried with the same lines; they are written once when it recovers', async () => {
  const seen: Seen = { calls: [], messages: [] };
  let failures = 2;
  const lane = new PluginPipeline(
    laneConfig({ retry: { maxAttempts: 5, initialBackoffMs: 1, maxBackoffMs: 4 } }),
    lineTaker(seen, { failIf: () => failures-- > 0 }),
    () => {},
  );
  lane.offer(linesOf(0, 30));
  await waitFor('settled', settled(lane));
  const c = lane.counters();
  assert.deepEqual([c.written, c.dropped, c.errors], [30, 0, 2]);
  assert.deepEqual(seen.calls.map((x) => x.n), [30, 30, 30], 'the same whole batch each time');
  assert.deepEqual(seen.messages, names(0, 30));
  await lane.drain(Date.now());
});

test('drop_newest trims lines by maxEntries and by their real bytes, counted', async () => {
  const hang = lineTaker({ calls: [], messages: [] }, { hang: true });
  const byCount = new PluginPipeline(laneConfig({ whenFull: 'drop_newest', maxEntries: 25, consumeTimeoutMs: 0 }), hang, () => {});
  byCount.offer(linesOf(0, 10)); // in flight at once
  byCount.offer(linesOf(10, 40)); // 25 fit
  let c = byCount.counters();
  assert.deepEqual([c.inFlight, c.queued, c.dropped, c.droppedFull], [10, 25, 15, 15]);
  assert.equal(c.queuedBytes, linesOf(10, 25).bytes.length);
  assert.ok(balanced(c));
  await byCount.drain(Date.now());

  const sample = linesOf(0, 1, 'x'.repeat(80));
  const lineBytes = sample.bytes.length;
  const byBytes = new PluginPipeline(laneConfig({ whenFull: 'drop_newest', maxBytes: lineBytes * 7 + 3, consumeTimeoutMs: 0 }), hang, () => {});
  byBytes.offer(linesOf(0, 5, 'x'.repeat(80))); // in flight
  byBytes.offer(linesOf(5, 4, 'x'.repeat(80))); // fits
  byBytes.offer(linesOf(9, 10, 'x'.repeat(80))); // 3 more fit in 7 lines' bytes (+3 spare bytes: not a line)
  c = byBytes.counters();
  assert.deepEqual([c.inFlight, c.queued, c.dropped], [5, 7, 7]);
  assert.equal(c.queuedBytes, 7 * lineBytes);
  assert.ok(c.queuedBytes <= lineBytes * 7 + 3);
  assert.ok(balanced(c));
  await byBytes.drain(Date.now());
  const end = byBytes.counters();
  assert.deepEqual([end.received, end.dropped, end.queued, end.inFlight], [19, 19, 0, 0], 'what was left at shutdown is counted dropped');
});

test('wantsLines: only a plugin with consumeLines on a lane without a filter; the router asks for entries if any lane needs them', async () => {
  const withLines = lineTaker({ calls: [], messages: [] });
  const withoutLines: PluginInstance = { ...withLines, consumeLines: undefined };
  const lines = new PluginPipeline(laneConfig(), withLines, () => {});
  const filtered = new PluginPipeline(laneConfig({}, { level: 'WARN' }), withLines, () => {});
  const plain = new PluginPipeline(laneConfig(), withoutLines, () => {});
  assert.deepEqual([lines.wantsLines, filtered.wantsLines, plain.wantsLines], [true, false, false]);
  assert.equal(new Router([lines]).needsEntries, false);
  assert.equal(new Router([lines, filtered]).needsEntries, true);
  assert.equal(new Router([plain, lines]).needsEntries, true);
  for (const l of [lines, filtered, plain]) await l.drain(Date.now());
});

test('lines offered to a lane that needs entries are read back and filtered like entries', async () => {
  const seen: Seen = { calls: [], messages: [] };
  const lane = new PluginPipeline(laneConfig({}, { level: 'WARN' }), lineTaker(seen), () => {});
  lane.offer(jsonLinesFromEntries([entry({ message: 'low' }), entry({ message: 'high', level: 'ERROR', severity: 17 })]));
  await waitFor('settled', settled(lane));
  assert.deepEqual(seen.calls, [{ form: 'entries', n: 1 }]);
  assert.deepEqual(seen.messages, ['high']);
  assert.deepEqual([lane.counters().filtered, lane.counters().written], [1, 1]);
  await lane.drain(Date.now());
});

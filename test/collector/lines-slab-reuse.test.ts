/**
 * The collector reuses the slabs its lines are written into (protocol/line-slabs.ts)
 * only once no lane holds them: queued, being delivered, or inside a plugin
 * call that has not settled — a call past consumeTimeoutMs included, since the
 * plugin may still read its bytes. These tests drive real transcoding through
 * the router's slabs into lanes, and check what a plugin reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PluginPipeline } from '../../src/collector/pipeline.js';
import { Router } from '../../src/collector/router.js';
import { DEFAULT_QUEUE, type PluginConfig, type QueueConfig } from '../../src/collector/config-types.js';
import { lineCount, lineText, type JsonLines, type PluginInstance } from '../../src/plugins/api.js';
import { encodeOtlp, otlpToJsonLines, type LogEntry } from '../../src/protocol/index.js';
import { sleep, waitFor } from './helpers.js';

const N = 200;
const PAD = 'x'.repeat(200);
/** One OTLP payload of N records named after message k: ~60 KB of lines, so a 2 MiB slab holds ~30 messages. */
function payload(k: number): Buffer {
  return encodeOtlp(Array.from({ length: N }, (_, i): LogEntry => ({
    v: 2, timeUnixNano: '1795568645885001000', level: 'INFO', severity: 9, logger: 'app',
    message: `m${k} r${i} ${PAD}`, attributes: {}, resource: { 'service.name': 'svc' }, system: 'T', kind: 'L',
  })));
}
const expected = (k: number) => Array.from({ length: N }, (_, i) => `m${k} r${i} ${PAD}`);
const messagesOf = (l: JsonLines) => Array.from({ length: lineCount(l) }, (_, i) => (JSON.parse(lineText(l, i)) as LogEntry).message);

function laneConfig(name: string, queue: Partial<QueueConfig>): PluginConfig {
  return { name, type: 'p', options: {}, filter: {}, queue: { ...DEFAULT_QUEUE, ...queue } } as unknown as PluginConfig;
}

/** A line-taking plugin that reads every batch's messages once its call may finish (`readAt`). */
function reader(readAt: (call: number) => Promise<void>): PluginInstance & { got: string[][] } {
  let calls = 0;
  const got: string[][] = [];
  return {
    got,
    start() {},
    consume() {
      throw new Error('lines expected');
    },
    async consumeLines(l) {
      await readAt(calls++);
      got.push(messagesOf(l));
    },
    flush() {},
    shutdown() {},
  };
}

/**
 * Every batch made, referenced to the end of the test: the router's slabs hold
 * released slabs weakly, and a GC in between would make reuse counts vary.
 */
const made: JsonLines[] = [];

/** What the receiver does for one message: transcode into the router's slabs, dispatch. */
function receive(router: Router, k: number): void {
  const d = otlpToJsonLines(payload(k), { system: 'T', kind: 'L' }, undefined, router.slabs);
  made.push(d.lines);
  router.dispatch(d.lines, d.lines.bytes.length / N);
}

test('lines inside a timed-out plugin call keep their bytes while 100 more messages go through; their slabs are reused only after the call settles', async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  // The first call hangs past its timeout, then reads its lines; the others read at once.
  const slow = reader((call) => (call === 0 ? gate : Promise.resolve()));
  const lane = new PluginPipeline(laneConfig('slow', { batchMaxEntries: N, consumeTimeoutMs: 50, retry: { ...DEFAULT_QUEUE.retry, maxAttempts: 1 } }), slow, () => {});
  const router = new Router([lane]);
  assert.equal(router.needsEntries, false);

  receive(router, 0);
  await waitFor('the first call timed out', () => lane.counters().dropped === N, 5_000);
  for (let k = 1; k <= 100; k++) {
    receive(router, k);
    await waitFor(`message ${k} written`, () => lane.counters().written === k * N, 5_000);
  }
  assert.equal(router.slabs.reused, 0, 'the lingering call pins its slab and every later one: nothing reused');
  assert.ok(router.slabs.allocated >= 3, `new slabs instead (${router.slabs.allocated})`);
  assert.equal(router.oldestHeldSlab(), 1, 'the timed-out call still holds message 1');

  open();
  await waitFor('the late call read its lines', () => slow.got.length === 101, 5_000);
  assert.deepEqual(slow.got[100], expected(0), 'the timed-out call read its own lines, not lines written over them');
  assert.equal(router.oldestHeldSlab(), Infinity, 'nothing held once the call settled');
  for (let k = 101; k <= 200; k++) {
    receive(router, k);
    await waitFor(`message ${k} written`, () => lane.counters().written === k * N, 5_000);
  }
  assert.ok(router.slabs.reused >= 2, `slabs reused once released (${router.slabs.reused})`);
  for (let k = 1; k <= 200; k++) assert.deepEqual(slow.got[k < 101 ? k - 1 : k], expected(k), `message ${k} as written`);
  await lane.drain(Date.now());
});

test('two lanes: a slab is reused only when the slower lane is done with it; every line reaches both intact', async () => {
  let pace = 0;
  const fast = reader(() => Promise.resolve());
  const slow = reader(async () => void (await sleep(pace)));
  const lanes = [
    // One message per call (no joining, which copies): every call reads a slab region.
    new PluginPipeline(laneConfig('fast', { batchMaxEntries: N }), fast, () => {}),
    new PluginPipeline(laneConfig('slow', { batchMaxEntries: N, maxBytes: 64 * 1024 * 1024, maxEntries: 1_000_000 }), slow, () => {}),
  ];
  const router = new Router(lanes);
  // The slow lane falls ~40 messages (more than a slab) behind, then catches up.
  pace = 5;
  for (let k = 0; k < 150; k++) {
    receive(router, k);
    if (k % 10 === 9) await sleep(1);
  }
  pace = 0;
  await waitFor('both lanes wrote everything', () => lanes.every((l) => l.counters().written === 150 * N), 20_000);
  for (let k = 0; k < 150; k++) {
    assert.deepEqual(fast.got[k], expected(k), `fast lane, message ${k}`);
    assert.deepEqual(slow.got[k], expected(k), `slow lane, message ${k}`);
  }
  for (let k = 150; k < 250; k++) receive(router, k);
  await waitFor('the rest written', () => lanes.every((l) => l.counters().written === 250 * N), 20_000);
  assert.ok(router.slabs.reused >= 1, `slabs reused (${router.slabs.reused})`);
  for (let k = 150; k < 250; k++) assert.deepEqual(slow.got[k], expected(k), `slow lane, message ${k}`);
  await Promise.all(lanes.map((l) => l.drain(Date.now())));
});

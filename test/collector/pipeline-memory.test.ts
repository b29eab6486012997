/**
 * A lane must not keep entries alive once a plugin has consumed them, even
 * while newer batches keep its queue from ever running empty (the steady state
 * of a busy collector). Before the fix, consumed batches stayed referenced
 * until 1,024 had piled up: ~800 MB of RSS in bench/e2e.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PluginPipeline } from '../../src/collector/pipeline.js';
import { DEFAULT_QUEUE, type PluginConfig } from '../../src/collector/config-types.js';
import type { LogEntry } from '../../src/protocol/index.js';
import { jsonLinesFromEntries, type JsonLines, type PluginInstance } from '../../src/plugins/api.js';
import { entry } from './helpers.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Offers 50 batches of 10 records (made by `batch`) to a lane with batchMaxEntries 10,
 * whose plugin holds each call until released; releases 40 of them, collects
 * garbage, and returns a WeakRef to each batch plus the lane's written count.
 */
async function releaseFortyOfFifty<B extends object>(form: 'entries' | 'lines', batch: () => B): Promise<{ refs: WeakRef<B>[]; written: number; lane: PluginPipeline }> {
  const releases: Array<() => void> = [];
  const hold = () => new Promise<void>((resolve) => releases.push(resolve));
  const plugin: PluginInstance = form === 'entries'
    ? { start() {}, consume: hold, flush() {}, shutdown() {} }
    : { start() {}, consume: () => assert.fail('this lane takes lines'), consumeLines: hold, flush() {}, shutdown() {} };
  const cfg = { name: 'slow', type: 'slow', options: {}, filter: {}, queue: { ...DEFAULT_QUEUE, batchMaxEntries: 10 } } as unknown as PluginConfig;
  const lane = new PluginPipeline(cfg, plugin, () => {});
  const refs: WeakRef<B>[] = [];
  for (let b = 0; b < 50; b++) {
    const one = batch();
    refs.push(new WeakRef(one));
    lane.offer(one as unknown as Parameters<PluginPipeline['offer']>[0]);
  }
  // consume 40 of the 50 batches; 10 stay queued, so the queue never runs empty
  for (let i = 0; i < 40; i++) {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  gc();
  return { refs, written: lane.counters().written, lane };
}

test('entries a plugin has consumed are released while newer batches are still queued', async () => {
  // The first entry of each batch stands for its batch.
  const firsts: WeakRef<LogEntry>[] = [];
  const { written, lane } = await releaseFortyOfFifty('entries', () => {
    const batch = Array.from({ length: 10 }, () => entry());
    firsts.push(new WeakRef(batch[0]!));
    return batch;
  });
  assert.equal(written, 400);
  const alive = firsts.slice(0, 39).filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} consumed batches are still referenced`);
  assert.ok(firsts[45]!.deref(), 'queued entries are of course kept');
  await lane.drain(Date.now());
});

test('JSON lines a plugin has consumed are released too, while newer batches are still queued', async () => {
  const { refs, written, lane } = await releaseFortyOfFifty('lines', (): JsonLines => jsonLinesFromEntries(Array.from({ length: 10 }, () => entry())));
  assert.equal(written, 400);
  const alive = refs.slice(0, 39).filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} consumed batches of lines are still referenced`);
  assert.ok(refs[45]!.deref(), 'queued lines are of course kept');
  await lane.drain(Date.now());
});

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

test('entries a plugin has consumed are released while newer batches are still queued', async () => {
  const releases: Array<() => void> = [];
  const plugin: PluginInstance = {
    start() {},
    consume: () => new Promise<void>((resolve) => releases.push(resolve)),
    flush() {},
    shutdown() {},
  };
  const cfg = { name: 'slow', type: 'slow', options: {}, filter: {}, queue: { ...DEFAULT_QUEUE, batchMaxEntries: 10 } } as unknown as PluginConfig;
  const lane = new PluginPipeline(cfg, plugin, () => {});

  const refs: WeakRef<LogEntry>[] = [];
  for (let b = 0; b < 50; b++) {
    const batch = Array.from({ length: 10 }, () => entry());
    refs.push(new WeakRef(batch[0]!));
    lane.offer(batch);
  }
  // consume 40 of the 50 batches; 10 stay queued, so the queue never runs empty
  for (let i = 0; i < 40; i++) {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(lane.counters().written, 400);
  gc();
  const alive = refs.slice(0, 39).filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} consumed batches are still referenced`);
  assert.ok(refs[45]!.deref(), 'queued entries are of course kept');
  await lane.drain(Date.now());
});

test('JSON lines a plugin has consumed are released too, while newer batches are still queued', async () => {
  const releases: Array<() => void> = [];
  const plugin: PluginInstance = {
    start() {},
    consume: () => assert.fail('this lane takes lines'),
    consumeLines: () => new Promise<void>((resolve) => releases.push(resolve)),
    flush() {},
    shutdown() {},
  };
  const cfg = { name: 'slow', type: 'slow', options: {}, filter: {}, queue: { ...DEFAULT_QUEUE, batchMaxEntries: 10 } } as unknown as PluginConfig;
  const lane = new PluginPipeline(cfg, plugin, () => {});
  const refs: WeakRef<JsonLines>[] = [];
  for (let b = 0; b < 50; b++) {
    const lines = jsonLinesFromEntries(Array.from({ length: 10 }, () => entry()));
    refs.push(new WeakRef(lines));
    lane.offer(lines);
  }
  for (let i = 0; i < 40; i++) {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(lane.counters().written, 400);
  gc();
  const alive = refs.slice(0, 39).filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} consumed batches of lines are still referenced`);
  assert.ok(refs[45]!.deref(), 'queued lines are of course kept');
  await lane.drain(Date.now());
});

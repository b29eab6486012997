/**
 * Fans each decoded batch out to every plugin lane. Dispatch is synchronous and
 * never waits on a plugin; the receiver asks `mustWait` after each message and
 * then waits on `waitForSpace()`: a full `block` lane (the default) holds it
 * until the lane has room or stalls (see PluginPipeline), which is how a slow
 * plugin pushes back to the producers.
 *
 * Records come in one of two forms (batch.ts). When every lane takes JSON
 * lines (`needsEntries` is false) the receivers make lines straight from the
 * wire and no LogEntry is built; as soon as one lane needs objects (a plugin
 * without consumeLines, or a filter, which reads fields) the receivers decode
 * entries and every lane gets entries: making both forms of each record would
 * cost more than it saves.
 */
import { LineSlabs } from '../protocol/line-slabs.js';
import { batchLength, type Batch } from './batch.js';
import type { PluginCounters, PluginPipeline } from './pipeline.js';

export class Router {
  /** Some lane needs LogEntry objects: receivers must decode entries, not lines. */
  readonly needsEntries: boolean;
  /**
   * Where the receivers write JSON lines: slabs written over once no lane
   * holds a batch from them (protocol/line-slabs.ts).
   */
  readonly slabs = new LineSlabs(() => this.oldestHeldSlab());

  constructor(readonly lanes: readonly PluginPipeline[]) {
    this.needsEntries = lanes.some((l) => !l.wantsLines);
  }

  /**
   * Offers the batch to every lane. `bytesEach`: one entry's estimated size
   * (entries; lines count their real bytes). Lines only when !needsEntries.
   */
  dispatch(batch: Batch, bytesEach = 0): void {
    if (batchLength(batch) === 0) return;
    for (const lane of this.lanes) lane.offer(batch, bytesEach);
  }

  /** The oldest slab message (JsonLines.slabSeq) any lane still holds; Infinity when none. */
  oldestHeldSlab(): number {
    let oldest = Infinity;
    for (const lane of this.lanes) oldest = Math.min(oldest, lane.oldestHeldSlab());
    return oldest;
  }

  /** Resolves when no lane holds the receiver; immediate in the common case. */
  async waitForSpace(): Promise<void> {
    for (const lane of this.lanes) if (lane.blocking) await lane.waitForSpace();
  }

  get mustWait(): boolean {
    return this.lanes.some((l) => l.blocking);
  }

  /** Some lane is half full: the receiver yields now so its plugin can drain it. */
  get shouldYield(): boolean {
    for (const lane of this.lanes) if (lane.filling) return true;
    return false;
  }

  counters(): Record<string, PluginCounters> {
    const out: Record<string, PluginCounters> = {};
    for (const lane of this.lanes) out[lane.name] = lane.counters();
    return out;
  }

  async drain(deadline: number): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.drain(deadline)));
  }
}

/**
 * Fans each decoded batch out to every plugin lane. Dispatch is synchronous and
 * never waits on a plugin; the receiver asks `mustWait` after each message and
 * then waits on `waitForSpace()`: a full `block` lane (the default) holds it
 * until the lane has room or stalls (see PluginPipeline), which is how a slow
 * plugin pushes back to the producers.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import type { PluginCounters, PluginPipeline } from './pipeline.js';

export class Router {
  constructor(readonly lanes: readonly PluginPipeline[]) {}

  /** `bytesEach`: estimated size of one entry (its share of the message's wire bytes). */
  dispatch(entries: readonly LogEntry[], bytesEach = 0): void {
    if (entries.length === 0) return;
    for (const lane of this.lanes) lane.offer(entries, bytesEach);
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

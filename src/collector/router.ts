/**
 * Fans each decoded batch out to every plugin lane. Dispatch is synchronous and
 * never waits on a plugin; only lanes configured `whenFull: block` can make the
 * receiver pause (that is their documented purpose: backpressure instead of loss).
 */
import type { LogEntry } from '../protocol/log-entry.js';
import type { PluginCounters, PluginPipeline } from './pipeline.js';

export class Router {
  constructor(readonly lanes: readonly PluginPipeline[]) {}

  dispatch(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    for (const lane of this.lanes) lane.offer(entries);
  }

  /** Resolves when no blocking lane is full; immediate in the common case. */
  async waitForSpace(): Promise<void> {
    for (const lane of this.lanes) if (lane.blocking) await lane.waitForSpace();
  }

  get mustWait(): boolean {
    return this.lanes.some((l) => l.blocking);
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

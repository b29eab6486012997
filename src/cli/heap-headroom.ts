/**
 * Gives V8's old generation a fixed headroom above the heap in use, for the
 * distlogd process (a process-wide V8 setting: the distribution owns the
 * process, so it lives here and not in the collector library).
 *
 * Why: after each full collection V8 sets the next limit to the live heap
 * times a factor it picks (about 2.4 in distlogd under load), and starts
 * marking again once the room left under that limit is smaller than the
 * young generation (16 MB). distlogd's live heap is small (~10 MB), so the
 * room was never enough: under load it ran a full incremental mark every
 * 50-100 ms, ~33 per million records, and the GC's helper threads took about
 * a fifth of its CPU. Measured (bench/e2e's collector runs, 1M small records,
 * per-thread CPU from /proc): 0-1 marks with this headroom, total CPU
 * 2.4-3.0 s against 3.3-4.5 s, peak RSS the same (108-116 MB). The same
 * effect as starting node with --initial-old-space-size=64, which distlogd
 * cannot ask for once it runs (heap sizes are fixed at start).
 *
 * How: the growth factor (V8's --heap-growing-percent, read at each full
 * collection, so it can be set at run time) is chosen after each full
 * collection so that the next limit is the heap in use plus HEADROOM_BYTES;
 * from HEADROOM_BYTES of heap in use on, V8's own choice applies again. The
 * extra memory is therefore bounded by HEADROOM_BYTES whatever the heap's size.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Room above the heap in use before V8 starts a full collection. */
export const HEADROOM_BYTES = 32 * 1024 * 1024;
/** Growth percentages are set in these steps (fewer flag changes). */
const STEP_PERCENT = 25;
/** The largest factor V8 itself uses is 4 (300 %). */
const MAX_PERCENT = 300;

/** The --heap-growing-percent that leaves HEADROOM_BYTES above `used` bytes; 0 = V8's own choice. */
export function growingPercentFor(used: number): number {
  if (used >= HEADROOM_BYTES) return 0;
  const percent = Math.ceil(((HEADROOM_BYTES / Math.max(used, 1)) * 100) / STEP_PERCENT) * STEP_PERCENT;
  return Math.min(MAX_PERCENT, percent);
}

/** Starts keeping the headroom; returns a function that stops (and gives V8 its own choice back). */
export function keepHeapHeadroom(): () => void {
  let current = -1;
  const apply = () => {
    const percent = growingPercentFor(getHeapStatistics().used_heap_size);
    if (percent === current) return;
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    current = percent;
  };
  apply();
  // Right after a full collection the heap in use is about the live heap: the size the factor multiplies.
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        apply();
        return;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    setFlagsFromString('--heap-growing-percent=0');
  };
}

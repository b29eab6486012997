/**
 * A nanosecond-resolution wall clock. Date.now() only has milliseconds, so
 * records in one millisecond would tie; performance.now() is monotonic with
 * sub-microsecond resolution and is anchored once to the epoch here.
 */
import type { HrTime } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';

const originMs = performance.timeOrigin;
const originSec = Math.floor(originMs / 1000);
const originNs = Math.round((originMs - originSec * 1000) * 1e6);

/** Current time as OTel HrTime [seconds, nanoseconds]. */
export function hrNow(): HrTime {
  const nowMs = performance.now();
  const wholeMs = Math.floor(nowMs);
  let ns = originNs + wholeMs * 1e6 + Math.round((nowMs - wholeMs) * 1e6);
  const carry = Math.floor(ns / 1e9);
  ns -= carry * 1e9;
  return [originSec + carry, ns];
}

/**
 * Trace (task) and span ids. Drawn from a pooled crypto buffer: one
 * randomFillSync per 512 ids instead of one syscall-backed call per scope.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function take(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return id;
}

const ALL_ZERO = /^0+$/;

/** 32 lower-case hex chars, never all zero (W3C: an all-zero trace id is invalid). */
export function newTaskId(): string {
  let id = take(16);
  while (ALL_ZERO.test(id)) id = take(16);
  return id;
}

/** 16 lower-case hex chars, never all zero. */
export function newSpanId(): string {
  let id = take(8);
  while (ALL_ZERO.test(id)) id = take(8);
  return id;
}

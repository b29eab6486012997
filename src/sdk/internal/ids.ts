/**
 * Trace (task) and span ids. Drawn from a pooled crypto buffer: one
 * randomFillSync per 512 ids instead of one syscall-backed call per scope.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const ALL_ZERO = /^0+$/;

class RandomHexPool {
  private readonly pool = Buffer.allocUnsafe(POOL_BYTES);
  private offset = POOL_BYTES;

  /** `bytes` random bytes as lower-case hex, never all zero (W3C: all-zero ids are invalid). */
  take(bytes: number): string {
    let id: string;
    do {
      if (this.offset + bytes > POOL_BYTES) {
        randomFillSync(this.pool);
        this.offset = 0;
      }
      id = this.pool.toString('hex', this.offset, this.offset + bytes);
      this.offset += bytes;
    } while (ALL_ZERO.test(id));
    return id;
  }
}

const ids = new RandomHexPool();

/** 32 lower-case hex chars, never all zero. */
export function newTaskId(): string {
  return ids.take(16);
}

/** 16 lower-case hex chars, never all zero. */
export function newSpanId(): string {
  return ids.take(8);
}

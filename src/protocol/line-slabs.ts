/**
 * Where the JSON-lines transcoder (otlp-lines.ts) writes: slabs of memory,
 * each message's lines a region of one, and each region handed on as a
 * JsonLines that the collector's lanes hold until their plugins are done.
 *
 * Why slabs: a fresh Buffer per message cost more than writing its lines
 * (page faults and malloc trimming on every ~400 KB allocation, measured
 * 0.15-0.3 µs per record). 2 MiB, not more: glibc serves a freed slab's
 * memory to the next one (its mmap threshold grows to the size freed), where
 * 8 MiB slabs came fresh from the kernel, a page fault every ~20 small records
 * (bench/e2e/ingest-cpu.ts).
 *
 * Why reuse them: every slab allocated is external memory to V8, and a
 * collector allocating ~400 bytes of it per record (one slab every ~5,000
 * small records) kept V8 marking its old generation over and over (in
 * distlogd under load, a full mark every 60-100 ms; the GC's helper threads
 * took ~0.6 µs of CPU per record). With a `released` hook (the collector's
 * router: the oldest message any lane still holds) a slab whose every region
 * is done with is written over instead; without one, slabs are left to the GC.
 *
 * The rule that makes reuse safe: a slab is reused only when `released()`
 * is past the last message written into it. Sealed slabs are held weakly: one
 * the GC frees first (while the collector is idle, say) is simply not reused,
 * so reuse never keeps memory the GC would have given back. Every view of a region carries
 * its message number (JsonLines.slabSeq, kept by sliceJsonLines), and the
 * lanes count a batch as held from the moment it is offered until the
 * plugin's call on it has settled, a timed-out call included.
 */
import type { JsonLines } from './json-lines.js';
import { LineBuffer } from './line-buffer.js';

/** Bytes of one slab. */
export const SLAB_BYTES = 2 * 1024 * 1024;
/** A message whose lines take more than this gets a buffer of its own (never reused). */
const OWN_BUFFER_BYTES = 2 * 1024 * 1024;
/** Slabs remembered; past this the oldest are forgotten (left to the GC). */
const MAX_SEALED = 64;

interface Sealed {
  /** The slab's memory, weakly: the lanes' lines keep it alive while they hold it. */
  memory: WeakRef<ArrayBuffer>;
  /** The last message written into it. */
  lastSeq: number;
}

export class LineSlabs {
  readonly buf = new LineBuffer(1024);
  private slab: Buffer = LineBuffer.ownBuffer(SLAB_BYTES);
  private slabPos = 0;
  /** Slabs written full (or left for a message's own buffer), oldest first. */
  private sealed: Sealed[] = [];
  /** Number of the message being written (the first is 1). */
  private seq = 0;
  ends: Uint32Array = new Uint32Array(1024);
  systems: Uint8Array = new Uint8Array(1024);
  kinds: Uint8Array = new Uint8Array(1024);
  count = 0;
  /** Slabs written over instead of allocated, and slabs allocated: for tests and benchmarks. */
  reused = 0;
  allocated = 1;

  /**
   * @param released The oldest message number still held by anyone the lines
   *   were given to (Infinity when none is): slabs whose last message is older
   *   may be written over. Without it, no slab is reused.
   */
  constructor(private readonly released?: () => number) {}

  /** Starts a message whose lines are expected to take about `estimate` bytes. */
  begin(estimate: number): void {
    if (estimate > OWN_BUFFER_BYTES) {
      // A large message gets a buffer of its own: freed as soon as its lines are
      // written, where a slab would stay pinned by its last queued region.
      this.seal(this.seq);
      this.slab = this.fresh(estimate);
      this.slabPos = 0;
    } else if (this.slab.length - this.slabPos < estimate) {
      this.seal(this.seq);
      this.slab = this.reusable() ?? this.fresh(Math.max(SLAB_BYTES, estimate));
      this.slabPos = 0;
    }
    this.seq++;
    this.buf.adopt(this.slab, this.slabPos);
    this.count = 0;
  }

  endLine(system: number, kind: number): void {
    if (this.count === this.ends.length) {
      const n = this.count * 2;
      const ends = new Uint32Array(n);
      ends.set(this.ends);
      const systems = new Uint8Array(n);
      systems.set(this.systems);
      const kinds = new Uint8Array(n);
      kinds.set(this.kinds);
      this.ends = ends;
      this.systems = systems;
      this.kinds = kinds;
    }
    this.ends[this.count] = this.buf.pos - this.buf.base;
    this.systems[this.count] = system;
    this.kinds[this.count] = kind;
    this.count++;
  }

  /**
   * The message's lines, a region of the slab. A message that outgrew its
   * estimate was moved by the writer to a larger buffer of its own, which
   * becomes the slab the next messages are written into.
   */
  take(): JsonLines {
    const n = this.count;
    const w = this.buf;
    if (w.buf !== this.slab) {
      // Moved: the old slab holds the messages before this one.
      this.seal(this.seq - 1);
      this.slab = w.buf;
    }
    const bytes = w.buf.subarray(w.base, w.pos);
    // Keep regions word-aligned for the next message's escape checks.
    this.slabPos = (w.pos + 3) & ~3;
    const lines = { bytes, ends: this.ends.slice(0, n), systems: this.systems.slice(0, n), kinds: this.kinds.slice(0, n) };
    return this.released === undefined ? lines : { ...lines, slabSeq: this.seq };
  }

  private fresh(bytes: number): Buffer {
    this.allocated++;
    return LineBuffer.ownBuffer(bytes);
  }

  /** The current slab is done with for writing, `lastSeq` the last message in it: remembered until that is released. */
  private seal(lastSeq: number): void {
    if (this.released === undefined || this.slab.length !== SLAB_BYTES) return; // other sizes: left to the GC
    if (this.sealed.length === MAX_SEALED) this.sealed.shift();
    this.sealed.push({ memory: new WeakRef(this.slab.buffer as ArrayBuffer), lastSeq });
  }

  /** The oldest sealed slab no one holds any more and the GC has not freed, if there is one. */
  private reusable(): Buffer | undefined {
    const sealed = this.sealed;
    if (this.released === undefined || sealed.length === 0) return undefined;
    const oldest = this.released();
    // Sealed in message order: the released ones are a prefix.
    while (sealed.length > 0 && sealed[0]!.lastSeq < oldest) {
      const memory = sealed.shift()!.memory.deref();
      if (memory !== undefined) {
        this.reused++;
        return Buffer.from(memory);
      }
    }
    return undefined;
  }
}

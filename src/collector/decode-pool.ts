/**
 * Decode threads of the ZeroMQ receiver (`receiver.decodeThreads`). Turning a
 * message into JSON lines is most of a collector's CPU; with threads the
 * receiving thread only reads the socket, counts and routes, and the decoding
 * of several messages runs beside it on other cores.
 *
 * Results come back in the order the messages were handed over, whichever
 * thread finishes first (the receiver awaits them in that order), so records
 * keep their arrival order. Only the lines path uses threads: when a plugin
 * needs LogEntry objects the receiver decodes them itself, since objects cannot
 * move between threads without a copy that costs more than decoding.
 *
 * A thread that fails (it should not: decoding errors are replies) breaks the
 * pool: its waiting messages are refused as `internal` and counted, and the
 * receiver decodes on its own thread from then on.
 */
import { Worker } from 'node:worker_threads';
import type { DecodeLimits, EntryError } from '../protocol/index.js';
import type { BatchMeta } from '../protocol/log-entry.js';
import type { Topic } from '../protocol/topic.js';
import type { JsonLines } from '../protocol/json-lines.js';

export interface WorkerRequest {
  id: number;
  frames: Uint8Array[];
  limits: DecodeLimits;
}

export interface Refusal {
  code: string;
  message: string;
  topic?: string | undefined;
}

export type WorkerReply =
  | { id: number; ok: { topic: Topic; meta: BatchMeta; errors: EntryError[]; bytes: Uint8Array; ends: Uint32Array; systems: Uint8Array; kinds: Uint8Array } }
  | { id: number; refused: Refusal };

export type PooledDecode = { topic: Topic; lines: JsonLines; meta: BatchMeta; errors: EntryError[] } | { refused: Refusal };

/**
 * A decode thread. From the build, decode-worker.js itself. From source (tests,
 * `npm start`), decode-worker.ts behind a bootstrap that registers the tsx
 * loader in the thread first: a worker does not inherit the loader hooks that
 * `--import tsx` set up on the main thread (Node 20).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./decode-worker.js', import.meta.url));
  const source = new URL('./decode-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true });
}

export class DecodePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: PooledDecode) => void; worker: Worker }>();
  private nextId = 0;
  private turn = 0;
  private failed = false;
  private closing = false;

  constructor(threads: number, private readonly limits: DecodeLimits, private readonly log: (line: string) => void) {
    for (let i = 0; i < threads; i++) {
      const w = startWorker();
      w.on('message', (reply: WorkerReply) => this.settle(reply));
      w.on('error', (err) => this.fail(w, `decode thread failed: ${err.message}`));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(w, `decode thread exited (code ${code})`);
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** False once a thread failed: the receiver decodes on its own thread. */
  get usable(): boolean {
    return !this.failed && !this.closing;
  }

  /** The message's lines (or its refusal), decoded by the next thread in turn. */
  decode(frames: readonly Uint8Array[]): Promise<PooledDecode> {
    const worker = this.workers[this.turn++ % this.workers.length]!;
    const id = this.nextId++;
    return new Promise<PooledDecode>((resolve) => {
      this.waiting.set(id, { resolve, worker });
      // The frames are copied into the thread's message (zeromq owns their memory).
      const req: WorkerRequest = { id, frames: frames as Uint8Array[], limits: this.limits };
      worker.postMessage(req);
    });
  }

  private settle(reply: WorkerReply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if ('refused' in reply) {
      w.resolve({ refused: reply.refused });
      return;
    }
    const r = reply.ok;
    const bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    w.resolve({ topic: r.topic, meta: r.meta, errors: r.errors, lines: { bytes, ends: r.ends, systems: r.systems, kinds: r.kinds } });
  }

  private fail(worker: Worker, why: string): void {
    if (!this.failed) this.log(`receiver: ${why}; decoding on the receiving thread from now on`);
    this.failed = true;
    for (const [id, w] of this.waiting) {
      if (w.worker !== worker) continue;
      this.waiting.delete(id);
      w.resolve({ refused: { code: 'internal', message: why } });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.resolve({ refused: { code: 'internal', message: 'receiver stopped before the message was decoded' } });
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * A decode thread of the ZeroMQ receiver (decode-pool.ts): turns each message
 * it is handed into JSON lines with decodeMessageLines, exactly as the
 * receiving thread would, and hands the lines back without a copy (their
 * bytes move to a buffer of their own, which is transferred).
 */
import { parentPort } from 'node:worker_threads';
import { decodeMessageLines } from '../protocol/decode-lines.js';
import { ProtocolError, type DecodeLimits } from '../protocol/index.js';
import type { WorkerReply, WorkerRequest } from './decode-pool.js';

if (!parentPort) throw new Error('decode-worker.ts runs as a worker thread of the receiver');
const port = parentPort;

port.on('message', (req: WorkerRequest) => {
  const limits: DecodeLimits = req.limits;
  let reply: WorkerReply;
  try {
    const d = decodeMessageLines(req.frames, limits);
    // The transcoder writes into a slab it reuses: the lines get a buffer of their own to move.
    const bytes = new Uint8Array(d.lines.bytes);
    const ends = d.lines.ends.slice();
    const systems = d.lines.systems.slice();
    const kinds = d.lines.kinds.slice();
    reply = { id: req.id, ok: { topic: d.topic, meta: d.meta, errors: d.errors, bytes, ends, systems, kinds } };
    port.postMessage(reply, [bytes.buffer, ends.buffer, systems.buffer, kinds.buffer]);
    return;
  } catch (err) {
    reply = err instanceof ProtocolError
      ? { id: req.id, refused: { code: err.code, message: err.message, topic: err.topic } }
      : { id: req.id, refused: { code: 'internal', message: `decoder failed: ${(err as Error).message}` } };
  }
  port.postMessage(reply);
});

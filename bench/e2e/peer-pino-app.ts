/**
 * Peer app: pino with the pino-socket transport (its own worker thread) sending
 * JSON lines over TCP to peer-tcp-receiver.ts; the same records and pacing as
 * the distlog app (yield every CHUNK records).
 *
 *   node --import tsx peer-pino-app.ts <port> <records> <small|2kb>
 * Prints one JSON line: { firstAt, doneAt } once the transport has closed.
 */
import { once } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import pino from 'pino';
import { nowMs } from './proc.js';
import { PAYLOAD_2K, isShape, largeAttributes, smallAttributes } from './shapes.js';
import { CHUNK } from './workload.js';

const [port = '0', total = '1000000', shape = 'small'] = process.argv.slice(2);
if (!isShape(shape)) throw new Error(`unknown shape ${shape}`);
const transport = pino.transport({ target: 'pino-socket', options: { address: '127.0.0.1', port: Number(port), mode: 'tcp' } });
await once(transport, 'ready');
const logger = pino({ base: { service: 'bench-e2e' } }, transport);
const n = Number(total);
const firstAt = nowMs();
for (let i = 0; i < n; ) {
  const end = Math.min(n, i + CHUNK);
  if (shape === 'small') for (; i < end; i++) logger.info(smallAttributes(i), 'order %d processed', i);
  else for (; i < end; i++) logger.info(largeAttributes(i), 'order %d %s', i, PAYLOAD_2K);
  await yieldToLoop();
}
logger.flush();
// thread-stream unrefs its worker: with nothing else pending, node could end the
// loop before 'close' (exit 13, "unfinished top-level await"), as it did 2 runs in 6.
const keepAlive = setInterval(() => {}, 1_000);
transport.end();
await once(transport, 'close');
clearInterval(keepAlive);
console.log(JSON.stringify({ firstAt, doneAt: nowMs() }));

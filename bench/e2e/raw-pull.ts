/**
 * The raw ZeroMQ receiver: a PULL socket that only counts messages and bytes,
 * no decoding. With raw-push.ts it measures what the transport alone does on this
 * machine with the benchmark's own batch payloads.
 *
 *   node --import tsx raw-pull.ts <expectedMessages>
 * Prints `ready <endpoint>`, then one JSON report line when all have arrived.
 */
import { Pull } from 'zeromq';
import { nowMs } from './proc.js';

const expected = Number(process.argv[2]);
const pull = new Pull({ linger: 0, receiveHighWaterMark: 1000 });
await pull.bind('tcp://127.0.0.1:*');
console.log(`ready ${pull.lastEndpoint}`);

let messages = 0;
let bytes = 0;
let firstAt = 0;
for await (const frames of pull) {
  if (messages === 0) firstAt = nowMs();
  messages++;
  bytes += frames[1]?.length ?? 0;
  if (messages >= expected) break;
}
const lastAt = nowMs();
pull.close();
console.log(JSON.stringify({ messages, bytes, firstAt, lastAt }));

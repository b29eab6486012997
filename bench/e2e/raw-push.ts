/**
 * The raw ZeroMQ sender. First it runs the benchmark workload into a PULL socket
 * of its own and keeps every [topic, payload] the exporter produced: the very
 * batch payloads the e2e app sends. Then it replays `messages` of them (the e2e
 * run's message count) over a plain PUSH socket to raw-pull.ts, with nothing
 * else in the way: the transport's limit for these bytes on this machine.
 *
 *   node --import tsx raw-push.ts <pull endpoint> <records> <messages> <encoding>
 * Prints `captured ...`, then one JSON report line.
 */
import { Pull, Push } from 'zeromq';
import type { Encoding } from '../../src/protocol/index.js';
import { DEFAULT_SEND_HIGH_WATER_MARK } from '../../src/exporter/index.js';
import { nowMs } from './proc.js';
import { runWorkload } from './workload.js';

const [target = '', total = '1000000', messagesArg = '0', encoding = 'J'] = process.argv.slice(2);

const capture = new Pull({ linger: 0 });
await capture.bind('tcp://127.0.0.1:*');
const captured: Buffer[][] = [];
const receiving = (async () => {
  for await (const frames of capture) captured.push(frames);
})();
const run = await runWorkload(capture.lastEndpoint!, Number(total), encoding as Encoding);
while (captured.length < run.exporter.sentMessages) await new Promise((r) => setTimeout(r, 10));
capture.close();
await receiving;
const messages = Number(messagesArg) || captured.length;
console.log(`captured ${captured.length} messages, ${run.exporter.sentBytes} payload bytes; replaying ${messages}`);

// Same socket settings as the exporter's transport.
const push = new Push({ sendHighWaterMark: DEFAULT_SEND_HIGH_WATER_MARK, linger: 10_000, immediate: true });
push.connect(target);
let bytes = 0;
// The first send waits for the connection (immediate): start the clock after it,
// as the e2e clock starts at the first record, not at process start.
await push.send(captured[0]!);
bytes += captured[0]![1]!.length;
const firstAt = nowMs();
for (let i = 1; i < messages; i++) {
  const frames = captured[i % captured.length]!;
  bytes += frames[1]!.length;
  await push.send(frames);
}
const lastSentAt = nowMs();
push.close();
console.log(JSON.stringify({ messages, bytes, firstAt, lastSentAt }));

/**
 * The raw ZeroMQ sender: replays the messages capture.ts saved over a plain
 * PUSH socket with the exporter's socket settings, as fast as ZeroMQ takes them.
 * Aimed at raw-pull.ts it measures the transport alone; aimed at distlogd, the
 * collector alone (no app in the way).
 *
 *   node --import tsx raw-push.ts <endpoint> <capture file>
 * Prints one JSON line: { messages, bytes, firstAt, lastSentAt }.
 */
import { readFileSync } from 'node:fs';
import { Push } from 'zeromq';
import { DEFAULT_SEND_HIGH_WATER_MARK } from '../../src/exporter/index.js';
import { nowMs } from './proc.js';

const [target = '', file = ''] = process.argv.slice(2);
const data = readFileSync(file);
const frames: [Buffer, Buffer][] = [];
for (let off = 0; off < data.length; ) {
  const parts: Buffer[] = [];
  for (let k = 0; k < 2; k++) {
    const n = data.readUInt32LE(off);
    parts.push(data.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  frames.push(parts as [Buffer, Buffer]);
}

const push = new Push({ sendHighWaterMark: DEFAULT_SEND_HIGH_WATER_MARK, linger: 30_000, immediate: true });
push.connect(target);
let bytes = 0;
// The first send waits for the connection (immediate): the clock starts once it is through.
await push.send(frames[0]!);
const firstAt = nowMs();
bytes += frames[0]![1].length;
for (let i = 1; i < frames.length; i++) {
  bytes += frames[i]![1].length;
  await push.send(frames[i]!);
}
const lastSentAt = nowMs();
push.close();
console.log(JSON.stringify({ messages: frames.length, bytes, firstAt, lastSentAt }));

/**
 * Runs the benchmark workload into a PULL socket of its own and saves every
 * [topic, payload] the exporter produced to a file: the very batch messages an
 * app sends, for the collector-alone runs (raw-push.ts replays them).
 *
 *   node --import tsx capture.ts <out file> <records> <encoding> <small|2kb>
 * File format: per message, u32le topic length, topic, u32le payload length, payload.
 * Prints one JSON line: { messages, records, bytes }.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Pull } from 'zeromq';
import type { Encoding } from '../../src/protocol/index.js';
import { isShape } from './shapes.js';
import { runWorkload } from './workload.js';

const [out = '', total = '1000000', encoding = 'O', shape = 'small'] = process.argv.slice(2);
if (!out || !isShape(shape)) throw new Error('usage: capture.ts <out file> <records> <encoding> <small|2kb>');

const capture = new Pull({ linger: 0 });
await capture.bind('tcp://127.0.0.1:*');
const fd = openSync(out, 'w');
let messages = 0;
let bytes = 0;
const len = Buffer.alloc(4);
const receiving = (async () => {
  for await (const [topic, payload] of capture) {
    for (const part of [topic!, payload!]) {
      len.writeUInt32LE(part.length);
      writeSync(fd, len);
      writeSync(fd, part);
    }
    messages++;
    bytes += payload!.length;
  }
})();
const run = await runWorkload(capture.lastEndpoint!, Number(total), encoding as Encoding, shape);
while (messages < run.exporter.sentMessages) await new Promise((r) => setTimeout(r, 10));
capture.close();
await receiving;
closeSync(fd);
console.log(JSON.stringify({ messages, records: run.exporter.sentRecords, bytes }));

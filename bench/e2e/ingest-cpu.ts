/**
 * The collector's CPU per record without ZeroMQ or a disk: decodes captured
 * messages (capture.ts output) with decodeMessage and writes each batch as JSON
 * lines with the file plugin's JsonLineWriter, in one process. For quick A/B of
 * decoder and writer changes, and under --cpu-prof for their profile.
 *
 *   node --import tsx bench/e2e/ingest-cpu.ts <capture file> [passes=5]
 * Prints µs per record for decode, encode and both, per pass (min shown last).
 */
import { readFileSync } from 'node:fs';
import { decodeMessage } from '../../src/protocol/index.js';
import { JsonLineWriter } from '../../src/protocol/json-line.js';

const [file = '', passesArg = '5'] = process.argv.slice(2);
if (!file) throw new Error('usage: ingest-cpu.ts <capture file> [passes]');
const data = readFileSync(file);
const messages: Buffer[][] = [];
for (let off = 0; off < data.length; ) {
  const parts: Buffer[] = [];
  for (let k = 0; k < 2; k++) {
    const n = data.readUInt32LE(off);
    parts.push(Buffer.from(data.subarray(off + 4, off + 4 + n)));
    off += 4 + n;
  }
  messages.push(parts);
}

const writer = new JsonLineWriter({ initialBytes: 256 * 1024 });
const passes = Number(passesArg);
let best = { decode: Infinity, encode: Infinity };
for (let p = 0; p < passes; p++) {
  let records = 0;
  let decodeNs = 0;
  let encodeNs = 0;
  let bytes = 0;
  for (const frames of messages) {
    const t0 = process.hrtime.bigint();
    const d = decodeMessage(frames);
    const t1 = process.hrtime.bigint();
    writer.reset();
    for (const e of d.entries) writer.appendLine(e);
    bytes += writer.pos;
    const t2 = process.hrtime.bigint();
    decodeNs += Number(t1 - t0);
    encodeNs += Number(t2 - t1);
    records += d.entries.length;
  }
  const dec = decodeNs / records / 1000;
  const enc = encodeNs / records / 1000;
  best = { decode: Math.min(best.decode, dec), encode: Math.min(best.encode, enc) };
  console.log(`pass ${p + 1}: ${records} records, ${(bytes / records).toFixed(0)} B/line: decode ${dec.toFixed(2)} µs, encode ${enc.toFixed(2)} µs, total ${(dec + enc).toFixed(2)} µs per record`);
}
console.log(`best: decode ${best.decode.toFixed(2)} µs, encode ${best.encode.toFixed(2)} µs per record`);

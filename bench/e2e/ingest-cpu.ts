/**
 * The collector's CPU per record without ZeroMQ or a disk: decodes captured
 * messages (capture.ts output) with decodeMessage and writes each batch as JSON
 * lines with the file plugin's JsonLineWriter, in one process. For quick A/B of
 * decoder and writer changes, and under --cpu-prof for their profile.
 *
 *   node --import tsx bench/e2e/ingest-cpu.ts <capture file> [passes=5] [other src dir]
 * With another src tree (e.g. `git archive <commit> src | tar -x -C node_modules/.cache/ab/base`,
 * then `node_modules/.cache/ab/base/src`) it measures that tree instead: alternate
 * runs of both for an A/B. Prints CPU µs per record: decode, decode + JSON lines
 * (the object path), and straight to JSON lines (decodeMessageLines, the
 * transcoder the collector uses when every plugin takes lines).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DecodedMessage } from '../../src/protocol/index.js';
import { summarize } from '../lib/rounds.js';

interface Codec {
  name: string;
  decode: (frames: Buffer[]) => DecodedMessage;
  /** decodeMessageLines (the transcoder), or undefined in a tree without it. */
  lines: ((frames: Buffer[]) => number) | undefined;
  writer: { reset(): void; appendLine(e: object): void; pos: number };
}

async function load(name: string, srcDir: string): Promise<Codec> {
  const url = (p: string) => pathToFileURL(resolve(srcDir, p)).href;
  const protocol = (await import(url('protocol/index.ts'))) as typeof import('../../src/protocol/index.js');
  const jsonLine = (await import(url('protocol/json-line.ts'))) as typeof import('../../src/protocol/json-line.js');
  const withLines = protocol as unknown as { decodeMessageLines?: (f: Buffer[]) => { lines: { ends: Uint32Array } } };
  const toLines = withLines.decodeMessageLines;
  return {
    name,
    decode: (f) => protocol.decodeMessage(f),
    lines: toLines ? (f) => toLines(f).lines.ends.length : undefined,
    writer: new jsonLine.JsonLineWriter({ initialBytes: 256 * 1024 }),
  };
}

const [file = '', passesArg = '5', other] = process.argv.slice(2);
if (!file) throw new Error('usage: ingest-cpu.ts <capture file> [passes] [other src dir]');
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

// One tree per process: two copies of the decoder in one process slow each other
// down (shared inline caches see twice the shapes), so an A/B alternates processes.
const codecs = [other ? await load(`other (${other})`, other) : await load('this tree', new URL('../../src', import.meta.url).pathname)];
const passes = Number(passesArg);
const results = new Map<string, { decode: number[]; total: number[]; lines: number[] }>(codecs.map((c) => [c.name, { decode: [], total: [], lines: [] }]));

for (let p = 0; p < passes; p++) {
  for (const c of codecs) {
    let records = 0;
    let decodeUs = 0;
    let totalUs = 0;
    for (const frames of messages) {
      const t0 = process.cpuUsage();
      const d = c.decode(frames);
      const t1 = process.cpuUsage(t0);
      c.writer.reset();
      for (const e of d.entries) c.writer.appendLine(e);
      const t2 = process.cpuUsage(t0);
      decodeUs += t1.user + t1.system;
      totalUs += t2.user + t2.system;
      records += d.entries.length;
    }
    const r = results.get(c.name)!;
    r.decode.push(decodeUs / records);
    r.total.push(totalUs / records);
    if (c.lines) {
      let lineRecords = 0;
      const t0 = process.cpuUsage();
      for (const frames of messages) lineRecords += c.lines(frames);
      const t = process.cpuUsage(t0);
      r.lines.push((t.user + t.system) / lineRecords);
    }
  }
}
const f = (n: number) => n.toFixed(2).padStart(6);
for (const c of codecs) {
  const r = results.get(c.name)!;
  const d = summarize('decode', r.decode);
  const t = summarize('total', r.total);
  console.log(`${c.name}: CPU µs per record (min / median / max of ${passes} passes): decode ${f(d.min)} ${f(d.median)} ${f(d.max)}; decode + JSON lines ${f(t.min)} ${f(t.median)} ${f(t.max)}`);
  if (r.lines.length) {
    const l = summarize('lines', r.lines);
    console.log(`${c.name}: straight to JSON lines (decodeMessageLines) ${f(l.min)} ${f(l.median)} ${f(l.max)}; ${(t.median / l.median).toFixed(2)}x less CPU than decode + JSON lines (medians)`);
  }
}

/**
 * Codec benchmark: which binary encoding joins JSON on the wire?
 *
 * For batches of 512 realistic records (records.ts) it measures, per record:
 * - encode: what the app pays (LogEntry[] -> payload bytes),
 * - decode: what the collector pays (payload bytes -> validated LogEntry[]),
 * - bytes on the wire,
 * for JSON (the peer: JSON.stringify / JSON.parse + validation), OTLP protobuf (our
 * hand-written codec, src/protocol/otlp-codec.ts) and msgpack via msgpackr (plain
 * maps, and msgpackr's records extension). msgpackr loads a prebuilt native string
 * extractor when one is installed for the platform; the run is repeated in a child
 * process with MSGPACKR_NATIVE_ACCELERATION_DISABLED=true to show the pure-JS cost.
 *
 *   node --import tsx bench/codec/index.ts            (or: npm run bench -- codec)
 *
 * Decision and figures: the header of src/protocol/otlp-codec.ts (OTLP chosen as `O`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeMessage, encodeBatch, formatTopic } from '../../src/protocol/index.js';
import { makeRecords } from './records.js';
import { decodeMsgpack, encodeMsgpack } from './msgpack-candidate.js';

const BATCH = 512;
const ROUNDS = 7;
const ROUND_MS = 300;

interface Candidate {
  name: string;
  encode: () => Uint8Array;
  decode: (payload: Uint8Array) => number;
}

/** Median records/s of `fn` (which handles one batch) over ROUNDS timed rounds after a warm-up. */
function rate(fn: () => void): number {
  const until = performance.now() + 400;
  while (performance.now() < until) fn();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ROUND_MS) {
      fn();
      n++;
      now = performance.now();
    }
    rates.push((n * BATCH) / ((now - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);
const ratio = (n: number, base: number): string => `${(n / base).toFixed(2)}x`.padStart(7);

function run(candidates: Candidate[]): void {
  const results = candidates.map((c) => {
    const payload = c.encode();
    const decoded = c.decode(payload);
    if (decoded !== BATCH) throw new Error(`${c.name}: decoded ${decoded} of ${BATCH} records`);
    let sink = 0;
    const enc = rate(() => {
      sink += c.encode().length;
    });
    const dec = rate(() => {
      sink += c.decode(payload);
    });
    if (sink === 0) console.log('');
    return { name: c.name, enc, dec, bytes: payload.length / BATCH };
  });
  const base = results[0]!;
  console.log(`${'codec'.padEnd(26)} ${'encode rec/s'.padStart(11)}  vs JSON ${'decode rec/s'.padStart(11)}  vs JSON  bytes/rec  vs JSON`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(26)} ${fmt(r.enc)} ${ratio(r.enc, base.enc)}  ${fmt(r.dec)} ${ratio(r.dec, base.dec)}  ${r.bytes.toFixed(1).padStart(9)} ${ratio(r.bytes, base.bytes)}`,
    );
  }
}

const entries = makeRecords(BATCH);
const meta = { producer: 'bench-1', seq: 1 };
const topicJ = formatTopic({ system: 'P', kind: 'L', encoding: 'J' });
const topicO = formatTopic({ system: 'P', kind: 'L', encoding: 'O' });
const msgpackOnly = process.argv.includes('--msgpack-only');

const json: Candidate = {
  name: 'JSON (peer)',
  encode: () => encodeBatch(entries, 'J', meta),
  decode: (p) => decodeMessage([topicJ, p]).entries.length,
};
const otlp: Candidate = {
  name: 'OTLP protobuf (ours)',
  encode: () => encodeBatch(entries, 'O', meta),
  decode: (p) => decodeMessage([topicO, p]).entries.length,
};
const msgpack: Candidate = {
  name: 'msgpack (msgpackr, maps)',
  encode: () => encodeMsgpack(entries, false),
  decode: (p) => decodeMsgpack(p, false).entries.length,
};
const msgpackRecords: Candidate = {
  name: 'msgpack (msgpackr records)',
  encode: () => encodeMsgpack(entries, true),
  decode: (p) => decodeMsgpack(p, true).entries.length,
};

const { isNativeAccelerationEnabled } = await import('msgpackr');
console.log(
  `batches of ${BATCH} records, median of ${ROUNDS} rounds; Node ${process.version}; ` +
    `msgpackr native string extraction: ${isNativeAccelerationEnabled ? 'on' : 'off (pure JS)'}`,
);
run(msgpackOnly ? [json, msgpack, msgpackRecords] : [json, otlp, msgpack, msgpackRecords]);

if (!msgpackOnly && isNativeAccelerationEnabled) {
  console.log('\nagain with MSGPACKR_NATIVE_ACCELERATION_DISABLED=true (pure-JS msgpackr):');
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--msgpack-only'], {
    stdio: 'inherit',
    env: { ...process.env, MSGPACKR_NATIVE_ACCELERATION_DISABLED: 'true' },
  });
  if (r.status !== 0) process.exitCode = 1;
}

if (!msgpackOnly) {
  console.log('');
  const { runAppEncoders } = await import('./app-encoders.js');
  await runAppEncoders();
}

/**
 * Over-the-wire fuzz run (issue 6), shared by test/collector/fuzz-wire.test.ts and
 * bench/fuzz: mutated real messages of every encoding go over ZeroMQ into a
 * running collector with a file plugin, then valid records. The same messages are
 * decoded here first, so the run knows what the collector must count for each:
 * refused messages by reason, dropped records, stored records.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { loadConfig, startCollector, type CollectorStats } from '../../src/collector/index.js';
import { ProtocolError, decodeMessage, encodeBatch, formatTopic, type LogEntry } from '../../src/protocol/index.js';
import { amplifiers, mutant, rng, seedSamples } from '../protocol/fuzz-corpus.js';
import { entry, pushSocket, waitFor } from './helpers.js';

export interface WireFuzzOptions {
  seed: number;
  /** Mutated messages sent. */
  iterations: number;
  /** Size of each cost-per-byte amplifier message (0: none). */
  amplifierBytes: number;
  /** Valid records sent after the fuzz, in messages of 50 (J and O in turn). */
  validRecords: number;
  timeoutMs?: number;
}

export interface WireFuzzResult {
  /** What local decoding says the collector must have counted. */
  expected: { badInput: Record<string, number>; stored: number };
  stats: CollectorStats;
  /** Valid records (sent last) found in the plugin's files. */
  validStored: number;
  /** Records in the plugin's files in all. */
  lines: number;
  /** Heap in use after a full GC, before and after the run, in MB. */
  heapBeforeMb: number;
  heapAfterMb: number;
  /** Largest RSS growth over the start seen while sending, in MB. */
  rssGrowthMb: number;
  seconds: number;
}

/** A full GC from a test run without --expose-gc (so the heap figure is what is retained). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const MB = 1 << 20;
const MAX_MESSAGE_BYTES = 16 * MB;

export async function runWireFuzz(o: WireFuzzOptions): Promise<WireFuzzResult> {
  const started = performance.now();
  const out = mkdtempSync(join(tmpdir(), 'distlog-fuzz-'));
  const config = await loadConfig({
    text: `receiver:\n  endpoints: [tcp://127.0.0.1:*]\n  maxMessageBytes: ${MAX_MESSAGE_BYTES}\nstats: { intervalSeconds: 0 }\nplugins:\n  - type: file\n    options: { directory: ${JSON.stringify(out)}, pattern: "{system}{kind}.jsonl" }\n`,
  }, { plugins: BUILTIN_PLUGINS });
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const collector = await startCollector(config, { log: () => {} });
  const badInput: Record<string, number> = {};
  const count = (reason: string, n = 1) => (badInput[reason] = (badInput[reason] ?? 0) + n);
  let stored = 0;
  try {
    const push = await pushSocket(collector.endpoints[0]!);
    const r = rng(o.seed);
    const seeds = seedSamples();
    const messages = function* () {
      for (let i = 0; i < o.iterations; i++) yield mutant(r, seeds).frames;
      if (o.amplifierBytes > 0) for (const a of amplifiers(o.amplifierBytes)) yield a.frames;
    };
    for (const frames of messages()) {
      try {
        const d = decodeMessage(frames, { maxMessageBytes: MAX_MESSAGE_BYTES });
        stored += d.entries.length;
        if (d.errors.length) count('entry', d.errors.length);
      } catch (err) {
        count(err instanceof ProtocolError ? err.code : 'internal');
      }
      await push.send(frames);
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }
    const valid: LogEntry[] = [];
    for (let i = 0; i < o.validRecords; i++) valid.push(entry({ message: `fuzz-valid ${i}`, system: 'T' }));
    for (let i = 0; i < valid.length; i += 50) {
      const enc = (i / 50) % 2 === 0 ? 'J' : 'O';
      await push.send([formatTopic({ system: 'T', kind: 'L', encoding: enc }), Buffer.from(encodeBatch(valid.slice(i, i + 50), enc))]);
    }
    stored += valid.length;
    const done = () => {
      const s = collector.stats();
      return s.plugins.file!.written + s.plugins.file!.dropped >= stored && JSON.stringify(sorted(s.badInput)) === JSON.stringify(sorted(badInput));
    };
    await waitFor('every message counted and every record written', done, o.timeoutMs ?? 30_000).catch(() => {});
    push.close();
  } finally {
    await collector.stop();
  }
  const stats = collector.stats();
  let lines = 0;
  let validStored = 0;
  for (const f of readdirSync(out)) {
    for (const line of readFileSync(join(out, f), 'utf8').split('\n')) {
      if (line === '') continue;
      lines++;
      if ((JSON.parse(line) as LogEntry).message.startsWith('fuzz-valid ')) validStored++;
    }
  }
  rmSync(out, { recursive: true, force: true });
  fullGc();
  return {
    expected: { badInput: sorted(badInput), stored },
    stats,
    validStored,
    lines,
    heapBeforeMb: heapBefore / MB,
    heapAfterMb: process.memoryUsage().heapUsed / MB,
    rssGrowthMb: (rssPeak - rssStart) / MB,
    seconds: (performance.now() - started) / 1000,
  };
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * bench/delivery: issue 6's full-size delivery runs, reported as what was lost
 * and who counted it (nothing here is a speed figure).
 *   bursts  N producer processes x K records, one synchronous burst each, into
 *           a distlogd with the default config (console to /dev/null + file)
 *   crash   one producer x 300k records (5,000 every 20 ms); distlogd killed with
 *           SIGKILL 1 s after its first written record, restarted 2 s later on the same port; 3 rounds
 *
 *   node --import tsx bench/delivery/index.ts [--only bursts|crash]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { queryStats } from '../../src/collector/index.js';
import { freePort } from '../../test/collector/helpers.js';
import { settled, startDaemon, startProducer, stopDaemon, stored, type Daemon } from '../../test/collector/delivery-procs.js';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const fmt = (n: number) => n.toLocaleString('en-US');
let failed = false;

async function bursts(producers: number, each: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-bench-delivery-'));
  const port = await freePort();
  const daemon = await startDaemon(dir, port, '');
  try {
    const t0 = performance.now();
    const reports = await Promise.all(Array.from({ length: producers }, (_, p) => startProducer(`tcp://127.0.0.1:${port}`, each, `p${p}`).done));
    const s = await settled(daemon.control, reports.reduce((a, r) => a + r.exporter.sentRecords, 0));
    const seconds = (performance.now() - t0) / 1000;
    await stopDaemon(daemon);
    const { byTag } = stored(join(dir, 'distlog-data'));
    let kept = 0;
    let producerDropped = 0;
    for (const r of reports) {
      kept += new Set(byTag.get(r.tag) ?? []).size;
      producerDropped += r.processorDropped; // includes what its exporter dropped
    }
    const sent = producers * each;
    const collectorDropped = Object.values(s.plugins).reduce((a, c) => Math.max(a, c.dropped), 0);
    const uncounted = sent - kept - producerDropped;
    if (uncounted !== 0) failed = true;
    console.log(
      `  ${producers} x ${fmt(each)}: stored ${fmt(kept)} of ${fmt(sent)}; dropped by producers ${fmt(producerDropped)}, by the collector ${fmt(collectorDropped)};` +
        ` gaps ${s.delivery.totals.missingBatches}; uncounted ${fmt(uncounted)}; ${seconds.toFixed(1)} s`,
    );
  } finally {
    if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function crash(round: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-bench-crash-'));
  const port = await freePort();
  const total = 300_000;
  const first = await startDaemon(dir, port, 'plugins:\n  - type: file\n    options: { directory: ./before }\n');
  let second: Daemon | undefined;
  try {
    const producer = startProducer(`tcp://127.0.0.1:${port}`, total, 'crash', 5000, 20);
    // ~1 s into the send: counted from the first record written, not from the spawn.
    while ((await queryStats(first.control)).plugins.file!.written === 0) await sleep(20);
    await sleep(1000);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    await sleep(2000);
    second = await startDaemon(dir, port, 'plugins:\n  - type: file\n    options: { directory: ./after }\n');
    const report = await producer.done;
    let s = await queryStats(second.control);
    for (let prev = -1; s.receiver.entries !== prev; ) {
      prev = s.receiver.entries;
      await sleep(1000);
      s = await settled(second.control, prev);
    }
    await stopDaemon(second);
    const before = new Set(stored(join(dir, 'before')).byTag.get('crash') ?? []).size;
    const after = new Set(stored(join(dir, 'after')).byTag.get('crash') ?? []).size;
    const producerDropped = report.processorDropped; // includes what its exporter dropped
    const inDoubt = report.exporter.inDoubtRecords;
    const acc = s.delivery.producers.find((p) => p.producer === report.producer);
    const lost = total - before - after;
    // recordsBefore of the first batch the restarted collector saw: handed on before it
    const handedBefore = acc?.missingRecordsBeforeFirstSeen;
    const lostWithDead = handedBefore === undefined ? undefined : handedBefore - before;
    const uncounted = lostWithDead === undefined ? '?' : fmt(lost - producerDropped - lostWithDead - inDoubt);
    console.log(
      `  round ${round}: stored ${fmt(before)} before + ${fmt(after)} after the crash = ${fmt(before + after)} of ${fmt(total)};` +
        ` lost ${fmt(lost)}: ${fmt(producerDropped)} counted by the producer, ${lostWithDead === undefined ? '?' : fmt(lostWithDead)} with the dead collector` +
        ` (counted by the restarted one from recordsBefore), ${fmt(inDoubt)} in doubt; uncounted ${uncounted}; ${acc?.missingBatches ?? 0} gaps after the restart`,
    );
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    if (second && second.child.exitCode === null) second.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench/delivery (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
if (only !== 'crash') {
  console.log('bursts into a default-config distlogd:');
  await bursts(2, 100_000);
  await bursts(10, 100_000);
  await bursts(1, 300_000);
}
if (only !== 'bursts') {
  console.log('kill -9 of distlogd ~1 s into a 300k send, restarted 2 s later:');
  for (let r = 1; r <= 3; r++) await crash(r);
}
process.exit(failed ? 1 : 0);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, formatStatsLine, type CollectorStats } from '../../src/collector/index.js';
import { entry } from './helpers.js';

test('compileFilter: nothing configured compiles to no predicate at all', () => {
  assert.equal(compileFilter({}), undefined);
});

test('compileFilter: level, system, kind, logger prefix, service and attributes all apply', () => {
  const pass = compileFilter({
    level: 'warn',
    systems: ['production', 'S'],
    kinds: ['log'],
    loggers: ['db.*', 'http'],
    services: ['checkout'],
    attributes: { region: ['eu', 'us'], tier: 1 },
  })!;
  const base = entry({
    level: 'WARN', severity: 13, system: 'P', kind: 'L', logger: 'db.pool',
    resource: { 'service.name': 'checkout' }, attributes: { region: 'eu', tier: 1 },
  });
  assert.equal(pass(base), true);
  assert.equal(pass({ ...base, logger: 'http' }), true);
  assert.equal(pass({ ...base, logger: 'httpx' }), false);
  assert.equal(pass({ ...base, severity: 9, level: 'INFO' }), false);
  assert.equal(pass({ ...base, severity: 0, level: 'ERROR' }), true, 'unspecified severity falls back to the level text');
  assert.equal(pass({ ...base, system: 'T' }), false);
  assert.equal(pass({ ...base, kind: 'P' }), false);
  assert.equal(pass({ ...base, resource: { 'service.name': 'cart' } }), false);
  assert.equal(pass({ ...base, attributes: { region: 'ap', tier: 1 } }), false);
  assert.equal(pass({ ...base, attributes: { region: 'us' } }), false);
  assert.equal(compileFilter({ level: 17 })!(base), false);
});

test('compileFilter: logger globs match anywhere (dots included), level words are the shared vocabulary', () => {
  const sql = compileFilter({ loggers: ['*.sql', 'app'] })!;
  assert.deepEqual(['db.sql', 'a.b.sql', 'app', 'sql', 'app.http'].map((logger) => sql(entry({ logger }))), [true, true, true, false, false]);
  const notice = compileFilter({ level: 'notice' })!;
  assert.deepEqual([9, 10, 13].map((severity) => notice(entry({ severity }))), [false, true, true], 'NOTICE = INFO2 (10)');
  assert.equal(compileFilter({ level: 'Warning' })!(entry({ severity: 13 })), true);
  assert.equal(compileFilter({ level: 'OFF' })!(entry({ severity: 24 })), false);
});

test('stats line: rates over the interval, per-plugin counters, bad input by reason, delivery gaps, accept failures', () => {
  const plugin = {
    received: 10, filtered: 0, written: 8, dropped: 1, droppedFull: 0, rejected: 1, errors: 2,
    queued: 1, queuedBytes: 300, inFlight: 0, heldMs: 2500, stalled: false,
  };
  const connections = { accepted: 3, disconnected: 1, acceptFailed: 0, handshakeFailed: 0 };
  const totals = {
    producers: 2, batches: 20, records: 2000, missingBatches: 3, missingRecordsEstimate: 300, missingBeforeFirstSeen: 4,
    duplicateBatches: 0, restarts: 1, unidentifiedBatches: 0, unidentifiedRecords: 0, evictedProducers: 0,
  };
  const prev: CollectorStats = {
    uptimeSeconds: 10,
    receiver: { messages: 100, entries: 1000, bytes: 0, badMessages: 0, badEntries: 0, connections },
    plugins: { file: plugin },
    badInput: {},
    delivery: { totals, producers: [] },
  };
  const now: CollectorStats = { ...prev, uptimeSeconds: 12, receiver: { ...prev.receiver, messages: 120, entries: 3000 }, badInput: { json: 3, pickle: 1 } };
  assert.equal(
    formatStatsLine(now, prev),
    'stats: 10 msg/s 1000 rec/s (total 120 msgs, 3000 recs) | file received=10 written=8 dropped=1 errors=2 queued=1 rejected=1 held=2.5s' +
      ' | bad: json=3 pickle=1 | producers=2 missing=3 batches (~300 recs) before-first-seen=4 restarts=1',
  );
  const failing = { ...now, receiver: { ...now.receiver, connections: { ...connections, acceptFailed: 7, lastAcceptError: 'EMFILE: Too many open files' } } };
  assert.match(formatStatsLine(failing, prev), / \| accept failures=7 \(EMFILE: Too many open files\)$/);
});

/**
 * Property: any arrival order of a task's records gives the same tree, live
 * (unsealed) and sealed. Tasks are generated from seeds (replay a failure
 * with its seed); orders are seeded shuffles.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/protocol/index.js';
import { TreeModel, canonicalTask } from '../../src/viewer/index.js';
import { at, entry, pythonFixture, rng, shuffle } from './helpers.js';

type Random = () => number;
const pick = <X>(r: Random, xs: readonly X[]): X => xs[Math.floor(r() * xs.length)]!;
const hex16 = (r: Random): string => Array.from({ length: 16 }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');

/** A distlog task over several services, with plain-OTLP records around it. */
function sdkTask(r: Random, task: string): LogEntry[] {
  const out: LogEntry[] = [];
  const spans: string[] = [];
  const scope = (path: string, parentSpan: string | undefined, service: string, depth: number, start: number): void => {
    const span = hex16(r);
    spans.push(span);
    const resource = { 'service.name': service, 'process.pid': service.length };
    const base = { task, path, span, resource };
    // as the SDK does: only a scope's enter, exit and fail records carry its parent span
    const link = parentSpan ? { parentSpan } : {};
    let ms = start;
    // a millisecond clock: several records share a time, seq orders them
    const tick = () => (ms += pick(r, [0, 0, 1]));
    out.push(entry({ ...base, ...link, seq: 0, event: 'enter', message: `enter ${path}`, timeUnixNano: at(tick()) }));
    let seq = 1;
    let child = 0;
    for (let i = 0, n = Math.floor(r() * 4); i < n; i++) {
      const err = r() < 0.2;
      out.push(entry({ ...base, seq: seq++, message: `r${i} of ${path}\nline 2`, timeUnixNano: at(tick()), ...(err ? { level: 'ERROR', severity: 17 } : {}) }));
      if (depth < 3 && r() < 0.5) {
        child++;
        const remote = r() < 0.3;
        scope(path === '' ? `${child}` : `${path}/${child}`, remote ? hex16(r) : span, remote ? pick(r, ['bank', 'stock']) : service, depth + 1, tick());
      }
    }
    const end = r();
    if (end < 0.6) out.push(entry({ ...base, ...link, seq: seq++, event: 'exit', message: `done ${path}`, durationMs: ms - start, timeUnixNano: at(tick()) }));
    else if (end < 0.8) out.push(entry({ ...base, ...link, seq: seq++, event: 'fail', level: 'ERROR', severity: 17, message: `FAILED enter ${path}`, exception: { type: 'E', message: 'x' }, timeUnixNano: at(tick()) }));
    if (r() < 0.3) seq++; // a lost record: a gap in seq
  };
  // the task's own root, or scopes that joined it at '' from non-distlog callers
  if (r() < 0.6) scope('', undefined, 'orders', 0, 0);
  else for (let k = 0, n = 1 + Math.floor(r() * 3); k < n; k++) scope('', hex16(r), pick(r, ['orders', 'bank']), 0, k * 5);
  // plain OTLP: records in a scope's span, span chains, unknown parents, no span at all
  const otlpSpans: string[] = [];
  for (let i = 0, n = Math.floor(r() * 6); i < n; i++) {
    const kind = r();
    const resource = { 'service.name': 'proxy' };
    if (kind < 0.3) out.push(entry({ task, span: pick(r, spans), message: `otlp in scope ${i}`, resource, timeUnixNano: at(r() * 20) }));
    else if (kind < 0.8) {
      const span = hex16(r);
      const parentSpan = r() < 0.8 ? pick(r, [...spans, ...otlpSpans]) : hex16(r);
      otlpSpans.push(span);
      for (let k = 0, m = 1 + Math.floor(r() * 2); k < m; k++) {
        out.push(entry({ task, span, parentSpan, message: `span ${i}.${k}`, resource, timeUnixNano: at(r() * 20), ...(r() < 0.2 ? { level: 'ERROR', severity: 17 } : {}) }));
      }
    } else out.push(entry({ task, message: `nowhere ${i}`, resource, timeUnixNano: at(r() * 20) }));
  }
  return out;
}

/** A 2018 Python distlog run: one process, a stack of scopes, keys `<seq>@<task>/<path>`. */
function pythonTask(r: Random, task: string): LogEntry[] {
  const out: LogEntry[] = [];
  let clock = 0;
  const resource = { 'service.name': 'MainProcess', 'process.pid': 42, 'telemetry.sdk.language': 'python' };
  const run = (path: string, depth: number): void => {
    let seq = 0;
    const log = (message: string, over: Partial<LogEntry> = {}) => {
      const key = `${seq}@${task}${path ? `/${path}` : ''}`;
      out.push(entry({ task, path, seq: seq++, key, message, resource, timeUnixNano: at((clock += 0.05)), ...over }));
    };
    log(`scope ${path}`);
    let child = 0;
    for (let i = 0, n = Math.floor(r() * 4); i < n; i++) {
      if (depth < 3 && r() < 0.5) run(path ? `${path}/${++child}` : `${++child}`, depth + 1);
      else log(`step ${i}`);
    }
    const end = r();
    if (end < 0.7) log(r() < 0.5 ? `scope ${path}` : 'success');
    else if (end < 0.85) log(`FAILED scope ${path}`, { level: 'ERROR', severity: 17 });
  };
  run('', 0);
  return out;
}

function canonical(records: readonly LogEntry[], task: string): { live: string; sealed: string } {
  const m = new TreeModel();
  m.addAll(records);
  const live = canonicalTask(m.task(task)!);
  m.seal();
  return { live, sealed: canonicalTask(m.task(task)!) };
}

function assertPermutationInvariant(records: LogEntry[], task: string, seed: number, orders: number): void {
  const expected = canonical(records, task);
  const r = rng(seed * 7919);
  for (let i = 0; i < orders; i++) {
    const got = canonical(shuffle(records, r), task);
    assert.equal(got.live, expected.live, `seed ${seed}, order ${i}: live tree differs`);
    assert.equal(got.sealed, expected.sealed, `seed ${seed}, order ${i}: sealed tree differs`);
  }
}

describe('permutation property', () => {
  it('distlog tasks across services, with plain OTLP records: same tree in any order', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const records = sdkTask(rng(seed), 'f'.repeat(32));
      assertPermutationInvariant(records, 'f'.repeat(32), seed, 15);
    }
  });

  it('2018 Python distlog tasks (scope ends inferred): same tree in any order, live and sealed', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const records = pythonTask(rng(seed), 'py-task');
      assertPermutationInvariant(records, 'py-task', seed, 15);
    }
    const fixtures = ['msg1', 'msg2', 'msg3', 'msg4', 'msg5', 'msg6'].map(pythonFixture);
    assertPermutationInvariant(fixtures, '5b5e8d3d-cdce-4011-899a-e77a68171c0d', 0, 30);
  });

  it('the generator makes trees worth testing: nested scopes, span nodes, unattributed records, inferred ends', () => {
    let nested = 0;
    // p:1/ in the task's own tree or j:<span>:1/ in a joined one
    let spanNodes = 0;
    let unattributed = 0;
    let inferred = 0;
    let joined = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const sdk = canonical(sdkTask(rng(seed), 't'), 't').sealed;
      if (/"id":"(p|j:[0-9a-f]{16}):1\//.test(sdk)) nested++;
      if (sdk.includes('"kind":"span"')) spanNodes++;
      if (/"id":"j:[0-9a-f]{16}:1/.test(sdk)) joined++;
      if (/"unattributed":\{[^]*"records":\["/.test(sdk)) unattributed++;
      if (canonical(pythonTask(rng(seed), 'p'), 'p').live.includes('"endInferred":true')) inferred++;
    }
    assert.ok(nested > 5 && spanNodes > 5 && unattributed > 5 && inferred > 5 && joined > 5, JSON.stringify({ nested, spanNodes, unattributed, inferred, joined }));
  });
});

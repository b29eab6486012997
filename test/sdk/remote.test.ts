import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { foreignTask, importTask, task, to, type LogEntry } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';
import { callSpanId } from '../../src/protocol/index.js';

let h: Harness;
let child: ChildProcess;
let port = 0;

before(async () => {
  h = setup('parent-service');
  child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/child-service.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  port = Number(line.toString().trim());
  assert.ok(port > 0, 'child reported its port');
});
after(async () => {
  child.kill('SIGTERM');
  await once(child, 'exit');
  await h.handle.shutdown();
});

interface ChildReply {
  /** The headers the child received. */
  headers: { traceparent?: string; tracestate?: string };
  entries: LogEntry[];
  /** What the child's subtask would send onward (its foreignTask(), after its own work). */
  onward: { traceparent?: string; tracestate?: string };
}

/** A real HTTP call carrying the active context, injected by the global (distlog) propagator. */
function call(path: string): Promise<ChildReply> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return rawCall(path, headers);
}

/** A real HTTP call with exactly these headers. */
function rawCall(path: string, headers: Record<string, string>): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body) as ChildReply));
    });
    req.on('error', reject);
    req.end();
  });
}

const W3C_MEMBER = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
function assertValidTraceState(header: string): string[] {
  const members = header.split(',');
  assert.ok(members.length <= 32, `${members.length} members`);
  assert.ok(header.length <= 512, `${header.length} characters`);
  for (const m of members) assert.match(m, W3C_MEMBER);
  return members;
}

describe('a subtask in another process', () => {
  it("joins the parent's tree at the right path; sibling calls get distinct paths", async () => {
    let T = '';
    let callerSpan = '';
    const replies = await task('order flow', async (t) => {
      T = t.taskId;
      return to('call child service', async (s) => {
        callerSpan = s.spanId;
        const a = await call('/reserve');
        const b = await call('/charge');
        return [a, b];
      });
    });
    const parent = await h.drain();
    assert.equal(parent.length, 4);
    const [a, b] = replies;
    const parentIds = new Set<string>();
    for (const [reply, slot, url] of [[a!, '1/1', '/reserve'], [b!, '1/2', '/charge']] as const) {
      const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(reply.headers.traceparent ?? '');
      assert.ok(m, `traceparent ${reply.headers.traceparent}`);
      assert.equal(m[1], T);
      const parentId = m[2]!;
      assert.notEqual(parentId, callerSpan, 'each call has a parent-id of its own, not the scope span');
      assert.equal(parentId, callSpanId(callerSpan, Number(slot.split('/')[1])), 'derived from the calling scope, so an SDK-only callee finds it');
      parentIds.add(parentId);
      assert.equal(reply.headers.tracestate, `distlog=${slot}`);
      const summary = reply.entries.map((e) => `${e.key} ${e.event ?? '-'} ${e.message}`);
      assert.deepEqual(summary, [
        `0@${T}/${slot} enter serve ${url}`,
        `1@${T}/${slot} - child working on ${url}`,
        `0@${T}/${slot}/1 enter child step`,
        `1@${T}/${slot}/1 - deep in child`,
        `2@${T}/${slot}/1 exit child step`,
        `2@${T}/${slot} exit serve ${url}`,
      ]);
      // the remote scope hangs under the call's parent-id; its path is the calling scope's child slot
      assert.equal(reply.entries[0]!.parentSpan, parentId);
      assert.equal(reply.entries[0]!.path, slot);
      assert.ok(slot.startsWith(`${parent.find((e) => e.span === callerSpan)!.path}/`), 'the path ties it to the calling scope');
      assert.equal(reply.entries[0]!.task, T);
      assert.equal(reply.onward.tracestate, `distlog=${slot}/2`);
      assert.match(reply.onward.traceparent!, new RegExp(`^00-${T}-[0-9a-f]{16}-01$`));
    }
    assert.equal(parentIds.size, 2, 'two calls from one scope, two parent-ids');
  });

  it("an instrumentation's client span, when present, is the parent-id", async () => {
    const clientSpan = '00f067aa0ba902b7';
    let T = '';
    const reply = await task('with a client span', (t) => {
      T = t.taskId;
      const withClient = trace.setSpanContext(context.active(), { traceId: T, spanId: clientSpan, traceFlags: TraceFlags.SAMPLED });
      return context.with(withClient, () => call('/client'));
    });
    assert.equal(reply.headers.traceparent, `00-${T}-${clientSpan}-01`);
    assert.equal(reply.headers.tracestate, 'distlog=1');
    assert.equal(reply.entries[0]!.parentSpan, clientSpan);
    await h.drain();
  });

  for (const flags of ['00', '02', '03']) {
    it(`trace flags -${flags} are passed on, not forced to -01, through both processes`, async () => {
      const T = '4bf92f3577b34da6a3ce929d0e0e4736';
      const incoming = { traceparent: `00-${T}-00f067aa0ba902b7-${flags}` };
      const reply = await importTask(incoming, 'flags %s', flags, () => call(`/flags-${flags}`));
      assert.match(reply.headers.traceparent!, new RegExp(`^00-${T}-[0-9a-f]{16}-${flags}$`), 'sent by this process');
      assert.match(reply.onward.traceparent!, new RegExp(`^00-${T}-[0-9a-f]{16}-${flags}$`), 'sent onward by the child');
      assert.equal(reply.onward.tracestate, 'distlog=1/2');
      // straight into the child too
      const direct = await rawCall(`/direct-flags-${flags}`, incoming);
      assert.match(direct.onward.traceparent!, new RegExp(`^00-${T}-[0-9a-f]{16}-${flags}$`));
      const viaContext = await rawCall(`/via-context/flags-${flags}`, incoming);
      assert.match(viaContext.onward.traceparent!, new RegExp(`^00-${T}-[0-9a-f]{16}-${flags}$`));
      await h.drain();
    });
  }

  const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const invalidStates: [string, string][] = [
    ['an upper-case key', 'congo=t61rcWkgMzE,Rojo=00f067aa0ba902b7'],
    ['a value with "="', 'congo=t61rcWkgMzE,rojo=a=b'],
    ['a non-ASCII value', 'congo=t61rcWkgMzE,rojo=caf\u00e9'],
    ['a member without "="', 'congo=t61rcWkgMzE,rojo'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
    ['a key over 256 characters', `congo=t61rcWkgMzE,${'k'.repeat(257)}=v`],
    ['a tenant over 241 characters', `congo=t61rcWkgMzE,${'t'.repeat(242)}@sys=v`],
    ['a system id over 14 characters', `congo=t61rcWkgMzE,t@${'s'.repeat(15)}=v`],
    ['a value over 256 characters', `congo=t61rcWkgMzE,rojo=${'v'.repeat(257)}`],
    ['a repeated key', 'congo=t61rcWkgMzE,rojo=1,congo=2'],
  ];
  for (const [what, tracestate] of invalidStates) {
    it(`a tracestate with ${what} is dropped whole`, async () => {
      const headers = { traceparent: tp, tracestate };
      const direct = await rawCall('/bad-state', headers);
      assert.equal(direct.entries[0]!.task, '0af7651916cd43dd8448eb211c80319c', 'the traceparent still counts');
      assert.equal(direct.onward.tracestate, 'distlog=2', 'nothing of the invalid header is passed on');
      const viaContext = await rawCall('/via-context/bad-state', headers);
      assert.equal(viaContext.onward.tracestate, 'distlog=2');
      const relayed = await importTask(headers, 'relay', () => call('/relayed-bad-state'));
      assert.equal(relayed.headers.tracestate, 'distlog=1');
      await h.drain();
    });
  }

  it('a valid tracestate with optional whitespace and empty members keeps every member', async () => {
    const reply = await rawCall('/good-state', { traceparent: tp, tracestate: 'congo=t61rcWkgMzE, ,\trojo=00f067aa0ba902b7 , t@sys=a b' });
    assert.equal(reply.onward.tracestate, 'distlog=2,congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,t@sys=a b');
  });

  it('an invalid (all-zero) active span context opens a new task for each request, like a missing traceparent', async () => {
    const tasks = new Set<string>();
    for (const headers of <Record<string, string>[]>[{}, {}, { traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` }, { traceparent: `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01` }]) {
      const reply = await rawCall('/via-context/no-parent', headers);
      const enter = reply.entries[0]!;
      assert.match(enter.task!, /^[0-9a-f]{32}$/);
      assert.notEqual(enter.task, '0'.repeat(32));
      assert.equal(enter.path, '');
      assert.equal(enter.key, `0@${enter.task}`);
      assert.equal(enter.parentSpan, undefined);
      tasks.add(enter.task!);
    }
    assert.equal(tasks.size, 4, 'every request its own task, none shared');
    // and with a valid traceparent the same route joins that trace
    const joined = await rawCall('/via-context/joined', { traceparent: tp, tracestate: 'distlog=4/2' });
    assert.equal(joined.entries[0]!.key, '0@0af7651916cd43dd8448eb211c80319c/4/2');
    assert.equal(joined.entries[0]!.parentSpan, 'b7ad6b7169203331');
  });

  it('foreignTask() gives a carrier for any transport, a fresh slot each time', async () => {
    const carriers = task('fan out', () => [foreignTask(), foreignTask()]);
    const T = (await h.drain())[0]!.task!;
    assert.deepEqual(
      carriers.map((c) => c.tracestate),
      ['distlog=1', 'distlog=2'],
    );
    // the receiving side (same process here for brevity) continues at that slot
    importTask(carriers[1]!, 'remote half', () => undefined);
    const es = await h.drain();
    assert.equal(es[0]!.key, `0@${T}/2`);
  });

  it("keeps another vendor's tracestate members and the header stays W3C-valid", async () => {
    const incoming = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    };
    const reply = await importTask(incoming, 'gateway request', () => call('/vendor'));
    assert.equal(reply.headers.tracestate, 'distlog=1,congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    assert.match(reply.headers.traceparent!, /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    assert.equal(reply.entries[0]!.key, '0@0af7651916cd43dd8448eb211c80319c/1');
    await h.drain();
  });

  it('trims to 32 members and 512 characters, dropping from the right, long members first, distlog first', async () => {
    const vendors = Array.from({ length: 32 }, (_, i) => `v${String(i).padStart(2, '0')}=${'x'.repeat(10)}`);
    const full = vendors.join(',');
    assert.ok(full.length <= 512);
    const r1 = await importTask({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: full }, 'full state', () => call('/full'));
    const m1 = assertValidTraceState(r1.headers.tracestate!);
    assert.equal(m1.length, 32);
    assert.equal(m1[0], 'distlog=1');
    assert.deepEqual(m1.slice(1), vendors.slice(0, 31));

    const long = [`a=${'1'.repeat(120)}`, `b=${'2'.repeat(200)}`, `c=${'3'.repeat(170)}`, 'd=short'];
    const state = long.join(',');
    assert.ok(state.length <= 512);
    const r2 = await importTask({ traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`, tracestate: state }, 'long state', () => call('/long'));
    const m2 = assertValidTraceState(r2.headers.tracestate!);
    assert.deepEqual(m2.map((m) => m.split('=')[0]), ['distlog', 'a', 'b', 'd'], 'the rightmost long member went first');
    await h.drain();
  });

  it('a carrier without a valid traceparent opens a new task instead of failing', async () => {
    const s = importTask({ traceparent: 'garbage' }, 'no parent', (scope) => scope);
    assert.equal(s.orphan, true);
    assert.equal(s.path, '');
    await h.drain();
  });
});

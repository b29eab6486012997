import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeBatch, formatTopic, levelNameFromSeverity, type Encoding, type LogEntry } from '../../src/protocol/index.js';
import { entry, variety } from './sample.js';
import { plain } from './plain.js';

function roundTrip(entries: LogEntry[], encoding: Encoding, meta?: { producer?: string; seq?: number }) {
  const payload = encodeBatch(entries, encoding, meta);
  const d = decodeMessage([formatTopic({ system: 'P', kind: 'L', encoding }), payload]);
  return { ...d, entries: plain(d.entries) };
}

/** OTLP (proto3) cannot tell an empty severity_text from none: the level is then the severity's name. */
function asOtlpReadsIt(e: LogEntry): LogEntry {
  return e.level === '' ? { ...e, level: levelNameFromSeverity(e.severity), levelFromSeverity: true } : e;
}

for (const enc of ['J', 'O'] as const) {
  test(`${enc}: every record shape round-trips exactly`, () => {
    const entries = variety();
    const d = roundTrip(entries, enc, { producer: 'host-1/4711', seq: 42 });
    assert.deepEqual(d.errors, []);
    assert.equal(d.source, 'distlog');
    assert.deepEqual(d.meta, { producer: 'host-1/4711', seq: 42 });
    // The topic (P here) decides every record's system, whatever the payload says.
    assert.deepEqual(d.entries, variety().map((e) => ({ ...(enc === 'O' ? asOtlpReadsIt(e) : e), system: 'P' })));
  });

  test(`${enc}: an empty batch and a batch without meta`, () => {
    assert.deepEqual(roundTrip([], enc).entries, []);
    const d = roundTrip([entry()], enc);
    assert.deepEqual(d.meta, {});
    assert.deepEqual(d.entries, [entry()]);
  });

  test(`${enc}: a large batch keeps order across loggers, kinds and resources`, () => {
    const entries: LogEntry[] = [];
    for (let i = 0; i < 1000; i++) {
      entries.push(entry({ seq: i, logger: i % 3 === 0 ? 'a' : 'b', kind: i % 7 === 0 ? 'P' : 'L', resource: i % 11 === 0 ? { 'service.name': 'x' } : { 'service.name': 'checkout' } }));
    }
    assert.deepEqual(plain(roundTrip(entries, enc).entries), entries);
  });
}

test('O: attributes that JSON cannot carry are dropped the way JSON drops them', () => {
  const e = entry({ attributes: { keep: 1, gone: undefined, fn: () => 1, when: new Date(0) } });
  const o = roundTrip([e], 'O').entries[0]!;
  const j = roundTrip([e], 'J').entries[0]!;
  assert.deepEqual(o.attributes, { keep: 1, when: '1970-01-01T00:00:00.000Z' });
  assert.deepEqual(o, j);
});

test('O: is smaller than J for realistic records', () => {
  const entries = Array.from({ length: 100 }, (_, i) => entry({ seq: i }));
  assert.ok(encodeBatch(entries, 'O').length < encodeBatch(entries, 'J').length * 0.7);
});

test('J: the envelope is readable JSON with v first and unknown fields ignored', () => {
  const payload = Buffer.from(encodeBatch([entry()], 'J', { producer: 'p', seq: 1 }));
  const text = payload.toString('utf8');
  assert.ok(text.startsWith('{"v":1,"producer":"p","seq":1,"entries":[{"v":2,'), text.slice(0, 60));
  const future = JSON.stringify({ v: 1, entries: [entry()], ack: 'required', curve: { key: 'abc' }, seq: 9 });
  const d = decodeMessage([formatTopic({ system: 'P', kind: 'L', encoding: 'J' }), Buffer.from(future)]);
  assert.deepEqual(d.entries, [entry()]);
  assert.deepEqual(d.meta, { seq: 9 });
});

test('J: an entry without v (or with v 1) is read as the current version; null optional fields are dropped', () => {
  const { v: _v, ...rest } = entry();
  const payload = JSON.stringify({ v: 1, entries: [{ ...rest, body: null, exception: null, event: null, eventName: null, traceFlags: null }, { ...rest, v: 1 }] });
  const d = decodeMessage([Buffer.from('PLJ'), Buffer.from(payload)]);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(plain(d.entries), [entry(), entry()]);
});

test('O: record kind comes from the records, not from the topic; the system only from the topic', () => {
  const entries = [entry({ kind: 'L', system: 'S' }), entry({ kind: 'P', system: 'S' })];
  const d = decodeMessage([formatTopic({ system: 'S', kind: 'P', encoding: 'O' }), encodeBatch(entries, 'O')]);
  assert.deepEqual(plain(d.entries), entries);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer, decimalToU64, u64ToDecimal } from '../../src/protocol/proto-wire.js';
import { ProtocolError, decodeMessage, encodeBatch, formatTopic } from '../../src/protocol/index.js';
import { variety } from './sample.js';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

test('uint64 decimal <-> 32-bit halves is exact across the range', () => {
  const cases = ['0', '1', '4294967295', '4294967296', '9007199254740991', '9007199254740993', '1795568645885001234',
    '9999999999999999999', '18446744073709551615', '10000000000000000000', '123456789012345678'];
  for (let i = 0; i < 2000; i++) cases.push((BigInt(Math.floor(Math.random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(Math.random() * 2 ** 32))).toString());
  for (const s of cases) {
    const [lo, hi] = decimalToU64(s);
    const big = BigInt(s);
    assert.equal(lo, Number(big & 0xffffffffn), s);
    assert.equal(hi, Number(big >> 32n), s);
    assert.equal(u64ToDecimal(lo, hi), s);
  }
});

test('int64 varints: negatives are 10 bytes and read back', () => {
  for (const n of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -128, -(2 ** 31), -(2 ** 32) - 1, Number.MIN_SAFE_INTEGER]) {
    const w = new Writer(4);
    w.int64(n);
    const buf = w.finish();
    if (n < 0) assert.equal(buf.length, 10);
    const r = new Reader(buf);
    assert.equal(r.int64(), n);
    assert.equal(r.pos, buf.length);
  }
  const w = new Writer();
  w.int64(-1);
  assert.deepEqual([...w.finish()], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
});

test('fork/join moves content when a length needs more than one byte', () => {
  for (const size of [0, 127, 128, 16383, 16384, 70000]) {
    const w = new Writer(8);
    w.byte(0x0a);
    const at = w.fork();
    for (let i = 0; i < size; i++) w.byte(i & 0x7f);
    w.join(at);
    const r = new Reader(w.finish());
    assert.equal(r.uvarint(), 0x0a);
    assert.equal(r.len(), size);
    assert.equal(r.end - r.pos, size);
    if (size > 0) assert.equal(r.buf[r.pos + size - 1], (size - 1) & 0x7f);
  }
});

test('strings of every UTF-8 width, short and long, match Buffer.from', () => {
  for (const s of ['', 'a', 'é', '€', '😀', 'a😀b', '\ud800', 'x\udc00y', 'é'.repeat(63), '😀'.repeat(40), 'long '.repeat(100)]) {
    const w = new Writer(4);
    w.string(s);
    const r = new Reader(w.finish());
    const expected = Buffer.from(s, 'utf8');
    assert.equal(r.len(), expected.length, JSON.stringify(s));
    assert.deepEqual(r.buf.subarray(r.pos), expected);
    r.pos = 0;
    assert.equal(r.string(), expected.toString('utf8'));
  }
});

test('corrupted payloads only ever fail as ProtocolError (fuzz)', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (const enc of ['O', 'J'] as const) {
    const topic = formatTopic({ system: 'P', kind: 'L', encoding: enc });
    const good = Buffer.from(encodeBatch(variety(), enc));
    for (let i = 0; i < 3000; i++) {
      const bad = Buffer.from(good);
      const flips = 1 + rnd(4);
      for (let f = 0; f < flips; f++) bad[rnd(bad.length)] = rnd(256);
      const cut = rnd(5) === 0 ? bad.subarray(0, rnd(bad.length)) : bad;
      try {
        const d = decodeMessage([topic, cut]);
        assert.equal(d.entries.length + d.errors.length <= 15 + 20, true);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
      }
    }
  }
});

test('skip() lands exactly after an unknown length-delimited field, whatever its length prefix size', () => {
  for (const size of [0, 1, 5, 127, 128, 300, 16384]) {
    const w = new Writer(8);
    w.byte(0x7a); // field 15, wire type 2: unknown to every reader here
    w.uvarint(size);
    for (let i = 0; i < size; i++) w.byte(0xff);
    w.byte(0x08); // field 1, varint 42: must be read after the skip
    w.uvarint(42);
    const r = new Reader(w.finish());
    const tag = r.uvarint();
    r.skip(tag & 7);
    assert.equal(r.uvarint(), 0x08, `size ${size}`);
    assert.equal(r.uvarint(), 42);
    assert.equal(r.pos, r.end);
  }
});

test('regression: real SDK bytes with a scope version, schema URLs and an event name decode whole', () => {
  // Bytes from the official OpenTelemetry JS serializer. Each of these fields was
  // once skipped one byte short, which failed the batch or rejected the record.
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'svc' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('lib', '4.5.6', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: 'one', eventName: 'app.started', attributes: { k: 'v' } });
  logger.emit({ severityNumber: SeverityNumber.WARN, body: 'two' });
  const bytes = ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords())!;
  const d = decodeMessage([formatTopic({ system: 'P', kind: 'L', encoding: 'O' }), bytes]);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(d.entries.map((e) => [e.message, e.logger, e.loggerVersion, e.loggerSchemaUrl, e.resourceSchemaUrl, e.eventName, e.attributes.k]), [
    ['one', 'lib', '4.5.6', 'https://opentelemetry.io/schemas/1.27.0', 'https://opentelemetry.io/schemas/1.26.0', 'app.started', 'v'],
    ['two', 'lib', '4.5.6', 'https://opentelemetry.io/schemas/1.27.0', 'https://opentelemetry.io/schemas/1.26.0', undefined, undefined],
  ]);
});

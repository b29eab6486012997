/**
 * Property test (seeded, so a failure replays): random valid LogEntry values —
 * nested maps and arrays, unicode, empty strings, big integers, bytes, every
 * optional field — encode and decode to themselves, through OTLP and through JSON.
 * A failure prints the seed and the first differing record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeBatch, formatTopic, levelNameFromSeverity, type Encoding, type LogEntry } from '../../src/protocol/index.js';
import { prng } from '../helpers/prng.js';
import { plain } from '../protocol/plain.js';


class Gen {
  constructor(private readonly rnd: () => number, private readonly json: boolean) {}

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Valid Unicode only (a lone surrogate is not a string UTF-8 can carry). */
  string(max = 12): string {
    const palette = ['a', 'Z', '0', ' ', '.', '_', '-', '"', '\\', '\n', '\t', '\u0000', 'é', 'ß', 'ü', '世', '界', '😀', '🎉', '\u200d', '€', '$', '{', '/'];
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += this.pick(palette);
    return s;
  }
  nonEmpty(max = 12): string {
    return 'x' + this.string(max - 1);
  }
  hex(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += '0123456789abcdef'[this.int(16)];
    return s.replace(/^0+$/, (z) => z.slice(1) + '1');
  }
  uint64(): string {
    const v = (BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32));
    return (v === 0n ? 1n : v).toString();
  }
  uint32(): number {
    return 1 + this.int(4294967295);
  }

  number(): number {
    switch (this.int(8)) {
      case 0: return this.int(100);
      case 1: return -this.int(1e6);
      case 2: return this.pick([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 2 ** 32]);
      case 3: return (this.rnd() - 0.5) * 1e6;
      case 4: return this.pick([0.1, 1e-300, 1e300, 1e20, -2.5e-7]);
      case 5: if (!this.json) return this.pick([-0, NaN, Infinity, -Infinity]); return 0.5;
      default: return this.rnd();
    }
  }

  key(): string {
    // Reserved prefixes are scope facts and exceptions, not attributes.
    if (this.chance(0.03)) return '__proto__';
    const k = this.string(10);
    return k.startsWith('distlog.') || k.startsWith('exception.') ? `k${k}` : k;
  }

  map(depth: number, size = 4): Record<string, unknown> {
    const m: Record<string, unknown> = {};
    const n = this.int(size + 1);
    for (let i = 0; i < n; i++) {
      Object.defineProperty(m, this.key(), { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return m;
  }
  nonEmptyMap(depth: number): Record<string, unknown> {
    const m = this.map(depth);
    if (Object.keys(m).length === 0) m.only = this.value(depth + 1);
    return m;
  }

  value(depth: number): unknown {
    const leaf = depth >= 6;
    switch (this.int(leaf ? 6 : 9)) {
      case 0: return this.string();
      case 1: return this.number();
      case 2: return this.chance(0.5);
      case 3: return null;
      case 4: {
        const bytes = Buffer.alloc(this.int(12));
        for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
        return { $bytes: bytes.toString('base64') };
      }
      case 5: {
        const big = (BigInt(this.int(2 ** 31)) << 32n) + (1n << 53n) + BigInt(this.int(1000));
        return { $int: (this.chance(0.5) ? -big : big).toString() };
      }
      case 6: return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      default: return this.map(depth);
    }
  }

  exception(): LogEntry['exception'] {
    const ex: NonNullable<LogEntry['exception']> = { message: this.chance(0.3) ? '' : this.string(30) };
    if (this.chance(0.6)) ex.type = this.nonEmpty();
    if (this.chance(0.5)) ex.stack = this.string(60);
    return ex;
  }

  entry(shared: { resource: Record<string, unknown>; logger: string; system: LogEntry['system'] }): LogEntry {
    const severity = this.int(25);
    const e: LogEntry = {
      v: 2,
      timeUnixNano: this.uint64(),
      level: this.nonEmpty(),
      severity,
      logger: this.chance(0.7) ? shared.logger : this.string(),
      message: this.string(40),
      attributes: this.map(1, 6),
      resource: this.chance(0.8) ? shared.resource : this.map(1),
      system: shared.system,
      kind: this.pick(['L', 'P'] as const),
    };
    const opt = (p: number): boolean => this.chance(p);
    if (opt(0.3)) e.observedTimeUnixNano = this.uint64();
    if (opt(0.3)) { e.level = levelNameFromSeverity(severity); e.levelFromSeverity = true; }
    if (opt(0.4)) e.loggerVersion = this.nonEmpty();
    if (opt(0.2)) e.loggerSchemaUrl = `https://example.com/${this.nonEmpty()}`;
    if (opt(0.2)) e.loggerAttributes = this.nonEmptyMap(1);
    if (opt(0.1)) e.loggerDroppedAttributesCount = this.uint32();
    if (opt(0.3)) e.eventName = this.nonEmpty();
    if (opt(0.4)) e.body = this.value(1) ?? this.string();
    if (opt(0.1)) e.droppedAttributesCount = this.uint32();
    if (opt(0.7)) e.task = this.chance(0.8) ? this.hex(32) : this.string(20);
    if (opt(0.6)) e.span = this.chance(0.8) ? this.hex(16) : this.string(20);
    if (opt(0.5)) e.traceFlags = this.chance(0.8) ? 1 : this.uint32();
    if (opt(0.4)) e.parentSpan = this.hex(16);
    if (opt(0.6)) e.path = this.pick(['', '1', '1/3/2', this.string()]);
    if (opt(0.6)) e.seq = this.int(1e6);
    if (opt(0.5)) e.key = this.string(30);
    // A record with seq, path and a trace-id task has its key <seq>@<task>/<path>:
    // the OTLP wire may leave it out and the decoder makes it again.
    if (e.key === undefined && e.seq !== undefined && e.path !== undefined && /^[0-9a-f]{32}$/.test(e.task ?? '')) {
      e.key = e.path === '' ? `${e.seq}@${e.task}` : `${e.seq}@${e.task}/${e.path}`;
    }
    if (opt(0.3)) e.event = this.pick(['enter', 'exit', 'fail'] as const);
    if (opt(0.3)) e.durationMs = this.pick([0, 12, 12.75, this.rnd() * 1e5]);
    if (opt(0.2)) e.exception = this.exception();
    if (opt(0.1)) e.resourceSchemaUrl = `https://example.com/r/${this.nonEmpty()}`;
    if (opt(0.1)) e.resourceDroppedAttributesCount = this.uint32();
    return e;
  }
}

function check(encoding: Encoding, seed: number, batches: number): void {
  const g = new Gen(prng(seed), encoding === 'J');
  for (let b = 0; b < batches; b++) {
    // One system per message: the topic's system byte is every record's system.
    const system = g.pick(['T', 'S', 'P'] as const);
    const topic = formatTopic({ system, kind: 'L', encoding });
    const shared = { resource: g.map(1), logger: g.string(), system };
    const entries = Array.from({ length: 1 + g.int(8) }, () => g.entry(shared));
    const d = decodeMessage([topic, encodeBatch(entries, encoding, { producer: 'p', seq: b + 1 })]);
    const where = `${encoding} seed ${seed}, batch ${b}`;
    assert.deepEqual(d.errors, [], where);
    assert.deepEqual(d.meta, { producer: 'p', seq: b + 1 }, where);
    assert.equal(d.entries.length, entries.length, where);
    for (let i = 0; i < entries.length; i++) assert.deepEqual(plain(d.entries[i]), plain(entries[i]), `${where}, record ${i}`);
  }
}

for (const encoding of ['O', 'J'] as const) {
  test(`${encoding}: random valid LogEntry values encode and decode to themselves (seeded)`, () => {
    for (const seed of [1, 2, 3, 20260101]) check(encoding, seed, 150);
  });
}

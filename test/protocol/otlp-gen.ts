/**
 * Seeded random OTLP payloads for the JSON-lines transcoder's property test:
 * every feature of lines-compare's hand-built cases mixed at random (reserved
 * attributes of every type, repeated keys, ids in any order, odd strings and
 * numbers, deep values, unknown fields, several resources and scopes, the batch
 * meta), and now and then a corrupted byte or a cut.
 */
import { prng } from '../helpers/prng.js';
import { BATCH_META_FIELD } from '../../src/protocol/otlp-codec.js';
import {
  any, attr, cat, fixed32, fixed64, keyValue, ld, nestedArray, nestedMap, rec, resAttr, resource, resourceLogs, scope, scopeAttr,
  scopeLogs, str, tag, vi,
} from './pb.js';

type Rand = () => number;

export class Gen {
  readonly r: Rand;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  text(): string | Buffer {
    switch (this.int(12)) {
      case 0: return '';
      case 1: return 'plain';
      case 2: return 'q"uo\\te\n\t\u0001\u007f';
      case 3: return 'Grüße 世界 😀';
      case 4: return Buffer.from([0x61, 0xff, 0xc3, 0x62, 0xed, 0xa0, 0x80]); // invalid UTF-8
      case 5: return 'x'.repeat(this.int(80));
      case 6: return `${'a'.repeat(this.int(60))}"${'b'.repeat(this.int(5))}`;
      case 7: return '\ud83d'; // a lone surrogate (written as EF BF BD by Buffer.from)
      case 8: return 'enter';
      case 9: return this.pick(['L', 'P', 'X', 'T', 'S']);
      case 10: return `${this.int(1000)}`;
      default: return `v${this.int(100)}`;
    }
  }

  key(): string | Buffer {
    switch (this.int(10)) {
      case 0: case 1: return this.pick(['a', 'b', 'c', 'user.id', 'http.status_code', '']);
      case 2: case 3: return this.pick([
        'distlog.message', 'distlog.key', 'distlog.seq', 'distlog.path', 'distlog.parent_span_id', 'distlog.event',
        'distlog.duration_ms', 'distlog.kind', 'distlog.task', 'distlog.span_id', 'distlog.future', 'distlog.system',
      ]);
      case 4: return this.pick(['exception.type', 'exception.message', 'exception.stacktrace', 'exception.escaped']);
      case 5: return this.pick(['ключ', 'städte', '😀', '__proto__', 'constructor', 'q"k\\', 'ctl\u0002']);
      case 6: return Buffer.from([0x6b, 0x80 + this.int(0x7f)]);
      default: return `k${this.int(20)}`;
    }
  }

  /** An AnyValue, nested up to `depth` more levels (rarely far deeper). */
  value(depth = 3): Buffer {
    if (this.chance(0.01)) return this.chance(0.5) ? nestedArray(28 + this.int(10)) : nestedMap(28 + this.int(10));
    switch (this.int(depth > 0 ? 13 : 9)) {
      case 0: case 1: case 2: return any.s(this.text());
      case 3: return any.b(this.chance(0.5));
      case 4: return any.i(this.pick<number | bigint>([0, 1, 127, 128, -1, -5, 2 ** 31, 2 ** 53 - 1, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 56n - 1n, this.int(1e6)]));
      case 5: return any.d(this.pick([0, -0, 1.5, 3, -2.25, NaN, Infinity, -Infinity, 1e21, 5e-324, 0.1 + 0.2, 2 ** 60]));
      case 6: return any.bytes(Array.from({ length: this.int(6) }, () => this.int(256)));
      case 7: return any.empty();
      case 8: return this.chance(0.5) ? cat(tag(1, 0), [5]) : cat(any.s('a'), any.i(1)); // malformed / two fields
      case 9: case 10: return any.arr(...Array.from({ length: this.int(4) }, () => this.value(depth - 1)));
      default: return any.map(...Array.from({ length: this.int(4) }, () => keyValue(this.key(), this.value(depth - 1))));
    }
  }

  /** A value that suits the reserved attribute `k` most of the time. */
  valueFor(k: string | Buffer): Buffer {
    if (typeof k === 'string' && this.chance(0.7)) {
      switch (k) {
        case 'distlog.seq': return this.chance(0.8) ? any.i(this.int(100)) : any.d(this.pick([3, 3.5, -1, NaN, 2 ** 53]));
        case 'distlog.event': return any.s(this.pick(['enter', 'exit', 'fail', 'exitt']));
        case 'distlog.duration_ms': return this.chance(0.7) ? any.d(this.int(1000) / 8) : any.i(this.int(1000));
        case 'distlog.kind': return any.s(this.pick(['L', 'P', 'P', 'X']));
        case 'distlog.path': return any.s(this.pick(['', '1', '1/2/3', 'a"b', 'é/1']));
        default:
          if (k.startsWith('distlog.') || k.startsWith('exception.')) return any.s(this.text());
      }
    }
    return this.value();
  }

  unknownField(): Buffer {
    const f = 13 + this.int(100);
    switch (this.int(6)) {
      case 0: return vi(f, this.int(1000));
      case 1: return fixed64(f, BigInt(this.int(1e9)));
      case 2: return ld(f, Buffer.from('zz'));
      case 3: return fixed32(f, this.int(1e9));
      default: return cat(tag(f, this.pick([3, 4, 6, 7])));
    }
  }

  /** Any 64-bit unsigned value, edges often. */
  u64(): bigint {
    if (this.chance(0.3)) return this.pick([1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 9007199254740993000n]);
    return (BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32));
  }

  record(): Buffer {
    const fields: Buffer[] = [];
    const n = this.int(14);
    for (let i = 0; i < n; i++) {
      switch (this.int(16)) {
        case 0: fields.push(rec.time(this.chance(0.1) ? 0n : this.chance(0.2) ? this.u64() : 1700000000000000000n + BigInt(this.int(1e9)))); break;
        case 1: fields.push(rec.observed(this.chance(0.2) ? this.u64() : 1700000000000000000n + BigInt(this.int(3)))); break;
        case 2: fields.push(rec.severity(this.chance(0.95) ? this.int(25) : 25 + this.int(100))); break;
        case 3: fields.push(rec.text(this.chance(0.3) ? '' : this.pick(['INFO', 'WARN', 'custom', 'Grüße']))); break;
        case 4: fields.push(rec.body(this.chance(0.7) ? any.s(this.text()) : this.value())); break;
        case 5: fields.push(rec.dropped(this.int(5))); break;
        case 6: fields.push(rec.flags(this.pick([0, 1, 0x80000000]))); break;
        case 7: fields.push(this.chance(0.9) ? rec.trace(this.pick(['0af7651916cd43dd8448eb211c80319c', '11111111111111112222222222222222'])) : ld(9)); break;
        case 8: fields.push(this.chance(0.9) ? rec.span('b7ad6b7169203331') : ld(10, Buffer.from([1, 2, 3]))); break;
        case 9: fields.push(rec.eventName(this.pick(['', 'order.placed', 'ünï']))); break;
        case 10: if (this.chance(0.15)) fields.push(this.unknownField()); break;
        default: {
          const k = this.key();
          fields.push(attr(k, this.valueFor(k)));
        }
      }
    }
    return ld(2, ...fields);
  }

  scopeLogs(): Buffer {
    const parts: Buffer[] = [];
    const records = Array.from({ length: this.int(5) }, () => this.record());
    const scopeFields: Buffer[] = [];
    if (this.chance(0.9)) scopeFields.push(str(1, this.pick(['app', 'distlog.scope', 'ünï', ''])));
    if (this.chance(0.2)) scopeFields.push(str(2, '1.2.3'));
    if (this.chance(0.2)) scopeFields.push(scopeAttr(this.key(), this.value(2)));
    if (this.chance(0.1)) scopeFields.push(vi(4, this.int(3)));
    const at = this.int(records.length + 1); // the scope anywhere among its records
    parts.push(...records.slice(0, at));
    if (this.chance(0.95)) parts.push(scope(...scopeFields));
    parts.push(...records.slice(at));
    if (this.chance(0.1)) parts.push(str(3, 'https://schema/scope'));
    return this.chance(0.05) ? ld(1000, ...parts) : scopeLogs(...parts);
  }

  resourceLogs(): Buffer {
    const attrs: Buffer[] = [];
    if (this.chance(0.9)) attrs.push(resAttr('service.name', this.chance(0.95) ? any.s('svc') : any.i(1)));
    if (this.chance(0.3)) attrs.push(resAttr('distlog.system', any.s(this.pick(['P', 'P', 'T', 'X']))));
    for (let i = 0, n = this.int(3); i < n; i++) attrs.push(resAttr(this.key(), this.value(2)));
    if (this.chance(0.1)) attrs.push(vi(2, this.int(4)));
    const res = resource(...(attrs as Buffer[]));
    const sls = Array.from({ length: 1 + this.int(3) }, () => this.scopeLogs());
    const parts = this.chance(0.8) ? [res, ...sls] : [...sls, res];
    if (this.chance(0.1)) parts.push(str(3, 'https://schema/resource'));
    return resourceLogs(...parts);
  }

  payload(): Buffer {
    const parts = Array.from({ length: 1 + this.int(3) }, () => this.resourceLogs());
    if (this.chance(0.3)) parts.splice(this.int(parts.length + 1), 0, ld(BATCH_META_FIELD, str(1, 'gen/1'), vi(2, this.int(100)), vi(3, this.int(100))));
    let p = cat(...parts);
    if (this.chance(0.08) && p.length > 0) {
      // a corrupted byte or a cut: broken framing, or a record that reads otherwise
      p = Buffer.from(p);
      if (this.chance(0.5)) p[this.int(p.length)] = this.int(256);
      else p = p.subarray(0, this.int(p.length));
    }
    return p;
  }
}

/**
 * The two steps between a batch and the file plugin's writes, shared by its
 * two inputs: entries are first written as JSON lines into the sink's reusable
 * buffer (encodeEntries), and lines, made here or handed over ready by the
 * collector (consumeLines), are split by system and kind, the parts of the
 * file name pattern that vary within a batch (groupBySystemKind).
 */
import type { JsonLineWriter } from '../../protocol/json-line.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { JsonLines } from '../api.js';

/**
 * The entries as JSON lines in `writer`'s buffer (not copied: valid until the
 * writer's next reset). An entry the writer refuses (nested too deep, a
 * throwing getter) is left out and passed to `refused`.
 */
export function encodeEntries(writer: JsonLineWriter, entries: readonly LogEntry[], refused: (entry: LogEntry, err: unknown) => void): JsonLines {
  writer.reset();
  const ends = new Uint32Array(entries.length);
  const systems = new Uint8Array(entries.length);
  const kinds = new Uint8Array(entries.length);
  let n = 0;
  for (const e of entries) {
    try {
      writer.appendLine(e);
    } catch (err) {
      refused(e, err);
      continue;
    }
    ends[n] = writer.pos;
    systems[n] = e.system.charCodeAt(0);
    kinds[n] = e.kind.charCodeAt(0);
    n++;
  }
  return { bytes: writer.buf.subarray(0, writer.pos), ends: ends.subarray(0, n), systems: systems.subarray(0, n), kinds: kinds.subarray(0, n) };
}

export interface LineGroup {
  system: string;
  kind: string;
  lines: JsonLines;
}

/**
 * The lines grouped by (system, kind), groups in order of first appearance and
 * lines in their order. A batch of one system and kind (the common case) is
 * returned as is; otherwise each group's lines are copied into a buffer of
 * their own, so that each file still gets one write.
 */
export function groupBySystemKind(lines: JsonLines): LineGroup[] {
  const { systems, kinds } = lines;
  const n = lines.ends.length;
  if (n === 0) return [];
  const s0 = systems[0]!;
  const k0 = kinds[0]!;
  let uniform = true;
  for (let i = 1; i < n && uniform; i++) uniform = systems[i] === s0 && kinds[i] === k0;
  if (uniform) return [{ system: String.fromCharCode(s0), kind: String.fromCharCode(k0), lines }];

  // At most a handful of keys (3 systems × 2 kinds): count and size each first.
  const keyOf = (i: number) => (systems[i]! << 8) | kinds[i]!;
  const order: number[] = [];
  const counts = new Map<number, { lines: number; bytes: number }>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    let c = counts.get(k);
    if (!c) counts.set(k, (c = { lines: 0, bytes: 0 })), order.push(k);
    c.lines++;
    c.bytes += lines.ends[i]! - (i === 0 ? 0 : lines.ends[i - 1]!);
  }
  const groups = new Map<number, { bytes: Buffer; ends: Uint32Array; systems: Uint8Array; kinds: Uint8Array; at: number; count: number }>();
  for (const k of order) {
    const c = counts.get(k)!;
    groups.set(k, {
      bytes: Buffer.allocUnsafe(c.bytes),
      ends: new Uint32Array(c.lines),
      systems: new Uint8Array(c.lines).fill(k >> 8),
      kinds: new Uint8Array(c.lines).fill(k & 0xff),
      at: 0,
      count: 0,
    });
  }
  for (let i = 0; i < n; i++) {
    const g = groups.get(keyOf(i))!;
    const start = i === 0 ? 0 : lines.ends[i - 1]!;
    g.at += lines.bytes.copy(g.bytes, g.at, start, lines.ends[i]!);
    g.ends[g.count++] = g.at;
  }
  return order.map((k) => {
    const g = groups.get(k)!;
    return { system: String.fromCharCode(k >> 8), kind: String.fromCharCode(k & 0xff), lines: { bytes: g.bytes, ends: g.ends, systems: g.systems, kinds: g.kinds } };
  });
}

/**
 * The topic frame: three ASCII bytes, system + kind + encoding, as in the 2018
 * Python distlog (`PLJ`). Kept as bytes rather than a string field inside the
 * payload so that a ZeroMQ SUB socket can filter on it and a receiver can refuse a
 * payload (pickle, oversize) before looking at a single payload byte.
 */
import { ProtocolError } from './errors.js';
import type { KindCode, SystemCode } from './log-entry.js';
import { KIND_CODES, SYSTEM_CODES } from './names.js';

/**
 * Encodings this build writes: `J` JSON, `O` OTLP protobuf (see otlp-codec.ts for
 * why OTLP and not msgpack). `P` (pickle, Python only) is recognised by the
 * decoder solely to refuse it.
 */
export type Encoding = 'J' | 'O';
export const ENCODINGS: readonly Encoding[] = ['J', 'O'];

export interface Topic {
  system: SystemCode;
  kind: KindCode;
  /** The encoding byte as received; may be one this build does not decode ('P', ...). */
  encoding: string;
}

const SYSTEMS = SYSTEM_CODES.join('');
const KINDS = KIND_CODES.join('');

/** Printable form of a topic frame for error messages: ASCII as is, other bytes as \xNN. */
export function describeBytes(frame: Uint8Array, max = 16): string {
  let out = '';
  const n = Math.min(frame.length, max);
  for (let i = 0; i < n; i++) {
    const b = frame[i]!;
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return frame.length > max ? `${out}... (${frame.length} bytes)` : out;
}

export function parseTopic(frame: Uint8Array): Topic {
  if (frame.length !== 3) {
    throw new ProtocolError(
      'topic',
      `topic "${describeBytes(frame)}" has ${frame.length} bytes, expected 3 (system T/S/P, kind L/P, encoding)`,
      describeBytes(frame),
    );
  }
  const s = String.fromCharCode(frame[0]!);
  const k = String.fromCharCode(frame[1]!);
  const e = frame[2]!;
  const shown = describeBytes(frame);
  if (!SYSTEMS.includes(s) || frame[0]! >= 0x80) {
    throw new ProtocolError('topic', `topic "${shown}": system byte "${describeBytes(frame.subarray(0, 1))}" is not T, S or P`, shown);
  }
  if (!KINDS.includes(k) || frame[1]! >= 0x80) {
    throw new ProtocolError('topic', `topic "${shown}": kind byte "${describeBytes(frame.subarray(1, 2))}" is not L or P`, shown);
  }
  // The encoding letter is checked by the decoder (code 'encoding'), so that an
  // unknown-but-well-formed encoding is told apart from a garbled topic.
  if (e < 0x21 || e > 0x7e) {
    throw new ProtocolError('topic', `topic "${shown}": encoding byte "${describeBytes(frame.subarray(2, 3))}" is not a printable ASCII letter`, shown);
  }
  return { system: s as SystemCode, kind: k as KindCode, encoding: String.fromCharCode(e) };
}

/** A fresh Buffer each call: ZeroMQ may hold the frame after send returns, so never share one. */
export function formatTopic(t: { system: SystemCode; kind: KindCode; encoding: Encoding }): Buffer {
  if (!SYSTEMS.includes(t.system) || t.system.length !== 1) throw new ProtocolError('topic', `cannot format topic: system "${t.system}" is not T, S or P`);
  if (!KINDS.includes(t.kind) || t.kind.length !== 1) throw new ProtocolError('topic', `cannot format topic: kind "${t.kind}" is not L or P`);
  if (!ENCODINGS.includes(t.encoding)) throw new ProtocolError('encoding', `cannot format topic: encoding "${t.encoding}" is not one of ${ENCODINGS.join(', ')}`);
  return Buffer.from(t.system + t.kind + t.encoding, 'latin1');
}

export function topicString(t: Topic): string {
  return t.system + t.kind + t.encoding;
}

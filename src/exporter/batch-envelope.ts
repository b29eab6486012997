/**
 * The batch envelope of an OTLP (`O`) message: the distlog BatchMeta sub-message
 * at the end of the ExportLogsServiceRequest (field BATCH_META_FIELD, skipped by
 * every other OTLP reader), and how it is stamped.
 *
 *   BatchMeta { producer = 1 (string), seq = 2 (varint), recordsBefore = 3 (varint) }
 *
 * WHY THE SEQUENCE IS STAMPED AT HAND-OFF, NOT AT ENCODE TIME. The collector counts
 * the batches it never received per producer from gaps in `seq`; the producer counts
 * what it dropped itself (send timeout, no collector, shutdown deadline). If a message
 * that the exporter dropped had consumed a sequence number, the collector would count
 * it a second time. So `seq` numbers only the messages actually handed to ZeroMQ:
 * the encoder leaves fixed-width slots, and the transport writes the next number
 * into them just before `send()` (a failed send leaves the number for the next
 * message). A gap the collector sees is then exactly a loss after hand-off (ZeroMQ
 * pipe or TCP buffers lost in a collector crash), disjoint from the producer's
 * `droppedRecords`: together they count every record once.
 *
 * `recordsBefore` (records handed to ZeroMQ by this producer before this batch) lets
 * the collector count the *records* of the batches it missed, not only the batches:
 * missing = next.recordsBefore - (last.recordsBefore + last.records).
 *
 * The slots are 8-byte varints (non-minimal: continuation bits set on leading zero
 * groups, which protobuf readers accept), so stamping never moves a byte.
 *
 * AT-LEAST-ONCE LATER. An acknowledged mode fits without a wire change: the exporter
 * keeps handed-off payloads (already stamped, so a resend carries its original
 * (producer, seq)) in a bounded retransmit buffer until the collector acknowledges
 * seq N on a reply channel; on reconnect it resends what is unacknowledged, and the
 * collector drops duplicates by (producer, seq). New fields (ack requested, epoch)
 * go into this same sub-message.
 */
import { BATCH_META_FIELD } from '../protocol/otlp-codec.js';

const SLOT_BYTES = 8;
/** Largest number an 8-byte varint slot holds (2^56 - 1). */
const SLOT_MAX = 2 ** 56 - 1;

/** Bytes of the envelope for one producer, with its two number slots, built once per exporter. */
export class BatchEnvelope {
  /** The whole sub-message (tag, length, fields) with zeroed slots. */
  readonly template: Buffer;
  /** Where the seq slot starts, counted from the end of the payload. */
  readonly seqFromEnd: number;
  /** Where the recordsBefore slot starts, counted from the end of the payload. */
  readonly recordsFromEnd: number;

  constructor(producer: string) {
    const id = Buffer.from(producer, 'utf8');
    if (id.length > 100) throw new TypeError(`producerId: at most 100 bytes, got ${id.length}`);
    const body = Buffer.alloc(2 + id.length + (1 + SLOT_BYTES) * 2);
    let p = 0;
    body[p++] = 0x0a;
    body[p++] = id.length;
    id.copy(body, p);
    p += id.length;
    body[p++] = 0x10;
    const seqAt = p;
    p += SLOT_BYTES;
    body[p++] = 0x18;
    const recordsAt = p;
    p += SLOT_BYTES;
    writeSlot(body, seqAt, 0);
    writeSlot(body, recordsAt, 0);
    const head = varint(BATCH_META_FIELD * 8 + 2);
    this.template = Buffer.concat([head, Buffer.from([body.length]), body]);
    const bodyStart = head.length + 1;
    this.seqFromEnd = this.template.length - (bodyStart + seqAt);
    this.recordsFromEnd = this.template.length - (bodyStart + recordsAt);
  }

  /** seq and recordsBefore of an O payload that ends with this envelope. */
  read(payload: Uint8Array): { seq: number; recordsBefore: number } {
    const end = payload.byteLength;
    return { seq: readSlot(payload, end - this.seqFromEnd), recordsBefore: readSlot(payload, end - this.recordsFromEnd) };
  }

  /** Writes seq and recordsBefore into a payload that ends with this envelope. */
  stamp(payload: Uint8Array, seq: number, recordsBefore: number): void {
    const end = payload.byteLength;
    writeSlot(payload, end - this.seqFromEnd, seq);
    writeSlot(payload, end - this.recordsFromEnd, recordsBefore);
  }
}

/** Reads a slot back (tests, and tools that know the producer's envelope). */
function readSlot(buf: Uint8Array, at: number): number {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < SLOT_BYTES; i++) {
    n += (buf[at + i]! & 0x7f) * mul;
    mul *= 0x80;
  }
  return n;
}

/** n as an 8-byte varint, most significant groups padded with 0x80. */
function writeSlot(buf: Uint8Array, at: number, n: number): void {
  if (!(n >= 0 && n <= SLOT_MAX)) throw new RangeError(`batch envelope: ${n} does not fit its slot`);
  for (let i = 0; i < SLOT_BYTES - 1; i++) {
    buf[at + i] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at + SLOT_BYTES - 1] = n;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * The JSON (`J`) envelope carries `"seq":` as its second field; the encoder writes a
 * placeholder of fixed width and stampJsonSeq overwrites it, right-aligned after
 * spaces (JSON allows whitespace before a value).
 */
export const JSON_SEQ_PLACEHOLDER = 1e15; // 16 digits: room for any seq
const JSON_SEQ_KEY = Buffer.from('"seq":');
const JSON_SEQ_WIDTH = 16;

/** Offset of the seq digits in a J payload (the first `"seq":` is the key: string values escape their quotes). */
export function jsonSeqOffset(payload: Buffer): number {
  const at = payload.indexOf(JSON_SEQ_KEY);
  if (at < 0) throw new Error('J payload has no "seq" field');
  return at + JSON_SEQ_KEY.length;
}

export function stampJsonSeq(payload: Uint8Array, offset: number, seq: number): void {
  const digits = String(seq);
  if (digits.length > JSON_SEQ_WIDTH) throw new RangeError(`batch envelope: seq ${seq} too large`);
  const pad = JSON_SEQ_WIDTH - digits.length;
  for (let i = 0; i < pad; i++) payload[offset + i] = 0x20;
  for (let i = 0; i < digits.length; i++) payload[offset + pad + i] = digits.charCodeAt(i);
}

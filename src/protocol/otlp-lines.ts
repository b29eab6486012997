/**
 * OTLP ExportLogsServiceRequest → JSON lines, without a LogEntry per record.
 *
 * A collector whose plugins all write JSON text (the file plugin) needs no
 * objects: building a LogEntry (~30 objects and strings per record) and
 * serialising it again cost 4–7 µs per small record, most of distlogd's CPU.
 * This transcoder writes each line straight from the protobuf bytes: keys are
 * constants, ids go to hex from their bytes, times to decimal from their
 * 64-bit halves, plain ASCII strings are copied as bytes.
 *
 * Each line is the JSON of the entry decodeOtlp would build for that record:
 * the same fields and values (the field order follows LogEntry's declaration,
 * which is the decoder's order for distlog's own records), and the same records
 * refused with the same errors. That holds by construction where it is subtle:
 * - the resource and scope of each ResourceLogs / ScopeLogs are read by the
 *   decoder's own readers, once, and their JSON is reused for every record;
 * - a record the fast path does not take as it is (a structured body, a
 *   repeated attribute name, a distlog.task / distlog.span override, a value of
 *   a type a reserved attribute does not allow, broken framing, ...) is read by
 *   the decoder's own record reader (decodeLogRecordAt) and written by
 *   JsonLineWriter: it becomes the same line, or the same error;
 * - a resource or scope the decoder would refuse sends the whole message down
 *   the object path (`undefined` from transcodeOtlp).
 * Tests compare both paths on the fixtures, on the exporter's output and on
 * randomly built payloads.
 */
import type { EntryError } from './errors.js';
import type { BatchMeta, KindCode, SystemCode } from './log-entry.js';
import { jsonLinesOfMessage, type JsonLines } from './json-lines.js';
import { JsonLineWriter } from './json-line.js';
import { LineSlabs } from './line-slabs.js';
import { Reader, WireError } from './proto-wire.js';
import { ATTR_SYSTEM } from './attributes.js';
import { BATCH_META_FIELD } from './otlp-codec.js';
import { DEFAULT_MAX_DEPTH, LEGACY_SCOPE_LOGS_TAG, decodeLogRecordAt, decodeOtlp, readBatchMeta, type OtlpDecodeOptions } from './otlp-decode.js';
import { setResourceFields, setScopeFields, type ResourceFacts, type ScopeFacts } from './otlp-facts.js';
import { newMap, readAttributeInto, setMaxDepth } from './otlp-values.js';
import { MAX_VALUE_DEPTH, checkResource } from './validate.js';
import { transcodeRecord } from './otlp-line-record.js';
import type { LineContext } from './otlp-line-chunks.js';

export interface OtlpLines {
  lines: JsonLines;
  meta: BatchMeta;
  errors: EntryError[];
}

/** The JSON lines of the records decodeOtlp would return, with the same meta and errors. Throws WireError like it. */
export function otlpToJsonLines(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }, options?: OtlpDecodeOptions, slabs?: LineSlabs): OtlpLines {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  return transcodeOtlp(payload, defaults, maxDepth, undefined, undefined, slabs) ?? viaEntries(payload, defaults, options);
}

/** The object path: decode, then write each entry (resources or scopes the fast path does not take). */
export function viaEntries(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }, options?: OtlpDecodeOptions): OtlpLines {
  const d = decodeOtlp(payload, defaults, options);
  const lines = jsonLinesOfMessage(d.entries, d.errors);
  return { lines, meta: d.meta, errors: d.errors };
}

function unwritable(index: number, err: unknown): EntryError {
  return { index, path: `entries[${index}]`, message: `cannot be written as JSON: ${(err as Error).message}` };
}

/** Where lines go when the caller brings no LineSlabs of its own: slabs left to the GC. */
const OWN_SLABS = new LineSlabs();
/** The slabs of the transcode running now (transcoding is synchronous); `var`: no TDZ check per read. */
var OUT = OWN_SLABS;
const EMPTY_BYTES = new Uint8Array(0);

/** Text as a plain Uint8Array: LineBuffer.raw sees one array type (a Buffer is another map to V8). */
function utf8Bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s));
}
/** For the values and records the fast path hands to the object writer. */
const SCRATCH = new JsonLineWriter({ initialBytes: 16 * 1024 });

/**
 * The lines of an ExportLogsServiceRequest, or undefined when the message must
 * take the object path whole: a resource or scope attribute the decoder refuses,
 * or — when `topicSystem` is given (decodeMessageLines) — a resource the topic
 * check would refuse (another system, a non-string service.name / host.name).
 * Throws WireError on broken framing around the records, like decodeOtlp.
 */
export function transcodeOtlp(
  payload: Buffer,
  defaults: { system: SystemCode; kind: KindCode },
  maxDepth: number,
  topicSystem?: SystemCode,
  /** The message's record count when the caller knows it (countOtlpRecords): sizes the output. */
  records?: number,
  /** The caller's slabs (a collector's, which reuses them); else slabs left to the GC. */
  slabs: LineSlabs = OWN_SLABS,
): OtlpLines | undefined {
  // Values deeper than the JSON writer's bound: the object path refuses them record by record.
  if (maxDepth > MAX_VALUE_DEPTH) return undefined;
  setMaxDepth(maxDepth);
  OUT = slabs;
  // A line takes its record's wire bytes plus ~260 (field names, the resource repeated, ids in hex);
  // a message that needs more moves to a larger buffer as it is written.
  OUT.begin(records !== undefined ? payload.length + records * 384 + 4096 : payload.length * 3 + 4096);
  try {
    return walk(payload, defaults, topicSystem);
  } catch (err) {
    // Broken framing around the records: the object path says what it makes of it
    // (an error for the whole message, or for some of its records).
    if (err instanceof WireError) return undefined;
    throw err;
  }
}

function walk(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }, topicSystem: SystemCode | undefined): OtlpLines | undefined {
  const errors: EntryError[] = [];
  const meta: BatchMeta = {};
  const st: WalkState = { payload, errors, index: 0, kind: defaults.kind, topicSystem };
  const r = new Reader(payload);
  const metaTag = BATCH_META_FIELD * 8 + 2;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      const end = r.len() + r.pos;
      if (!resourceLogs(r, end, st, defaults.system)) return undefined;
      r.pos = end;
    } else if (tag === metaTag) {
      readBatchMeta(r, r.len() + r.pos, meta);
    } else r.skip(tag & 7);
  }
  return { lines: OUT.take(), meta, errors };
}

interface WalkState {
  payload: Buffer;
  errors: EntryError[];
  /** LogRecords met so far (good and bad): the next record's index in the message. */
  index: number;
  kind: KindCode;
  topicSystem: SystemCode | undefined;
}

function resourceLogs(r: Reader, end: number, st: WalkState, topicDefault: SystemCode): boolean {
  // Field ranges (start, end pairs), collected before anything is written: protobuf field order is free.
  const resourceParts: number[] = [];
  const scopeParts: number[] = [];
  let schemaUrl = '';
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a || tag === 0x12 || tag === LEGACY_SCOPE_LOGS_TAG) {
      const n = r.len();
      if (r.pos + n > end) return false; // runs past its ResourceLogs: the object path's reading of it
      (tag === 0x0a ? resourceParts : scopeParts).push(r.pos, r.pos + n);
      r.pos += n;
    } else if (tag === 0x1a) schemaUrl = r.string();
    else r.skip(tag & 7);
  }
  if (r.pos !== end) return false;
  // Resource{attributes=1, dropped_attributes_count=2}, read as the decoder reads it.
  const resource = newMap();
  let dropped = 0;
  for (let i = 0; i < resourceParts.length; i += 2) {
    r.pos = resourceParts[i]!;
    const e = resourceParts[i + 1]!;
    while (r.pos < e) {
      const t = r.uvarint();
      if (t === 0x0a) {
        if (readAttributeInto(r, resource, 'resource') !== undefined) return false;
      } else if (t === 0x10) dropped = r.uvarint();
      else r.skip(t & 7);
    }
    if (r.pos !== e) return false;
  }
  let system = topicDefault;
  const s = resource[ATTR_SYSTEM];
  if (s !== undefined) {
    delete resource[ATTR_SYSTEM];
    if (s === 'T' || s === 'S' || s === 'P') system = s;
  }
  if (st.topicSystem !== undefined && (system !== st.topicSystem || checkResource(resource) !== undefined)) return false;
  const facts: ResourceFacts = { resource, system, schemaUrl, dropped };
  SCRATCH.reset();
  SCRATCH.appendValue(resource);
  const resourceJson = SCRATCH.text();
  const ctx: LineContext = {
    system: system.charCodeAt(0),
    resourceFacts: facts,
    scopeFacts: { logger: '', version: '', schemaUrl: '', attributes: undefined, dropped: 0 },
    loggerJson: EMPTY_BYTES,
    afterAttributes: utf8Bytes(`},"resource":${resourceJson},"system":"${system}","kind":"`),
    afterAttributesL: utf8Bytes(`},"resource":${resourceJson},"system":"${system}","kind":"L"`),
    afterAttributesLSeq: utf8Bytes(`},"resource":${resourceJson},"system":"${system}","kind":"L","seq":`),
    tail: EMPTY_BYTES,
    chunk: undefined,
    chunkLevel: EMPTY_BYTES,
    chunkSeverity: 0,
  };
  let resourceTail = '';
  if (schemaUrl !== '') resourceTail += `,"resourceSchemaUrl":${JSON.stringify(schemaUrl)}`;
  if (dropped !== 0) resourceTail += `,"resourceDroppedAttributesCount":${dropped}`;
  for (let i = 0; i < scopeParts.length; i += 2) {
    if (!scopeLogs(r, scopeParts[i]!, scopeParts[i + 1]!, st, ctx, resourceTail)) return false;
  }
  return true;
}

function scopeLogs(r: Reader, start: number, end: number, st: WalkState, ctx: LineContext, resourceTail: string): boolean {
  r.pos = start;
  const records: number[] = [];
  let logger = '';
  let version = '';
  let schemaUrl = '';
  let attributes: Record<string, unknown> | undefined;
  let dropped = 0;
  while (r.pos < end) {
    const tag = r.uvarint();
    if (tag === 0x0a) {
      // InstrumentationScope{name=1, version=2, attributes=3, dropped_attributes_count=4}
      const e = r.len() + r.pos;
      if (e > end) return false;
      while (r.pos < e) {
        const t = r.uvarint();
        if (t === 0x0a) logger = r.string();
        else if (t === 0x12) version = r.string();
        else if (t === 0x1a) {
          if (readAttributeInto(r, (attributes ??= newMap()), 'loggerAttributes') !== undefined) return false;
        } else if (t === 0x20) dropped = r.uvarint();
        else r.skip(t & 7);
      }
      if (r.pos !== e) return false;
    } else if (tag === 0x12) {
      const n = r.len();
      if (r.pos + n > end) return false;
      records.push(r.pos, r.pos + n);
      r.pos += n;
    } else if (tag === 0x1a) schemaUrl = r.string();
    else r.skip(tag & 7);
  }
  if (r.pos !== end) return false;
  const scope: ScopeFacts = { logger, version, schemaUrl, attributes, dropped };
  ctx.scopeFacts = scope;
  ctx.loggerJson = utf8Bytes(JSON.stringify(logger));
  ctx.chunk = undefined;
  let tail = '';
  if (version !== '') tail += `,"loggerVersion":${JSON.stringify(version)}`;
  if (schemaUrl !== '') tail += `,"loggerSchemaUrl":${JSON.stringify(schemaUrl)}`;
  if (attributes !== undefined) {
    SCRATCH.reset();
    SCRATCH.appendValue(attributes);
    tail += `,"loggerAttributes":${SCRATCH.text()}`;
  }
  if (dropped !== 0) tail += `,"loggerDroppedAttributesCount":${dropped}`;
  ctx.tail = utf8Bytes(`${tail}${resourceTail}}\n`);
  const out = OUT.buf;
  for (let i = 0; i < records.length; i += 2) {
    const s = records[i]!;
    const e = records[i + 1]!;
    const index = st.index++;
    const lineStart = out.pos;
    const kind = transcodeRecord(st.payload, s, e, st.kind, ctx, out);
    if (kind !== 0) {
      OUT.endLine(ctx.system, kind);
      continue;
    }
    out.pos = lineStart;
    slowRecord(st, s, e, index, ctx);
  }
  return true;
}

/** A record the fast path did not take: the decoder's reader, then the object writer. */
function slowRecord(st: WalkState, start: number, end: number, index: number, ctx: LineContext): void {
  const e = decodeLogRecordAt(st.payload, start, end, st.kind, index);
  if (!('v' in e)) {
    st.errors.push(e);
    return;
  }
  setScopeFields(e, ctx.scopeFacts);
  setResourceFields(e, ctx.resourceFacts);
  SCRATCH.reset();
  try {
    SCRATCH.appendLine(e);
  } catch (err) {
    st.errors.push(unwritable(index, err));
    return;
  }
  OUT.buf.copy(SCRATCH.buf, 0, SCRATCH.pos);
  OUT.endLine(ctx.system, e.kind.charCodeAt(0));
}

/**
 * OTLP pass-through: which records arrived as one OTLP ExportLogsServiceRequest,
 * and that request's bytes, so an OTLP forwarder (the `otlp` plugin) can send
 * them on as they came instead of re-encoding them.
 *
 * A receiver calls rememberOtlpSource() with the entries of a request that were
 * all kept (none refused) and the request's (decompressed) bytes. The link is a
 * WeakMap keyed by the request's first entry, holding the entries array itself:
 * nothing is added to the entries (they are shared and read-only), and it goes
 * when the entries go. A batch is forwardable as is only where it holds the
 * exact run of a request's entries, in order, the very same objects: a filter
 * that dropped one, a lane that split the request, a plugin or transformation
 * that built new entries all break the run, and those records are re-encoded.
 *
 * Why the bytes can go as they are: the mapping of encodeOtlp is lossless, so
 * the request a producer sent says everything a re-encoding would (trace/span
 * ids native, distlog's scope facts as `distlog.*` attributes when a distlog
 * SDK wrote them). What it may lack is what distlogd assigned on the way in:
 * the system (T/S/P) of a resource without a `distlog.system` attribute (a
 * foreign SDK's, taken from the topic or the x-distlog-system header). Such a
 * Resource gets that attribute spliced in, as encodeOtlp would write it: only
 * the Resource and its ResourceLogs' length prefix are rewritten, the records'
 * bytes are copied as they came.
 * Several requests in one batch go as one: ExportLogsServiceRequest is a single
 * repeated field (resource_logs = 1), and concatenated encodings of a repeated
 * field are the encoding of the concatenated list.
 *
 * Remembering keeps each request's bytes alive as long as its first entry: about
 * the wire size again for every queued record. So it happens only while some
 * forwarder in the process wants it (wantOtlpSources(); the otlp plugin holds
 * it from create to shutdown); otherwise rememberOtlpSource() does nothing.
 */
import type { LogEntry } from './log-entry.js';
import { Reader } from './proto-wire.js';
import { ATTR_SYSTEM } from './attributes.js';
import { countOtlpRecords } from './otlp-decode.js';

interface OtlpSource {
  readonly entries: readonly LogEntry[];
  readonly request: Uint8Array;
  /**
   * The request's resource_logs fields, each Resource carrying `distlog.system`
   * (distlog's BatchMeta and unknown fields left out), made on first use; null
   * when the bytes cannot be read so (the records are then encoded).
   */
  resourceLogs?: Buffer | null;
}

const sources = new WeakMap<LogEntry, OtlpSource>();
let wanted = 0;

/** Declares that a forwarder will look for sources; returns the function that withdraws it (safe twice). */
export function wantOtlpSources(): () => void {
  wanted++;
  let done = false;
  return () => {
    if (!done) {
      done = true;
      wanted--;
    }
  };
}

/**
 * Marks `entries` as every record of the OTLP request `request`, in order and
 * none refused. Call it only then: forwarding the bytes would otherwise send
 * records the receiver dropped.
 */
export function rememberOtlpSource(entries: readonly LogEntry[], request: Uint8Array): void {
  if (wanted > 0 && entries.length > 0) sources.set(entries[0]!, { entries, request });
}

/** A run of a batch: bytes that encode exactly `count` of its records, or records still to encode. */
export type OtlpRun = { bytes: Buffer; count: number } | { entries: readonly LogEntry[] };

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

const SYSTEM_KEY = Buffer.from(ATTR_SYSTEM, 'utf8');

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field: tag byte(s), length, body. */
function field(tag: number, ...body: Buffer[]): Buffer {
  const len = body.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([varint(tag), varint(len), ...body]);
}

/** KeyValue { key = "distlog.system", value = AnyValue { string_value = system } }, as an attributes entry (field 1). */
function systemAttribute(system: string): Buffer {
  return field(0x0a, field(0x0a, SYSTEM_KEY), field(0x12, field(0x0a, Buffer.from(system, 'latin1'))));
}

/**
 * The `distlog.system` of a Resource body — the value when it is T, S or P,
 * undefined when absent, null when present with another value (then the
 * decoder used its default, which the bytes would not say) — and where its
 * attributes end (where a new one goes, as serializers write them: attributes
 * first, then dropped_attributes_count).
 */
function systemOfResource(buf: Buffer, start: number, end: number): { system: string | undefined | null; attributesEnd: number } {
  const r = new Reader(buf, start, end);
  let attributesEnd = start;
  while (r.pos < r.end) {
    const tag = r.uvarint();
    if (tag !== 0x0a) { r.skip(tag & 7); continue; }
    const kvEnd = r.len() + r.pos;
    attributesEnd = kvEnd;
    let isSystem = false;
    let value: string | null = null;
    while (r.pos < kvEnd) {
      const t = r.uvarint();
      if (t === 0x0a) {
        const k = r.bytes();
        isSystem = k.equals(SYSTEM_KEY);
      } else if (t === 0x12) {
        const vEnd = r.len() + r.pos;
        while (r.pos < vEnd) {
          const vt = r.uvarint();
          if (vt === 0x0a) value = r.string();
          else r.skip(vt & 7);
        }
      } else r.skip(t & 7);
    }
    if (isSystem) return { system: value === 'T' || value === 'S' || value === 'P' ? value : null, attributesEnd };
  }
  return { system: undefined, attributesEnd };
}

/**
 * One ResourceLogs field (`buf[at, end)`, its body from `start`), made
 * self-describing: as it came when its Resource names its system, else with
 * `distlog.system` spliced into the Resource. null when the Resource names
 * another system than distlogd gave its records.
 */
function selfDescribing(buf: Buffer, at: number, start: number, end: number, system: string | undefined): Buffer | null {
  const r = new Reader(buf, start, end);
  let resource: [number, number] | undefined; // the Resource field, tag to end
  let resourceBody: [number, number] | undefined;
  while (r.pos < r.end) {
    const from = r.pos;
    const tag = r.uvarint();
    if (tag === 0x0a && resource === undefined) {
      const n = r.len();
      resourceBody = [r.pos, r.pos + n];
      r.pos += n;
      resource = [from, r.pos];
    } else r.skip(tag & 7);
  }
  const found = resourceBody ? systemOfResource(buf, resourceBody[0], resourceBody[1]) : undefined;
  const own = found?.system;
  if (own === null) return null;
  if (own !== undefined || system === undefined) {
    // It says its system (and the decoder took it), or it has no records to say it for.
    if (own !== undefined && system !== undefined && own !== system) return null;
    return buf.subarray(at, end);
  }
  const attr = systemAttribute(system);
  if (!resource) return field(0x0a, field(0x0a, attr), buf.subarray(start, end));
  return field(
    0x0a,
    buf.subarray(start, resource[0]),
    field(0x0a, buf.subarray(resourceBody![0], found!.attributesEnd), attr, buf.subarray(found!.attributesEnd, resourceBody![1])),
    buf.subarray(resource[1], end),
  );
}

/**
 * The resource_logs fields of a request, each self-describing (see
 * selfDescribing), or null when it cannot be read so. `entries` are its
 * records in order: they tell the system distlogd gave each ResourceLogs.
 */
function resourceLogsOf(request: Uint8Array, entries: readonly LogEntry[]): Buffer | null {
  const buf = asBuffer(request);
  const r = new Reader(buf);
  const parts: Buffer[] = [];
  let index = 0;
  try {
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.uvarint();
      if (tag !== 0x0a) { r.skip(tag & 7); continue; }
      const n = r.len();
      const start = r.pos;
      r.pos += n;
      const records = countOtlpRecords(buf.subarray(at, r.pos));
      const system = records > 0 ? entries[index]?.system : undefined;
      index += records;
      const part = selfDescribing(buf, at, start, r.pos, system);
      if (part === null) return null;
      parts.push(part);
    }
  } catch {
    return null;
  }
  // The records counted must be exactly the entries: else the runs would not line up.
  if (index !== entries.length) return null;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function sourceRunAt(batch: readonly LogEntry[], i: number): OtlpSource | undefined {
  const src = sources.get(batch[i]!);
  if (!src) return undefined;
  const n = src.entries.length;
  if (n > batch.length - i) return undefined;
  for (let k = 1; k < n; k++) if (batch[i + k] !== src.entries[k]) return undefined;
  if (src.resourceLogs === undefined) src.resourceLogs = resourceLogsOf(src.request, src.entries);
  return src.resourceLogs === null ? undefined : src;
}

/**
 * Splits a batch, in order, into runs that are whole remembered requests
 * (their bytes) and runs of other records. A batch with no remembered request
 * comes back as one entries run, the same array.
 */
export function otlpSourceRuns(batch: readonly LogEntry[]): OtlpRun[] {
  const runs: OtlpRun[] = [];
  let loose = 0; // start of the current run of records to encode
  let i = 0;
  while (i < batch.length) {
    const src = sourceRunAt(batch, i);
    if (!src) {
      i++;
      continue;
    }
    if (loose < i) runs.push({ entries: batch.slice(loose, i) });
    runs.push({ bytes: src.resourceLogs!, count: src.entries.length });
    i += src.entries.length;
    loose = i;
  }
  if (loose === 0) return [{ entries: batch }];
  if (loose < batch.length) runs.push({ entries: batch.slice(loose) });
  return runs;
}

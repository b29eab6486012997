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
 * SDK wrote them). What it lacks is only what distlogd assigned on the way in:
 * a `distlog.system` resource attribute for a request that had none.
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

interface OtlpSource {
  readonly entries: readonly LogEntry[];
  readonly request: Uint8Array;
  /** Only the resource_logs fields of the request (distlog's BatchMeta and unknown fields left out), made on first use. */
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

/** The resource_logs fields of a request, or null when it cannot be read as one. */
function resourceLogsOf(request: Uint8Array): Buffer | null {
  const buf = asBuffer(request);
  const r = new Reader(buf);
  const ranges: [number, number][] = [];
  try {
    while (r.pos < r.end) {
      const start = r.pos;
      const tag = r.uvarint();
      r.skip(tag & 7);
      if (tag !== 0x0a) continue;
      const last = ranges[ranges.length - 1];
      if (last && last[1] === start) last[1] = r.pos;
      else ranges.push([start, r.pos]);
    }
  } catch {
    return null;
  }
  if (ranges.length === 1) return buf.subarray(ranges[0]![0], ranges[0]![1]);
  return Buffer.concat(ranges.map(([a, b]) => buf.subarray(a, b)));
}

function sourceRunAt(batch: readonly LogEntry[], i: number): OtlpSource | undefined {
  const src = sources.get(batch[i]!);
  if (!src) return undefined;
  const n = src.entries.length;
  if (n > batch.length - i) return undefined;
  for (let k = 1; k < n; k++) if (batch[i + k] !== src.entries[k]) return undefined;
  if (src.resourceLogs === undefined) src.resourceLogs = resourceLogsOf(src.request);
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

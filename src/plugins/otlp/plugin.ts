/**
 * The `otlp` plugin instance: each consumed batch is one OTLP/HTTP request
 * (ExportLogsServiceRequest in protobuf, gzip by default) to `endpoint`.
 * encodeOtlp writes the native trace/span ids and severity; distlog's own scope
 * facts (key, path, event, duration...) ride as `distlog.*` attributes, so an
 * OTLP backend shows them and a distlogd receiving them rebuilds the entry.
 *
 * Pass-through: records that arrived as OTLP (ZeroMQ encoding O, or the
 * OTLP/HTTP receiver) and reach this plugin as the whole, untouched set of
 * their request are sent as the request's own bytes, not re-encoded
 * (protocol/otlp-source.ts says when that holds); the rest of a batch is
 * encoded and the pieces are concatenated into one request. Counted:
 * `passthroughRecords` and `encodedRecords`.
 *
 * Outcomes, as the OTLP specification sorts them (otlp.md, "Failures"):
 * - 2xx: written; a `partial_success` with rejected_log_records is counted,
 *   logged (with the server's error_message) and reported to the collector as
 *   dropped for that many records.
 * - 429/502/503/504 and connection errors/timeouts: retried here, with
 *   exponential backoff (jittered) or the server's Retry-After, capped at
 *   retry.maxBackoffMs; after retry.maxAttempts consume() throws, so the
 *   collector keeps the batch in this plugin's bounded queue and its own
 *   `queue.retry` applies on top (which is why the attempts here are few).
 *   Retrying inside consume() is what lets Retry-After be honoured.
 * - any other 4xx/5xx: not retried (the request itself is wrong: auth, schema);
 *   counted, logged, and the batch is dropped ({ dropped: n }).
 */
import { promisify } from 'node:util';
import { otlpLogsToJson } from '../../protocol/otlp-to-json.js';
import { gzip } from 'node:zlib';
import type { LogEntry } from '../../protocol/log-entry.js';
import { encodeOtlp } from '../../protocol/index.js';
import { Reader } from '../../protocol/proto-wire.js';
import { otlpSourceRuns, wantOtlpSources } from '../../protocol/otlp-source.js';
import type { ConsumeResult, PluginContext, PluginInstance } from '../api.js';
import type { OtlpOptions } from './schema.js';

const gzipAsync = promisify(gzip);
const RETRYABLE = new Set([429, 502, 503, 504]);

export type OtlpSinkCounters = {
  requests: number;
  /** Records the backend accepted. */
  sent: number;
  /** Records the backend refused through partial_success. */
  rejectedByBackend: number;
  /** Batches dropped on a non-retryable status. */
  droppedBatches: number;
  droppedRecords: number;
  /** Attempts that got a retryable status or a connection error. */
  retries: number;
  /** Records sent as the bytes their OTLP request came in (no re-encoding). */
  passthroughRecords: number;
  /** Records encoded here (arrived as JSON, or filtered, split or built by the collector). */
  encodedRecords: number;
};

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** ExportLogsServiceResponse → partial_success { rejected_log_records, error_message }. */
function readPartialSuccess(body: Buffer): { rejected: number; message: string } {
  let rejected = 0;
  let message = '';
  if (body[0] === 0x7b) {
    // OTLP/JSON: {"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"..."}} (int64 as a string or number)
    try {
      const ps = (JSON.parse(body.toString('utf8')) as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } }).partialSuccess;
      const n = Number(ps?.rejectedLogRecords ?? 0);
      return { rejected: Number.isSafeInteger(n) && n > 0 ? n : 0, message: typeof ps?.errorMessage === 'string' ? ps.errorMessage : '' };
    } catch {
      return { rejected, message };
    }
  }
  try {
    const r = new Reader(body);
    while (r.pos < r.end) {
      const tag = r.uvarint();
      if (tag !== 0x0a) { r.skip(tag & 7); continue; }
      const end = r.len() + r.pos;
      while (r.pos < end) {
        const t = r.uvarint();
        if (t === 0x08) rejected = r.uvarint();
        else if (t === 0x12) message = r.string();
        else r.skip(t & 7);
      }
    }
  } catch {
    // A 2xx whose body is not a response we can read: the records were accepted.
  }
  return { rejected, message };
}

class RetryableFailure extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export class OtlpSink implements PluginInstance {
  private readonly c: OtlpSinkCounters = {
    requests: 0, sent: 0, rejectedByBackend: 0, droppedBatches: 0, droppedRecords: 0, retries: 0, passthroughRecords: 0, encodedRecords: 0,
  };
  private readonly aborter = new AbortController();
  private readonly headers: Record<string, string>;
  /** Withdraws this plugin's wish that receivers keep OTLP request bytes (see otlp-source.ts). */
  private readonly releaseSources = wantOtlpSources();

  constructor(
    private readonly options: OtlpOptions,
    private readonly ctx: PluginContext,
  ) {
    this.headers = { ...options.headers, 'content-type': options.encoding === 'json' ? 'application/json' : 'application/x-protobuf' };
    if (options.compression === 'gzip') this.headers['content-encoding'] = 'gzip';
  }

  start(): void {}

  describe(): string {
    return `OTLP/HTTP ${this.options.encoding === 'json' ? 'JSON' : 'protobuf'}${this.options.compression === 'gzip' ? ' (gzip)' : ''} to ${this.options.endpoint}`;
  }

  counters(): OtlpSinkCounters {
    return { ...this.c };
  }

  async consume(batch: readonly LogEntry[]): Promise<ConsumeResult | void> {
    if (batch.length === 0) return;
    const proto = this.requestBytes(batch);
    // JSON is written from the same bytes, passed-through requests included.
    const raw = this.options.encoding === 'json' ? Buffer.from(otlpLogsToJson(proto), 'utf8') : proto;
    const body = this.options.compression === 'gzip' ? await gzipAsync(raw) : raw;
    const { maxAttempts, initialBackoffMs, maxBackoffMs } = this.options.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(body, batch.length);
      } catch (err) {
        if (!(err instanceof RetryableFailure) || attempt >= maxAttempts || this.aborter.signal.aborted) throw err;
        this.c.retries++;
        const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
        const delay = err.retryAfterMs !== undefined ? Math.min(maxBackoffMs, err.retryAfterMs) : backoff * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** One ExportLogsServiceRequest for the batch: passed-through requests as they came, the rest encoded. */
  private requestBytes(batch: readonly LogEntry[]): Buffer {
    const runs = otlpSourceRuns(batch);
    if (runs.length === 1 && 'entries' in runs[0]!) {
      this.c.encodedRecords += batch.length;
      return encodeOtlp(batch);
    }
    const parts: Buffer[] = [];
    for (const run of runs) {
      if ('bytes' in run) {
        this.c.passthroughRecords += run.count;
        parts.push(run.bytes);
      } else {
        this.c.encodedRecords += run.entries.length;
        parts.push(encodeOtlp(run.entries));
      }
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private async send(body: Buffer, n: number): Promise<ConsumeResult | void> {
    this.c.requests++;
    let res: Response;
    try {
      res = await fetch(this.options.endpoint, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new RetryableFailure(`POST ${this.options.endpoint}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = Buffer.from(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
    if (res.ok) {
      const { rejected, message } = readPartialSuccess(text);
      if (rejected > 0) {
        this.c.rejectedByBackend += rejected;
        this.c.sent += n - rejected;
        this.ctx.logger.warn(`${this.options.endpoint} rejected ${rejected} of ${n} records: ${message || '(no message)'}`);
        return { dropped: Math.min(rejected, n) };
      }
      this.c.sent += n;
      return;
    }
    if (RETRYABLE.has(res.status)) {
      throw new RetryableFailure(`POST ${this.options.endpoint}: HTTP ${res.status}`, parseRetryAfter(res.headers.get('retry-after')));
    }
    this.c.droppedBatches++;
    this.c.droppedRecords += n;
    this.ctx.logger.error(`${this.options.endpoint} answered HTTP ${res.status} (not retryable): ${n} records dropped${statusMessage(text)}`);
    return { dropped: n };
  }

  flush(): void {}

  shutdown(): void {
    this.releaseSources();
    this.aborter.abort();
  }
}

/** The message of a google.rpc.Status body, when the body is one; else its first line of text. */
function statusMessage(body: Buffer): string {
  if (body.length === 0) return '';
  try {
    const r = new Reader(body);
    while (r.pos < r.end) {
      const tag = r.uvarint();
      if (tag === 0x12) return `: ${r.string()}`;
      r.skip(tag & 7);
    }
  } catch {
    // not protobuf
  }
  const line = body.toString('utf8', 0, Math.min(body.length, 200)).split('\n')[0]!;
  return /^[\x20-\x7e]+$/.test(line) ? `: ${line}` : '';
}

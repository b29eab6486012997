/**
 * OTLP/HTTP logs receiver: POST /v1/logs with an ExportLogsServiceRequest in
 * protobuf or OTLP/JSON (transcoded to protobuf by otlp-json.ts), optionally gzip. Its records enter the same router as the ZeroMQ
 * receiver's (kind L; system from the `x-distlog-system` header or the config).
 *
 * `node:http`, not a framework: no dependency, and full control of the body
 * limits, which is what matters here. The body is read chunk by chunk and cut
 * at `maxBodyBytes` as sent; a gzip body is inflated with `maxOutputLength`, so
 * a gzip bomb stops at `maxDecompressedBytes` without ever being held whole.
 *
 * Status codes follow the OTLP specification (otlp.md, "OTLP/HTTP Response"):
 * 200 with an ExportLogsServiceResponse (partial_success when records were
 * refused), 400 with a google.rpc.Status for a payload that cannot be decoded,
 * 413 for an oversize body, 415 for a content type other than protobuf or JSON.
 * A JSON request gets its Status and response in JSON. Every
 * refusal is counted in the collector's bad-input counters.
 *
 * Backpressure: while a `block` plugin lane is full (router.mustWait, the same
 * signal that stops the ZeroMQ receiver reading), a request is answered 503
 * with `Retry-After` (receiver.otlpHttp.retryAfterSeconds) before its body is
 * read, and counted (`throttledRequests`): OTLP clients retry 503 with backoff,
 * so the records wait in the sender's queue instead of an unbounded one here.
 * 503, not 429: the cause is this collector's pipeline, not the client's rate.
 *
 * Like the ZeroMQ receiver, it makes JSON lines straight from the protobuf
 * (otlpToJsonLines) when no plugin lane needs LogEntry objects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, type InputType } from 'node:zlib';
import { decodeOtlp, countOtlpRecords } from '../protocol/index.js';
import { otlpToJsonLines } from '../protocol/otlp-lines.js';
import type { EntryError } from '../protocol/errors.js';
import { batchLength, isLines, type Batch } from './batch.js';
import { Writer } from '../protocol/proto-wire.js';
import { rememberOtlpSource } from '../protocol/otlp-source.js';
import { otlpJsonToProtobuf } from './otlp-json.js';
import type { SystemCode } from '../protocol/log-entry.js';
import { defaultsOf } from '../plugins/api.js';
import type { BadInputReporter } from './bad-input.js';
import { OtlpHttpReceiverSchema, type OtlpHttpReceiverConfig } from './config-schema.js';
import type { Router } from './router.js';

const gunzipAsync = promisify(gunzip) as (buf: InputType, opts: { maxOutputLength: number }) => Promise<Buffer>;

export const DEFAULT_OTLP_HTTP = defaultsOf(OtlpHttpReceiverSchema) as OtlpHttpReceiverConfig;

export interface OtlpHttpCounters {
  requests: number;
  records: number;
  bytes: number;
  /** Requests answered with 4xx. */
  refusedRequests: number;
  /** Records dropped from otherwise good requests (reported in partial_success). */
  rejectedRecords: number;
  /** Requests answered 503 + Retry-After because a blocking plugin lane was full (backpressure). */
  throttledRequests: number;
}

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
/** google.rpc.Code values the spec pairs with the HTTP statuses. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_RESOURCE_EXHAUSTED = 8;
const RPC_UNAVAILABLE = 14;
const RPC_INTERNAL = 13;

class HttpRefusal extends Error {
  constructor(readonly status: number, readonly rpcCode: number, message: string) {
    super(message);
  }
}

/** google.rpc.Status { code = 1; message = 2 } */
export function encodeRpcStatus(code: number, message: string): Buffer {
  const w = new Writer(256);
  w.byte(0x08);
  w.uvarint(code);
  w.byte(0x12);
  w.string(message);
  return w.finish();
}

/** ExportLogsServiceResponse { partial_success = 1 { rejected_log_records = 1; error_message = 2 } } */
export function encodeExportLogsResponse(rejected: number, errorMessage: string): Buffer {
  if (rejected === 0 && errorMessage === '') return Buffer.alloc(0);
  const inner = new Writer(256);
  if (rejected) {
    inner.byte(0x08);
    inner.uvarint(rejected);
  }
  if (errorMessage) {
    inner.byte(0x12);
    inner.string(errorMessage);
  }
  const body = inner.finish();
  const w = new Writer(body.length + 8);
  w.byte(0x0a);
  w.uvarint(body.length);
  w.ensure(body.length);
  body.copy(w.buf, w.pos);
  w.pos += body.length;
  return w.finish();
}

function splitHostPort(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(endpoint.slice(i + 1)) };
}

export class OtlpHttpReceiver {
  private readonly server: Server;
  private readonly c: OtlpHttpCounters = { requests: 0, records: 0, bytes: 0, refusedRequests: 0, rejectedRecords: 0, throttledRequests: 0 };
  private bound = '';

  constructor(
    private readonly cfg: OtlpHttpReceiverConfig,
    private readonly router: Router,
    private readonly bad: BadInputReporter,
    private readonly log: (line: string) => void,
    private readonly maxRecordsPerRequest = 100_000,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Idle keep-alive connections must not hold stop() open.
    this.server.keepAliveTimeout = 5_000;
  }

  counters(): OtlpHttpCounters {
    return { ...this.c };
  }

  /** Listens; resolves with `http://host:port` (port 0 resolved). */
  async start(): Promise<string> {
    const { host, port } = splitHostPort(this.cfg.endpoint);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    }).catch((err: Error) => {
      throw new Error(`OTLP/HTTP receiver cannot listen on ${this.cfg.endpoint}: ${err.message}`);
    });
    const addr = this.server.address();
    const p = typeof addr === 'object' && addr ? addr.port : port;
    this.bound = `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
    return this.bound;
  }

  get url(): string {
    return this.bound;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    await closed;
  }

  /** Answers a refusal with a google.rpc.Status in the request's own format (protobuf or JSON). */
  private refuse(res: ServerResponse, r: HttpRefusal, reason: 'size' | 'encoding' | 'schema' | 'entry_count' | 'json', from: string, json = false): void {
    this.c.refusedRequests++;
    this.bad.record(reason, `OTLP/HTTP ${r.status}: ${r.message}`, from);
    const body = json ? Buffer.from(JSON.stringify({ code: r.rpcCode, message: r.message })) : encodeRpcStatus(r.rpcCode, r.message);
    res.writeHead(r.status, { 'content-type': json ? JSON_TYPE : PROTOBUF, 'content-length': body.length });
    res.end(body);
  }

  /** 503 + Retry-After: a plugin lane that holds the receivers is full. The body is drained unread. */
  private throttle(req: IncomingMessage, res: ServerResponse, json: boolean): void {
    this.c.throttledRequests++;
    req.resume();
    const message = 'distlogd is applying backpressure: a plugin queue is full; retry later';
    const body = json ? Buffer.from(JSON.stringify({ code: RPC_UNAVAILABLE, message })) : encodeRpcStatus(RPC_UNAVAILABLE, message);
    res.writeHead(503, {
      'content-type': json ? JSON_TYPE : PROTOBUF,
      'content-length': body.length,
      'retry-after': String(this.cfg.retryAfterSeconds),
    });
    res.end(body);
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const limit = this.cfg.maxBodyBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      throw new HttpRefusal(413, RPC_RESOURCE_EXHAUSTED, `body of ${declared} bytes exceeds receiver.otlpHttp.maxBodyBytes ${limit}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new HttpRefusal(413, RPC_RESOURCE_EXHAUSTED, `body exceeds receiver.otlpHttp.maxBodyBytes ${limit}`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const from = `${req.socket.remoteAddress ?? '?'}`;
    try {
      if (req.url?.split('?')[0] !== '/v1/logs') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only POST /v1/logs is served here\n');
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('use POST\n');
        return;
      }
      this.c.requests++;
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const json = type === JSON_TYPE;
      if (type !== PROTOBUF && !json) {
        // Drain what was sent so the connection stays usable, then refuse.
        req.resume();
        this.refuse(res, new HttpRefusal(415, RPC_INVALID_ARGUMENT, `unsupported content type ${JSON.stringify(type)}: send ${PROTOBUF} or ${JSON_TYPE}`), 'encoding', from);
        return;
      }
      if (this.router.mustWait) {
        this.throttle(req, res, json);
        return;
      }
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding !== 'gzip' && encoding !== 'identity') {
        req.resume();
        this.refuse(res, new HttpRefusal(415, RPC_INVALID_ARGUMENT, `unsupported content encoding ${JSON.stringify(encoding)}: send gzip or none`), 'encoding', from, json);
        return;
      }
      let body: Buffer;
      try {
        body = await this.readBody(req);
      } catch (err) {
        if (err instanceof HttpRefusal) {
          req.resume();
          res.setHeader('connection', 'close');
          this.refuse(res, err, 'size', from, json);
          return;
        }
        throw err;
      }
      this.c.bytes += body.length;
      if (encoding === 'gzip') {
        try {
          body = await gunzipAsync(body, { maxOutputLength: this.cfg.maxDecompressedBytes });
        } catch (err) {
          const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
          if (tooBig) {
            this.refuse(res, new HttpRefusal(413, RPC_RESOURCE_EXHAUSTED, `gzip body inflates past receiver.otlpHttp.maxDecompressedBytes ${this.cfg.maxDecompressedBytes}`), 'size', from, json);
          } else {
            this.refuse(res, new HttpRefusal(400, RPC_INVALID_ARGUMENT, `gzip body cannot be inflated: ${(err as Error).message}`), 'encoding', from, json);
          }
          return;
        }
      }
      if (json) {
        try {
          body = otlpJsonToProtobuf(JSON.parse(body.toString('utf8')));
        } catch (err) {
          this.refuse(res, new HttpRefusal(400, RPC_INVALID_ARGUMENT, `not an OTLP/JSON ExportLogsServiceRequest: ${(err as Error).message}`), 'json', from, true);
          return;
        }
      }
      this.accept(body, req, res, from, json);
    } catch (err) {
      this.log(`OTLP/HTTP receiver: ${(err as Error).message}`);
      if (!res.headersSent) {
        const body = encodeRpcStatus(RPC_INTERNAL, 'internal error');
        res.writeHead(500, { 'content-type': PROTOBUF, 'content-length': body.length }).end(body);
      } else res.destroy();
    }
  }

  private accept(body: Buffer, req: IncomingMessage, res: ServerResponse, from: string, json: boolean): void {
    const header = req.headers['x-distlog-system'];
    const system: SystemCode = header === 'T' || header === 'S' || header === 'P' ? header : this.cfg.system;
    let decoded: { records: Batch; errors: EntryError[] };
    try {
      const n = countOtlpRecords(body);
      if (n > this.maxRecordsPerRequest) {
        this.refuse(res, new HttpRefusal(413, RPC_RESOURCE_EXHAUSTED, `${n} log records exceed receiver.maxEntriesPerMessage ${this.maxRecordsPerRequest}`), 'entry_count', from, json);
        return;
      }
      if (this.router.needsEntries) {
        const d = decodeOtlp(body, { system, kind: 'L' });
        decoded = { records: d.entries, errors: d.errors };
      } else {
        const d = otlpToJsonLines(body, { system, kind: 'L' }, undefined, this.router.slabs);
        decoded = { records: d.lines, errors: d.errors };
      }
    } catch (err) {
      this.refuse(res, new HttpRefusal(400, RPC_INVALID_ARGUMENT, `not an ExportLogsServiceRequest: ${(err as Error).message}`), 'schema', from, json);
      return;
    }
    let message = '';
    if (decoded.errors.length) {
      const first = decoded.errors[0]!;
      const more = decoded.errors.length > 1 ? ` and ${decoded.errors.length - 1} more` : '';
      message = `log record ${first.index} refused: ${first.path}: ${first.message}${more}`;
      this.c.rejectedRecords += decoded.errors.length;
      this.bad.record('entry', `OTLP/HTTP ${message}`, from, decoded.errors.length);
    }
    const records = decoded.records;
    const n = batchLength(records);
    // All records kept: the otlp plugin may forward this body as is (protocol/otlp-source.ts).
    // Only entries carry it: the otlp plugin takes no lines, so its presence means entries.
    if (decoded.errors.length === 0 && !isLines(records)) rememberOtlpSource(records, body);
    this.c.records += n;
    // Lines count their real bytes in the lanes; an entry its share of the body.
    this.router.dispatch(records, n > 0 ? (isLines(records) ? records.bytes.length : body.length) / n : 0);
    const rejected = decoded.errors.length;
    const out = json
      ? Buffer.from(JSON.stringify(rejected ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: message } } : {}))
      : encodeExportLogsResponse(rejected, message);
    res.writeHead(200, { 'content-type': json ? JSON_TYPE : PROTOBUF, 'content-length': out.length });
    res.end(out);
  }
}

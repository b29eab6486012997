/**
 * A real OpenTelemetry Collector for tests (built by scripts/install.sh with the
 * Collector Builder; cached in ~/.cache/distlog/otelcol-0.161.0, or $OTELCOL_BIN).
 * Started with a generated config: the OTLP/HTTP receiver on a free loopback
 * port, the file exporter writing OTLP JSON lines to a temp file, and, when asked,
 * an otlphttp exporter to a given logs URL. A missing binary fails the test,
 * naming scripts/install.sh; never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../collector/helpers.js';

export const OTELCOL_VERSION = '0.161.0';

export function otelcolBinary(): string {
  const bin = process.env.OTELCOL_BIN ?? join(process.env.DISTLOG_CACHE ?? join(homedir(), '.cache', 'distlog'), `otelcol-${OTELCOL_VERSION}`, 'otelcol-distlog');
  if (!existsSync(bin)) throw new Error(`OpenTelemetry Collector binary ${bin} not found: run scripts/install.sh (it builds otelcol-distlog ${OTELCOL_VERSION})`);
  return bin;
}

export interface OtelcolOptions {
  /** Also export every log record to this OTLP/HTTP logs URL (…/v1/logs). */
  forwardTo?: string;
  /**
   * `file` (default): OTLP JSON lines read by fileRecords(); `debug`: the debug
   * exporter at `verbosity: basic` (one line per batch, the cheapest sink: benchmarks).
   */
  sink?: 'file' | 'debug';
}

export class Otelcol {
  private output = '';
  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
    readonly dir: string,
  ) {
    proc.stdout?.on('data', (b: Buffer) => (this.output += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (this.output += b.toString()));
  }

  /** The Collector's OTLP/HTTP logs URL. */
  get logsUrl(): string {
    return `http://127.0.0.1:${this.port}/v1/logs`;
  }

  get filePath(): string {
    return join(this.dir, 'logs.jsonl');
  }

  get log(): string {
    return this.output;
  }

  static async start(options: OtelcolOptions = {}): Promise<Otelcol> {
    const bin = otelcolBinary();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'distlog-otelcol-'));
    const exporters: Record<string, unknown> = options.sink === 'debug'
      ? { debug: { verbosity: 'basic' } }
      : { file: { path: join(dir, 'logs.jsonl'), format: 'json', flush_interval: '100ms' } };
    if (options.forwardTo) {
      exporters.otlphttp = { logs_endpoint: options.forwardTo, compression: 'gzip', retry_on_failure: { enabled: false }, sending_queue: { enabled: false } };
    }
    const config = {
      receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${port}` } } } },
      exporters,
      service: {
        telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
        pipelines: { logs: { receivers: ['otlp'], exporters: Object.keys(exporters) } },
      },
    };
    // JSON is YAML: the Collector reads it as its config file.
    writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config, null, 2));
    const proc = spawn(bin, [`--config=file:${join(dir, 'config.yaml')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const col = new Otelcol(proc, port, dir);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(col.logsUrl, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) return col;
      const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 100))]);
      if (code !== 'wait') throw new Error(`otelcol exited (${code}) before it was ready:\n${col.output}`);
      if (Date.now() > deadline) {
        await col.stop();
        throw new Error(`otelcol not ready on ${col.logsUrl} after 30 s:\n${col.output}`);
      }
    }
  }

  /** Every ExportLogsServiceRequest line the file exporter wrote so far, parsed. */
  fileRequests(): OtlpJsonRequest[] {
    if (!existsSync(this.filePath)) return [];
    // Only whole lines: the exporter may be mid-way through writing the last one.
    const text = readFileSync(this.filePath, 'utf8');
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    return whole.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as OtlpJsonRequest);
  }

  /** The file's log records flattened, each with its resource and scope. */
  fileRecords(): { resource: OtlpJsonAttr[]; scope: { name?: string; version?: string }; record: OtlpJsonRecord }[] {
    const out = [];
    for (const req of this.fileRequests()) {
      for (const rl of req.resourceLogs ?? []) {
        for (const sl of rl.scopeLogs ?? []) {
          for (const record of sl.logRecords ?? []) out.push({ resource: rl.resource?.attributes ?? [], scope: sl.scope ?? {}, record });
        }
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface OtlpJsonAttr {
  key: string;
  value: { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean; [k: string]: unknown };
}
export interface OtlpJsonRecord {
  timeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: { stringValue?: string };
  attributes?: OtlpJsonAttr[];
  traceId?: string;
  spanId?: string;
  flags?: number;
}
interface OtlpJsonRequest {
  resourceLogs?: { resource?: { attributes?: OtlpJsonAttr[] }; scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: OtlpJsonRecord[] }[] }[];
}

/** An OTLP JSON attribute list as a plain object of its string/int/bool/double values. */
export function attrs(list: OtlpJsonAttr[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? []) {
    const v = a.value;
    out[a.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? v;
  }
  return out;
}

/**
 * Shared by the interop tests: records made by the OpenTelemetry JS SDK itself,
 * and the Python OpenTelemetry virtual environment that scripts/install.sh makes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';
export const RESOURCE_SCHEMA = 'https://opentelemetry.io/schemas/1.26.0';
export const SCOPE_SCHEMA = 'https://opentelemetry.io/schemas/1.27.0';

/**
 * One of each shape a real SDK sends: a versioned logger with a schema URL and
 * scope attributes, an event name, a map body, trace context sampled and not,
 * no severity text, an exception with only a message, bytes and nested values.
 */
export function sdkRecords(): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.4.1', 'process.pid': 4242 }, { schemaUrl: RESOURCE_SCHEMA }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const sampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE });
  const versioned = provider.getLogger('shop.payments', '1.8.0', { schemaUrl: SCOPE_SCHEMA, attributes: { 'lib.kind': 'http', 'lib.tier': 2 } });
  const plain = provider.getLogger('shop.plain');
  const ts = (s: number, ns: number): [number, number] => [s, ns];
  versioned.emit({
    timestamp: ts(1795568645, 885001234),
    observedTimestamp: ts(1795568645, 885009999),
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    eventName: 'payment.authorized',
    body: { order: 'A-17', amount: 99.5, items: [1, 'two', { sku: 'X' }], paid: true, note: '' },
    context: sampled,
    attributes: { 'user.id': 'leo', retries: 3, ratio: 0.25, digest: new Uint8Array([0, 1, 2, 254, 255]), tags: ['a', 'b'], 'Grüße 😀': 'ünïcödé' },
  });
  versioned.emit({
    timestamp: ts(1795568645, 885002000),
    severityNumber: SeverityNumber.WARN2,
    body: 'no severity text here',
    context: unsampled,
  });
  plain.emit({
    timestamp: ts(1795568645, 885003000),
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'card declined',
    attributes: { 'exception.message': 'declined by issuer' },
  });
  plain.emit({ timestamp: ts(1795568645, 885004000), body: 'no severity at all' });
  return memory.getFinishedLogRecords();
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = join(here, 'fixtures');

/** Where scripts/install.sh puts the Python OpenTelemetry venv (same rule as the script). */
export function pythonVenvDir(): string {
  const env = process.env.DISTLOG_PYOTEL_VENV;
  if (env) return env;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'distlog', 'pyotel-venv');
}

/** The venv's python; throws (the test fails, never skips) when it is missing. */
export function venvPython(): string {
  const python = join(pythonVenvDir(), 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error(`the Python OpenTelemetry venv is missing (${python}): run scripts/install.sh, which creates it`);
  }
  return python;
}

/** Runs a fixture script with the venv's python; returns stdout, throws with stderr on failure. */
export function runPython(script: string, input?: Buffer): Buffer {
  const r = spawnSync(venvPython(), [join(FIXTURES, script)], { input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}

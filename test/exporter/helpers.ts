/**
 * Shared by the exporter tests: an OTel LoggerProvider wired to the exporter,
 * span contexts for records, and free loopback ports / PULL sockets.
 */
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { Pull } from 'zeromq';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const SPAN_ID = 'b7ad6b7169203331';

export const RESOURCE_ATTRS = { 'service.name': 'checkout', 'host.name': 'box-1', 'process.pid': 4242 };

export function providerFor(exporter: LogRecordExporter): LoggerProvider {
  return new LoggerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRS),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
}

export function spanContext(traceId = TRACE_ID, spanId = SPAN_ID): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
}

/** A loopback TCP port nothing listens on (bound by the OS, then released). */
export { freePort as deadPort } from '../collector/helpers.js';

/** A PULL socket on a free loopback port, standing in for distlogd. */
export async function pullSocket(): Promise<{ pull: Pull; endpoint: string }> {
  const pull = new Pull({ linger: 0, receiveTimeout: 5000 });
  await pull.bind('tcp://127.0.0.1:*');
  const endpoint = pull.lastEndpoint;
  if (endpoint === null) throw new Error('PULL socket did not report its endpoint');
  return { pull, endpoint };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

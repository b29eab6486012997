/** The `otlp` plugin: records to an OpenTelemetry Collector or any OTLP/HTTP logs backend. */
import type { PluginFactory } from '../api.js';
import { OtlpSink } from './plugin.js';
import { OtlpOptionsSchema } from './schema.js';

export const otlpPlugin: PluginFactory<typeof OtlpOptionsSchema> = {
  type: 'otlp',
  configSchema: OtlpOptionsSchema,
  create: (options, ctx) => new OtlpSink(options, ctx),
};

export { OtlpSink, type OtlpSinkCounters, parseRetryAfter } from './plugin.js';
export { OtlpOptionsSchema, type OtlpOptions } from './schema.js';

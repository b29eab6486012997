/**
 * Where distlog's own emitters (the facade, scope records, perf) get their
 * OpenTelemetry loggers: the provider register() built, even when another
 * provider owns the global slot; otherwise the global Logs API.
 */
import { logs, type Logger, type LoggerProvider } from '@opentelemetry/api-logs';

let own: LoggerProvider | undefined;

export function setOwnProvider(provider: LoggerProvider | undefined): void {
  own = provider;
}

export function otelLogger(name: string): Logger {
  return own ? own.getLogger(name) : logs.getLogger(name);
}

/**
 * The logger facade: `getLogger(name).info('saved %s', id, { ms })`.
 * A thin front over an OpenTelemetry logger. The level check is one number
 * compare against a threshold cached when the level rules change, so a call
 * at a disabled level costs next to nothing.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { emitRecord } from './otel-loggers.js';
import { formatMessage, splitArgs } from './format.js';
import type { LevelName, LevelRules } from './levels.js';
import { LEVEL_SEVERITY } from './levels.js';
import { exceptionAttributes } from './scope-records.js';

export class Logger {
  /** @internal lowest severity let through; refreshed by the level rules */
  threshold: number;

  constructor(
    readonly name: string,
    private readonly levels: LevelRules,
  ) {
    this.threshold = levels.thresholdFor(name);
  }

  /** @internal */
  refresh(): void {
    this.threshold = this.levels.thresholdFor(this.name);
  }

  isLevelEnabled(level: LevelName): boolean {
    return LEVEL_SEVERITY[level] >= this.threshold;
  }

  trace(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.TRACE >= this.threshold) this.emit(SeverityNumber.TRACE, 'TRACE', msg, args, undefined);
  }
  debug(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.DEBUG >= this.threshold) this.emit(SeverityNumber.DEBUG, 'DEBUG', msg, args, undefined);
  }
  info(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.INFO >= this.threshold) this.emit(SeverityNumber.INFO, 'INFO', msg, args, undefined);
  }
  warn(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.WARN >= this.threshold) this.emit(SeverityNumber.WARN, 'WARN', msg, args, undefined);
  }
  error(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.ERROR >= this.threshold) this.emit(SeverityNumber.ERROR, 'ERROR', msg, args, undefined);
  }
  fatal(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.FATAL >= this.threshold) this.emit(SeverityNumber.FATAL, 'FATAL', msg, args, undefined);
  }

  /** An ERROR record describing `err` (type, message, stack); message defaults to err.message. */
  exception(err: unknown, msg?: string, ...args: unknown[]): void {
    if (SeverityNumber.ERROR < this.threshold) return;
    const text = msg ?? (err instanceof Error ? err.message : String(err));
    this.emit(SeverityNumber.ERROR, 'ERROR', text, msg === undefined ? [] : args, exceptionAttributes(err));
  }

  private emit(
    severity: SeverityNumber,
    text: string,
    msg: string,
    args: unknown[],
    extra: Record<string, string> | undefined,
  ): void {
    let message = msg;
    let attributes: Record<string, unknown> | undefined;
    try {
      if (args.length > 0) {
        const split = splitArgs(msg, args);
        message = formatMessage(msg, args, split.formatCount);
        attributes = split.data;
      } else if (typeof msg !== 'string') {
        message = String(msg);
      }
    } catch {
      message = String(msg); // an argument whose inspection throws must not lose the record
    }
    if (extra) attributes = attributes ? { ...attributes, ...extra } : extra;
    emitRecord(this.name, severity, text, message, attributes as never);
  }
}

/**
 * The logger facade: `getLogger(name).info('saved %s', id, { ms })`.
 * A thin front over an OpenTelemetry logger. The level check is one number
 * compare against a threshold cached when the level rules change, so a call
 * at a disabled level costs next to nothing.
 *
 * Arguments: `(msg, ...formatArgs, error?, data?)`. A trailing plain object no
 * placeholder consumes is data (attributes); a trailing Error no placeholder
 * consumes (`log.error('failed', err)`, the pino habit) fills the
 * `exception.type/message/stacktrace` attributes instead of being pasted into
 * the message. `log.error(err)` and `log.error(err, 'msg %s', x)` work too.
 * A call never throws: a record that cannot be built is counted as dropped.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import { formatMessage, splitLogArgs } from './format.js';
import { captureInto } from './internal/capture.js';
import { emitRecord } from './internal/emit.js';
import { errorMessage, exceptionAttributes, isError } from './internal/exception.js';
import { sdkHealth } from './internal/health.js';
import type { LevelName, LevelRules } from './levels.js';
import { LEVEL_SEVERITY } from './levels.js';

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
    if (SeverityNumber.TRACE >= this.threshold) this.emit(SeverityNumber.TRACE, 'TRACE', msg, args);
  }
  debug(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.DEBUG >= this.threshold) this.emit(SeverityNumber.DEBUG, 'DEBUG', msg, args);
  }
  info(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.INFO >= this.threshold) this.emit(SeverityNumber.INFO, 'INFO', msg, args);
  }
  warn(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.WARN >= this.threshold) this.emit(SeverityNumber.WARN, 'WARN', msg, args);
  }
  error(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.ERROR >= this.threshold) this.emit(SeverityNumber.ERROR, 'ERROR', msg, args);
  }
  fatal(msg: string, ...args: unknown[]): void {
    if (SeverityNumber.FATAL >= this.threshold) this.emit(SeverityNumber.FATAL, 'FATAL', msg, args);
  }

  /** An ERROR record describing `err` (type, message, stack); message defaults to err.message. */
  exception(err: unknown, msg?: string, ...args: unknown[]): void {
    if (SeverityNumber.ERROR < this.threshold) return;
    try {
      if (msg === undefined) this.emitWith(SeverityNumber.ERROR, 'ERROR', errorMessage(err), [], exceptionAttributes(err));
      else this.emitWith(SeverityNumber.ERROR, 'ERROR', msg, args, exceptionAttributes(err));
    } catch (e) {
      sdkHealth.recordDropped(this.name, e);
    }
  }

  private emit(severity: SeverityNumber, text: string, msg: string, args: unknown[]): void {
    try {
      if (typeof msg !== 'string' && isError(msg)) {
        // pino's order: log.error(err) / log.error(err, 'msg %s', x)
        const err: unknown = msg;
        const [first, ...rest] = args;
        if (typeof first === 'string') this.emitWith(severity, text, first, rest, exceptionAttributes(err));
        else this.emitWith(severity, text, errorMessage(err), args, exceptionAttributes(err));
        return;
      }
      this.emitWith(severity, text, msg, args, undefined);
    } catch (e) {
      sdkHealth.recordDropped(this.name, e);
    }
  }

  private emitWith(
    severity: SeverityNumber,
    text: string,
    msg: string,
    args: unknown[],
    exception: Record<string, string> | undefined,
  ): void {
    let message: string;
    let attributes: Record<string, unknown> | undefined;
    if (typeof msg !== 'string') msg = String(msg);
    if (args.length === 0) {
      message = msg;
    } else {
      const split = splitLogArgs(msg, args);
      if (split.data !== undefined) {
        attributes = {};
        captureInto(attributes, split.data, `a log call of ${this.name}`);
      }
      if (split.error !== undefined && exception === undefined) exception = exceptionAttributes(split.error);
      try {
        message = formatMessage(msg, args, split.formatCount);
      } catch {
        message = String(msg); // an argument whose inspection throws must not lose the record
      }
    }
    if (exception !== undefined) attributes = attributes === undefined ? exception : Object.assign(attributes, exception);
    emitRecord(this.name, severity, text, message, attributes);
  }
}

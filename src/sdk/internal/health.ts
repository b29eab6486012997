/**
 * What the SDK itself lost while building records from application data:
 * telemetry never throws into the application, so a record whose inputs throw
 * (a getter, a Proxy trap) is dropped or has the unreadable value replaced,
 * and counted here. The first loss of each kind is also reported once through
 * OpenTelemetry's diag logger.
 */
import { diag } from '@opentelemetry/api';

export interface SdkStats {
  /** Records that could not be built at all and were not emitted. */
  droppedRecords: number;
  /** Values (attributes, context data, format arguments) that threw when read and were replaced by a marker. */
  unreadableValues: number;
}

export class SdkHealth {
  private dropped = 0;
  private unreadable = 0;
  private warnedDropped = false;
  private warnedUnreadable = false;

  recordDropped(where: string, err: unknown): void {
    this.dropped++;
    if (!this.warnedDropped) {
      this.warnedDropped = true;
      diag.warn(`distlog: a ${where} record could not be built and was dropped (${describe(err)}); further drops are only counted (handle.sdkStats())`);
    }
  }

  valueUnreadable(where: string, err: unknown): void {
    this.unreadable++;
    if (!this.warnedUnreadable) {
      this.warnedUnreadable = true;
      diag.warn(`distlog: a value in ${where} threw when read (${describe(err)}); it was replaced by a marker; further cases are only counted (handle.sdkStats())`);
    }
  }

  stats(): SdkStats {
    return { droppedRecords: this.dropped, unreadableValues: this.unreadable };
  }
}

/** A short, never-throwing description of a thrown value. */
export function describe(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return String(err);
  } catch {
    return 'unprintable error';
  }
}

export const sdkHealth = new SdkHealth();

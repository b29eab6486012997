/** A diag warning given at most once per instance (per process, for module-level instances). */
import { diag } from '@opentelemetry/api';

export class OnceWarning {
  private warned = false;

  warn(message: () => string): void {
    if (this.warned) return;
    this.warned = true;
    diag.warn(message());
  }
}

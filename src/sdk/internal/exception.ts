/**
 * Describes any thrown value as OpenTelemetry exception attributes
 * (`exception.type`, `.message`, `.stacktrace`). Never throws: an Error whose
 * getters throw is described by what can be read.
 */
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from '../../protocol/attributes.js';
import { types } from 'node:util';
import { describe } from './health.js';

/** An Error (also one from another realm, or a subclass). */
export function isError(v: unknown): v is Error {
  try {
    return v instanceof Error || types.isNativeError(v);
  } catch {
    return false;
  }
}

function read<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

export function exceptionAttributes(err: unknown): Record<string, string> {
  if (isError(err)) {
    const ctorName = read(() => (err as { constructor?: { name?: unknown } }).constructor?.name);
    const name = read(() => err.name);
    const type = typeof ctorName === 'string' && ctorName !== '' && ctorName !== 'Error' ? ctorName : typeof name === 'string' ? name : 'Error';
    const message = read(() => err.message);
    const attrs: Record<string, string> = {
      [ATTR_EXCEPTION_TYPE]: type,
      [ATTR_EXCEPTION_MESSAGE]: typeof message === 'string' ? message : describe(message),
    };
    const stack = read(() => err.stack);
    if (typeof stack === 'string') attrs[ATTR_EXCEPTION_STACKTRACE] = stack;
    return attrs;
  }
  let text: string;
  try {
    text = typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    text = describe(err);
  }
  return { [ATTR_EXCEPTION_TYPE]: typeof err, [ATTR_EXCEPTION_MESSAGE]: text };
}

/** The message of a thrown value, for a log line. */
export function errorMessage(err: unknown): string {
  const m = isError(err) ? read(() => err.message) : undefined;
  return typeof m === 'string' ? m : describe(err);
}

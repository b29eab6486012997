/**
 * ZeroMQ endpoints as distlog accepts them, for the exporter's `endpoint`, the
 * receiver's `endpoints` and the control channel: checked here so an error names
 * the bad address (libzmq's own says only "Invalid argument").
 *
 *   tcp://HOST:PORT    HOST a name, an IPv4 address, [IPv6] or * (all
 *                      interfaces, bind only); PORT 0-65535 or * (any free port, bind only)
 *   ipc://PATH         a Unix socket path
 *   inproc://NAME      in-process
 */

/** distlogd's default PULL endpoint; the exporter's default target. */
export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:5010';

const PORT = '(?:\\*|6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})';
const HOST = '(?:\\[[0-9A-Fa-f:.]+\\]|[^\\s:/\\[\\]]+)';

/** The endpoint syntax as a regular expression source (also the JSON Schema `pattern`). */
export const ENDPOINT_PATTERN = `^(?:tcp://${HOST}:${PORT}|ipc://\\S+|inproc://\\S+)$`;

const ENDPOINT_RE = new RegExp(ENDPOINT_PATTERN);

/** What to write instead, for error hints. */
export const ENDPOINT_HINT = 'use tcp://HOST:PORT (PORT * = any free port), ipc://PATH or inproc://NAME';

export function isEndpoint(v: unknown): v is string {
  return typeof v === 'string' && ENDPOINT_RE.test(v);
}

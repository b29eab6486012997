/**
 * Who may read: the token check and the Host check.
 *
 * - With a token (required off loopback), every request must show it: the
 *   header `Authorization: Bearer <token>`, the cookie `distlog_token` (set by
 *   opening `/?token=<token>` once, HttpOnly, SameSite=Strict), or `?token=` on
 *   the request itself. Compared in constant time.
 * - Without a token (loopback only), the Host header must name a loopback
 *   address: a web page elsewhere cannot make a browser read the logs through
 *   DNS rebinding (a name that resolves to 127.0.0.1).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from './schema.js';

export const TOKEN_COOKIE = 'distlog_token';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === TOKEN_COOKIE) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export type AccessVerdict = { ok: true; fromQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function checkAccess(req: IncomingMessage, url: URL, token: string): AccessVerdict {
  if (token === '') {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (!isLoopbackHost(host)) return { ok: false, status: 403, reason: `Host ${JSON.stringify(req.headers.host ?? '')} is not a loopback address` };
    return { ok: true, fromQuery: false };
  }
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const query = url.searchParams.get('token') ?? undefined;
  const shown = bearer ?? query ?? cookieToken(req.headers.cookie);
  if (shown === undefined) return { ok: false, status: 401, reason: 'token required: open /?token=... or send Authorization: Bearer ...' };
  if (!timingSafeEqual(digest(shown), digest(token))) return { ok: false, status: 401, reason: 'wrong token' };
  return { ok: true, fromQuery: bearer === undefined && query !== undefined };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

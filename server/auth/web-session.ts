// Where a request's session token comes from: `Authorization: Bearer` for API clients, or the web app's
// httpOnly cookie, which script in the page cannot read. A cookie is sent by the browser on its own, so
// cookie-authenticated writes must also prove they come from the web app itself (CSRF guard).
import type { Request, Response } from 'express';
import type { Socket } from 'socket.io';
import { ForbiddenError } from '../http/errors.ts';

export const SESSION_COOKIE = 'lifeline_session';
/** Sent by the web app's fetch wrapper; a cross-site form or image cannot add a header. */
export const WEB_CLIENT_HEADER = 'X-Lifeline-Client';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWebClient = (req: Request) => req.get(WEB_CLIENT_HEADER) === 'web';

export const bearerToken = (header: string | undefined): string | undefined =>
  header?.startsWith('Bearer ') ? header.slice(7).trim() || undefined : undefined;

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim()) || undefined;
  }
  return undefined;
}

/** An Origin header, when there is one, must name the host the request was sent to. */
const sameOrigin = (origin: string | undefined, host: string | undefined): boolean => {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

/**
 * The request's token and how it came. A cookie-authenticated write without the web app's header, or
 * from another site's page, is refused rather than run as the signed-in user.
 */
export function requestToken(req: Request): { token: string; by: 'bearer' | 'cookie' } | undefined {
  const bearer = bearerToken(req.get('authorization'));
  if (bearer) return { token: bearer, by: 'bearer' };
  const cookie = cookieValue(req.get('cookie'), SESSION_COOKIE);
  if (!cookie) return undefined;
  if (!SAFE_METHODS.has(req.method) && (!isWebClient(req) || !sameOrigin(req.get('origin'), req.get('host')))) {
    throw new ForbiddenError(`a signed-in browser's changes must come from the Lifeline web app (the ${WEB_CLIENT_HEADER} header, same origin)`);
  }
  return { token: cookie, by: 'cookie' };
}

const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: '/' });

export function setSessionCookie(req: Request, res: Response, token: string, hours: number): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: hours * 3_600_000 });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/** A socket's token: `auth.token` from API clients, or the web app's cookie when the page is ours. */
export function handshakeToken(handshake: Socket['handshake']): string | undefined {
  const token: unknown = handshake.auth?.token;
  if (typeof token === 'string') return token;
  if (!sameOrigin(handshake.headers.origin, handshake.headers.host)) return undefined;
  return cookieValue(handshake.headers.cookie, SESSION_COOKIE);
}

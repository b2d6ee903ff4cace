import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The session cookie's name. */
export const SESSION_COOKIE = 'peacedesk_session';

/** Equal in constant time (both sides hashed first, so lengths never leak or throw). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie value a signed-in browser holds: derived from the token, so the token itself never sits in a cookie. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update("peacedesk editors' page session v1").digest('base64url');
}

/** The token a request carries: `Authorization: Bearer …` or `X-Peacedesk-Token`. */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const token = headers['x-peacedesk-token'];
  return typeof token === 'string' ? token.trim() : undefined;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when the request carries the token (header) or a valid session cookie. */
export function isAuthorized(headers: Record<string, string | string[] | undefined>, token: string): boolean {
  const given = tokenFromHeaders(headers);
  if (given !== undefined) return sameSecret(given, token);
  const cookie = cookieValue(typeof headers.cookie === 'string' ? headers.cookie : undefined, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie that ties a browser to its CSRF tokens. */
export const CSRF_COOKIE = 'mw_admin_csrf';
/** The form field that carries the token. */
export const CSRF_FIELD = '_csrf';

/** A cookie's value from the request, or undefined. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * CSRF tokens without server state (signed double submit): the browser holds a random id in
 * an HttpOnly, SameSite=Strict cookie, and every form carries HMAC(key, id). Another site can
 * neither read the cookie nor compute the token.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  /** A new browser id for the cookie. */
  newId(): string {
    return randomBytes(24).toString('base64url');
  }

  /** The token forms carry for this browser id. */
  token(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  /** Does the form's token belong to the browser's id? */
  verify(id: string | undefined, token: string | undefined): boolean {
    if (id === undefined || token === undefined) return false;
    const expected = Buffer.from(this.token(id));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * Did the request come from a page of this origin? Browsers say so in `Sec-Fetch-Site` and
 * `Origin` (which is "null" under some referrer policies): what they say must be this origin.
 * A request without them (not from a browser) is left to the token.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return site === 'same-origin';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

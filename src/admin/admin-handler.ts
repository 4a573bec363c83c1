import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError } from '../errors/mailwright-error.js';
import { ADMIN_CSS } from './admin-css.js';
import { resolveAdminOptions, type AdminOptions, type ResolvedAdminOptions } from './admin-options.js';
import type { AdminRequest, AdminResponse } from './admin-request.js';
import { ADMIN_ROUTES } from './admin-routes.js';
import { cookie, CSRF_COOKIE, CSRF_FIELD, CsrfTokens, sameOrigin } from './csrf.js';
import { html } from './html.js';
import { errorNotice, layout } from './layout.js';
import { RateLimiter } from './rate-limiter.js';
import { BodyRefused, readForm } from './request-body.js';

/** A node:http request handler; frameworks call it with their raw request and response (see docs/admin.md). */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Every response's headers: no script may run (there is none), styles only from the
 * console, forms only to it, no framing by others, nothing cached or sniffed.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The path of the request as the client sent it (Express strips a mount path from `url`, not from `originalUrl`). */
const requestPath = (req: IncomingMessage & { originalUrl?: string }): URL => new URL(req.originalUrl ?? req.url ?? '/', 'http://console.invalid');

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/**
 * The ready admin console: a node:http `(req, res)` handler serving the email parameters,
 * providers (settings, connection check, test email), users' options, templates (previews),
 * the history (filters, counts, export, failure explanation and fix, transcripts, retry and
 * cancel), the distributor and the forwarding audit under `basePath`. Pages are rendered on
 * the server, with no script. Every request must pass `authorize(req)`; every change must
 * carry the page's CSRF token; secrets are never sent to the browser; every stored text is
 * escaped; a Content-Security-Policy forbids scripts; test emails are rate-limited. A request
 * outside `basePath` is passed to `next` when given (Express), else answered 404.
 */
export function createAdminHandler(options: AdminOptions): AdminHandler {
  const resolved: ResolvedAdminOptions = resolveAdminOptions(options, () => randomBytes(32));
  const { mailwright, basePath } = resolved;
  const csrf = new CsrfTokens(resolved.csrfSecret);
  const testEmails = new RateLimiter(mailwright.clock, resolved.testEmailsPerMinute);

  return async (req, res, next) => {
    try {
      const url = requestPath(req);
      if (!`${url.pathname}/`.startsWith(basePath)) {
        if (next !== undefined) return next();
        return plain(res, 404, 'Not found');
      }
      if (url.pathname === basePath.slice(0, -1)) {
        res.writeHead(308, { ...SECURITY_HEADERS, Location: basePath });
        return void res.end();
      }
      if (!(await resolved.authorize(req))) return plain(res, 403, 'You may not use this console.');
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (method !== 'GET' && method !== 'POST') return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD, POST' });
      const path = url.pathname.slice(basePath.length);
      if (path === 'assets/admin.css' && method === 'GET') {
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=3600' });
        return void res.end(method === req.method ? ADMIN_CSS : undefined);
      }
      if (path === '') {
        res.writeHead(303, { ...SECURITY_HEADERS, Location: `${basePath}history` });
        return void res.end();
      }

      // The browser's CSRF id: made on its first page, checked on every change.
      const secure = (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
      let browserId = cookie(req, CSRF_COOKIE);
      const setCookie: Record<string, string> = {};
      if (browserId === undefined) {
        browserId = csrf.newId();
        setCookie['Set-Cookie'] = `${CSRF_COOKIE}=${browserId}; Path=${basePath}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
      }
      let form = new URLSearchParams();
      if (method === 'POST') {
        form = await readForm(req as IncomingMessage & { body?: unknown });
        if (!sameOrigin(req) || !csrf.verify(cookie(req, CSRF_COOKIE), form.get(CSRF_FIELD) ?? undefined)) {
          return plain(res, 403, 'This change was refused: it did not come from a page of this console (its CSRF token is missing or wrong). Reload the page and try again.', setCookie);
        }
      }

      const route = ADMIN_ROUTES.map(([m, pattern, page]) => [m, pattern.exec(path), page] as const).find(([m, match]) => match !== null && m === method);
      if (route === undefined) {
        const other = ADMIN_ROUTES.some(([, pattern]) => pattern.test(path));
        return plain(res, other ? 405 : 404, other ? 'Method not allowed' : 'Not found', setCookie);
      }
      const [, match, page] = route;
      const params = match!.slice(1).map(decoded);
      if (params.includes(undefined)) return plain(res, 400, 'The address is not valid.', setCookie);
      const request: AdminRequest = {
        mailwright,
        options: resolved,
        method,
        params: params as string[],
        query: url.searchParams,
        form,
        csrfToken: csrf.token(browserId),
        testEmails,
        href: (to, query = {}) => {
          const search = new URLSearchParams();
          for (const [name, value] of Object.entries(query)) for (const v of typeof value === 'string' ? [value] : (value ?? [])) search.append(name, v);
          const text = search.toString();
          return `${basePath}${to}${text ? `?${text}` : ''}`;
        },
      };
      let response: AdminResponse;
      try {
        response = await page(request);
      } catch (error) {
        // A typed error (a bad filter, an unknown provider, a reason on two lines) is shown with its fix.
        if (!isMailwrightError(error)) throw error;
        const status = error.code === ErrorCodes.PROVIDER_NOT_FOUND || error.code === ErrorCodes.EMAIL_NOT_FOUND ? 404 : 400;
        response = { kind: 'page', title: 'Something needs correcting', section: 'history', status, body: html`${errorNotice(error)}<p><a href="${request.href('history')}">Back to the history</a></p>` };
      }
      await write(res, response, resolved, setCookie, req.method === 'HEAD');
    } catch (error) {
      if (error instanceof BodyRefused) return plain(res, error.status, error.message);
      if (res.headersSent) return void res.destroy(error instanceof Error ? error : undefined);
      // Nothing of the error reaches the browser: it may hold what the host would not show.
      plain(res, 500, 'The console failed to answer. The error is not shown here; the application was told.');
      resolved.onError(error);
    }
  };
}

async function write(res: ServerResponse, response: AdminResponse, options: ResolvedAdminOptions, extra: Record<string, string>, head: boolean): Promise<void> {
  if (response.kind === 'redirect') {
    res.writeHead(303, { ...SECURITY_HEADERS, ...extra, Location: response.location });
    return void res.end();
  }
  if (response.kind === 'page') {
    const page = layout({ title: response.title, section: response.section, body: response.body, base: options.basePath, brand: options.title }).value;
    res.writeHead(response.status ?? 200, { ...SECURITY_HEADERS, ...extra, 'Content-Type': 'text/html; charset=utf-8', ...response.headers });
    return void res.end(head ? undefined : page);
  }
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...extra, 'Content-Type': response.contentType, ...response.headers };
  if (response.headers?.['Content-Security-Policy'] !== undefined) headers['X-Frame-Options'] = 'SAMEORIGIN';
  res.writeHead(200, headers);
  if (head) return void res.end();
  if (typeof response.body === 'string') return void res.end(response.body);
  for await (const chunk of response.body) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  res.end();
}

import type { Mailwright } from '../mailwright.js';
import type { ResolvedAdminOptions } from './admin-options.js';
import type { SafeHtml } from './html.js';
import type { RateLimiter } from './rate-limiter.js';

/** What a page is given: the request as the console sees it. */
export interface AdminRequest {
  /** The instance administered. */
  mailwright: Mailwright;
  /** The console's options. */
  options: ResolvedAdminOptions;
  /** GET (HEAD is answered as GET) or POST. */
  method: 'GET' | 'POST';
  /** The captures of the route's pattern (decoded). */
  params: string[];
  /** The query string. */
  query: URLSearchParams;
  /** The posted form (empty for GET). */
  form: URLSearchParams;
  /** The CSRF token every form of the page must carry. */
  csrfToken: string;
  /** Limits test emails and connection checks. */
  testEmails: RateLimiter;
  /** A link inside the console: `path` relative to its base, with a query. */
  href(path: string, query?: Record<string, string | readonly string[] | undefined>): string;
}

/** A page's answer. */
export type AdminResponse =
  | {
      /** An HTML page. */
      kind: 'page';
      /** The page title (also its h1). */
      title: string;
      /** Which navigation entry is current. */
      section: AdminSection;
      /** The page's content. */
      body: SafeHtml;
      /** @default 200 */
      status?: number;
      /** Extra response headers. */
      headers?: Record<string, string>;
    }
  | {
      /** 303 See Other to a console path (after a POST that worked). */
      kind: 'redirect';
      /** The console path with its query, from `href()`. */
      location: string;
    }
  | {
      /** A file or a preview, written as it is. */
      kind: 'raw';
      /** The content type. */
      contentType: string;
      /** The body, whole or in chunks. */
      body: string | AsyncIterable<string>;
      /** Extra response headers (e.g. Content-Disposition, a stricter CSP). */
      headers?: Record<string, string>;
    };

/** The console's sections, in navigation order. */
export const ADMIN_SECTIONS = [
  ['history', 'History'],
  ['distributor', 'Distributor'],
  ['parameters', 'Email parameters'],
  ['providers', 'Providers'],
  ['users', 'Users'],
  ['templates', 'Templates'],
  ['forwarding', 'Forwarding audit'],
] as const;

/** One of {@link ADMIN_SECTIONS}. */
export type AdminSection = (typeof ADMIN_SECTIONS)[number][0];

/** A page of the console: what it answers to a request its route matched. */
export type AdminPage = (request: AdminRequest) => Promise<AdminResponse>;

import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseOptions } from '../parameters/parse-settings.js';
import type { DirectoryUser } from '../users/user-directory.js';
import type { Mailwright } from '../mailwright.js';

/** A template the console lists, with the data its previews are rendered with. */
export interface AdminTemplate {
  /** The template's id (system or organization). */
  id: string;
  /** Variables for the preview, e.g. `{ user: { name: 'Ana' }, record: { id: 'CASE-42' } }`. @default {} */
  sampleData?: Record<string, unknown>;
}

/** Options of {@link createAdminHandler}. */
export interface AdminOptions {
  /** The mailwright instance the console administers. */
  mailwright: Mailwright;
  /**
   * Whether this request may use the console: the host's own check (its session, its
   * administrator role). Required: there is no default that lets anyone in. A request it
   * refuses gets 403 and nothing else.
   */
  authorize(req: IncomingMessage): boolean | Promise<boolean>;
  /** Where the console is mounted, e.g. `/admin/email`. @default '/' */
  basePath?: string;
  /**
   * Key of the CSRF tokens. Give the same one to every process serving the console behind
   * one address (at least 32 bytes). @default a random key per handler (forms opened before a restart must be reloaded)
   */
  csrfSecret?: string | Buffer;
  /** Test emails and connection checks the console may send in one minute, all users together. @default 5 */
  testEmailsPerMinute?: number;
  /** The users the Users page lists (a `UserDirectory` cannot list them). @default none: users are opened by id */
  listUsers?: () => Promise<DirectoryUser[]>;
  /** The templates the Templates page lists and previews. @default none */
  templates?: AdminTemplate[];
  /** The console's name in its header and page titles. @default 'mailwright' */
  title?: string;
  /** Told of an unexpected error (the browser gets a 500 that does not show it), e.g. to log it. @default none */
  onError?: (error: unknown) => void;
}

/** {@link AdminOptions} with defaults applied. */
export interface ResolvedAdminOptions extends Required<Omit<AdminOptions, 'listUsers' | 'csrfSecret'>> {
  /** See {@link AdminOptions.listUsers}. */
  listUsers?: () => Promise<DirectoryUser[]>;
  /** The CSRF key. */
  csrfSecret: Buffer;
}

const fn = (message: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', message);

const adminOptionsSchema = z.strictObject({
  mailwright: z.custom<Mailwright>((value) => typeof value === 'object' && value !== null && 'history' in value && 'parameters' in value, 'must be the instance createMailwright() returned'),
  authorize: fn('must be a function (req) => boolean deciding who may use the console: there is no default that lets anyone in'),
  basePath: z.string().regex(/^\/[^?#]*$/, 'must be a path starting with /, e.g. /admin/email').optional(),
  csrfSecret: z.union([z.string().min(32, 'must be at least 32 characters'), z.instanceof(Buffer).refine((b) => b.length >= 32, 'must be at least 32 bytes')]).optional(),
  testEmailsPerMinute: z.number().int().min(1).max(1000).optional(),
  listUsers: fn('must be a function returning the users').optional(),
  templates: z.array(z.strictObject({ id: z.string().min(1), sampleData: z.record(z.string(), z.unknown()).optional() })).optional(),
  title: z.string().min(1).optional(),
  onError: fn('must be a function (error) => void').optional(),
});

/** Checks the options (MW_INVALID_SETTINGS naming each bad one) and applies the defaults. */
export function resolveAdminOptions(options: AdminOptions, randomKey: () => Buffer): ResolvedAdminOptions {
  parseOptions(adminOptionsSchema, options, 'createAdminHandler options', 'Pass { mailwright, authorize: (req) => isAdministrator(req), basePath?, … } (see AdminOptions).');
  const base = options.basePath ?? '/';
  return {
    mailwright: options.mailwright,
    authorize: options.authorize,
    basePath: base.endsWith('/') ? base : `${base}/`,
    csrfSecret: options.csrfSecret === undefined ? randomKey() : Buffer.from(options.csrfSecret),
    testEmailsPerMinute: options.testEmailsPerMinute ?? 5,
    templates: options.templates ?? [],
    title: options.title ?? 'mailwright',
    onError: options.onError ?? (() => undefined),
    ...(options.listUsers !== undefined ? { listUsers: options.listUsers } : {}),
  };
}

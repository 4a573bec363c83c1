import { z } from 'zod';
import type { Clock } from './clock/clock.js';
import type { ForwardingConfig } from './forwarding/record-forwarder.js';
import type { RecordJournal } from './forwarding/record-journal.js';
import type { Logger } from './logger.js';
import { nonBlankString, parseOptions } from './parameters/parse-settings.js';
import type { Provider } from './providers/provider.js';
import type { Store } from './store/store.js';
import type { TemplateCatalogSources } from './templates/template-catalog.js';
import { templateLimitsSchema, type TemplateLimits } from './templates/template-limits.js';
import type { TemplateSource } from './templates/template-source.js';
import type { ContactDirectory } from './users/contact-directory.js';
import type { UserDirectory } from './users/user-directory.js';

/** Options of `createMailwright()`. */
export interface MailwrightOptions {
  /** Persistence. @default a SQLite file at ./.mailwright/mailwright.db */
  store?: Store;
  /** Email providers (SMTP, Exchange, .eml, …). Ids must be unique. */
  providers: Provider[];
  /** The host application's user directory. */
  users: UserDirectory;
  /** Source of time. @default the system clock */
  clock?: Clock;
  /** Structured logger; never receives secrets. @default silent */
  logger?: Logger;
  /** Key for secrets at rest (32 bytes, base64 or hex). @default process.env.MAILWRIGHT_SECRET_KEY */
  secretKey?: string | Buffer;
  /** Domain used in generated Message-IDs. @default the From address's domain */
  messageIdDomain?: string;
  /** System and organization templates (notifications, forward themes). @default none (only the built-in forward theme) */
  templates?: TemplateCatalogSources;
  /** Record forwarding: the default outbound mailbox's provider and the record journal. @default forwarding disabled */
  forwarding?: ForwardingConfig;
  /** Mail contacts that mailboxes may forward to (forwarding policy). @default none: mailboxes forward to users or SMTP addresses */
  contacts?: ContactDirectory;
  /** Render limits of templates and forward themes (time, memory, size); see docs/security.md. @default DEFAULT_TEMPLATE_LIMITS */
  templateLimits?: TemplateLimits;
  /**
   * Folder every attachment given by `path` must be inside (after `..` and symbolic links are
   * resolved); others are refused with MW_ATTACHMENT_PATH_NOT_ALLOWED. Set it when a path may
   * come from user input. @default any file the application may read
   */
  attachmentRoot?: string;
}

/** Does `value` have these methods? JavaScript callers are not held to the types. */
const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/** A value that must have these methods. */
const withMethods = <T>(names: readonly string[], message: string) => z.custom<T>((value) => hasMethods(value, names), message);

/** A provider as a JavaScript caller may pass it: an object with an id and send(). */
export const providerSchema = z.custom<Provider>(
  (value) => hasMethods(value, ['send']) && typeof (value as { id?: unknown }).id === 'string',
  'must be a provider, e.g. smtpProvider({ … }), with an id and send()',
);

/** A user directory as a JavaScript caller may pass it. */
export const userDirectorySchema = withMethods<UserDirectory>(['getUser', 'updateOptions'], 'must be a user directory with getUser(id) and updateOptions(id, options)');

/** A contact directory as a JavaScript caller may pass it. */
export const contactDirectorySchema = withMethods<ContactDirectory>(['getContact'], 'must be a contact directory with getContact(id)');

const templateSource = withMethods<TemplateSource>(['get'], 'must be a template source with get(id)');

const mailwrightOptionsSchema = z.strictObject({
  store: withMethods<Store>(['migrate', 'close', 'insertEmail', 'claimDue', 'finishAttempts'], 'must be a Store, e.g. createSqliteStore({ filename }) or createPostgresStore({ … })').optional(),
  providers: z.array(providerSchema),
  users: userDirectorySchema,
  clock: withMethods<Clock>(['now', 'sleep'], 'must be a Clock with now() and sleep(ms, signal)').optional(),
  logger: withMethods<Logger>(['debug', 'info', 'warn', 'error'], 'must be a logger with debug, info, warn and error').optional(),
  secretKey: z.union([z.string(), z.instanceof(Buffer)]).optional(),
  messageIdDomain: nonBlankString('messageIdDomain').optional(),
  templates: z.strictObject({ system: templateSource.optional(), organization: templateSource.optional() }).optional(),
  forwarding: z
    .strictObject({
      providerId: nonBlankString('providerId'),
      journal: withMethods<RecordJournal>(['append'], 'must be a record journal with append(entry)'),
      retryTemporaryFailures: z.boolean().optional(),
    })
    .optional(),
  contacts: contactDirectorySchema.optional(),
  templateLimits: templateLimitsSchema.optional(),
  attachmentRoot: nonBlankString('attachmentRoot').optional(),
}) satisfies z.ZodType<MailwrightOptions>;

/** Checks `createMailwright()` options; throws MW_INVALID_SETTINGS naming every bad or unknown option. */
export function checkMailwrightOptions(options: MailwrightOptions): void {
  parseOptions(mailwrightOptionsSchema, options, 'createMailwright options', 'Pass { providers: [...], users, store?, clock?, logger?, secretKey?, messageIdDomain?, templates?, forwarding?, contacts?, templateLimits?, attachmentRoot? } (see MailwrightOptions).');
}

import { z } from 'zod';
import type { EncryptedSecret } from '../secrets/secret-box.js';
import { ruleSettingsIssue, type SettingsIssue } from './settings-issues.js';
import { addressField, invalid, named, ruleIssue, trimmedText } from './settings-fields.js';

/**
 * SMTP settings as an administrator enters them (password in clear, only in memory).
 * Stored form: {@link StoredSmtpSettings}, with the password encrypted. When they are
 * saved, a password left out keeps the stored one and `password: null` clears it, so a
 * user name without a password is checked against what is stored (see
 * {@link smtpPasswordIssues}), not by this schema.
 */
export const smtpSettingsSchema = named(
  z
    .strictObject({
      /** SMTP server host name, e.g. "smtp.office365.com". */
      host: trimmedText('smtpSettings.host'),
      /** @default 587 */
      port: z.number(invalid('smtpSettings.port')).int().min(1).max(65535).default(587),
      /** Require an encrypted connection (STARTTLS, or implicit TLS on port 465). @default true */
      requireTls: z.boolean(invalid('smtpSettings.requireTls')).default(true),
      /** Use implicit TLS from the first byte (SMTPS). @default true when port is 465 */
      implicitTls: z.boolean(invalid('smtpSettings.implicitTls')).optional(),
      /** Require authentication. @default true */
      requireAuth: z.boolean(invalid('smtpSettings.requireAuth')).default(true),
      /**
       * Send the user name and password even when the connection is not encrypted (`requireTls: false`
       * and a server without STARTTLS): anyone on the network path can read them. Only for a trusted
       * internal relay; without it such a send fails with MW_SMTP_AUTH_WITHOUT_TLS before AUTH. @default false
       */
      allowInsecureAuth: z.boolean(invalid('smtpSettings.allowInsecureAuth')).default(false),
      /** User name for AUTH. */
      username: trimmedText('smtpSettings.username').optional(),
      /** Password for AUTH (encrypted at rest). When saving: left out keeps the stored password, `null` clears it. */
      password: z.string(invalid('smtpSettings.password')).min(1).nullable().optional(),
      /** Address of the authenticated mailbox (Sender for Send On Behalf). @default username when it is an email address */
      mailbox: addressField('smtpSettings.mailbox').optional(),
      /** Connection timeout in milliseconds. @default 30000 */
      connectionTimeoutMs: z.number(invalid('smtpSettings.connectionTimeoutMs')).int().positive().default(30_000),
      /** Extra CA certificate(s) in PEM to trust (private CA, tests). */
      ca: z.string(invalid('smtpSettings.ca')).optional(),
      /** Host name to verify the certificate against. @default host */
      servername: z.string(invalid('smtpSettings.servername')).optional(),
    })
    .superRefine((value, ctx) => {
      if (value.requireAuth && value.username === undefined) ruleIssue(ctx, 'authNeedsUsername', ['username']);
      if (!value.requireAuth && typeof value.password === 'string' && value.username === undefined) ruleIssue(ctx, 'passwordNeedsUsername', ['username']);
    })
    .meta({
      allOf: [
        // Authentication is required (the default) only with a user name.
        { anyOf: [{ properties: { requireAuth: { const: false } }, required: ['requireAuth'] }, { required: ['username'] }] },
        // A password needs a user name.
        { if: { properties: { password: { type: 'string' } }, required: ['password'] }, then: { required: ['username'] } },
      ],
    }),
  'smtpSettings',
);

/** What callers may pass (defaults applied on parse); `password: null` clears a stored password. */
export type SmtpSettingsInput = z.input<typeof smtpSettingsSchema>;

/** SMTP settings with the password in clear, complete: what a provider sends with (never persisted in this form). */
export type SmtpSettings = Omit<z.output<typeof smtpSettingsSchema>, 'password'> & {
  /** Password for AUTH. */
  password?: string;
};

/** SMTP settings as persisted: the password replaced by its encrypted form. */
export type StoredSmtpSettings = Omit<SmtpSettings, 'password'> & { passwordSecret?: EncryptedSecret };

/**
 * What is wrong with the password of SMTP settings given the one stored before (none for
 * settings given in code): a user name needs a password, given or kept; a kept password
 * needs a user name (clear it with `password: null`).
 */
export function smtpPasswordIssues(input: unknown, passwordStored: boolean): SettingsIssue[] {
  if (input === null || typeof input !== 'object') return [];
  const { username, password } = input as { username?: unknown; password?: unknown };
  const kept = password === undefined && passwordStored;
  if (typeof username === 'string' && username.trim() !== '' && typeof password !== 'string' && !kept) return [ruleSettingsIssue('password', 'usernameNeedsPassword')];
  if (username === undefined && kept) return [ruleSettingsIssue('password', 'storedPasswordNeedsUsername')];
  return [];
}

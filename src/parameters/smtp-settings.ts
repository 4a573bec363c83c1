import { z } from 'zod';
import { addressProblem } from '../message/address.js';
import type { EncryptedSecret } from '../secrets/secret-box.js';

/**
 * SMTP settings as an administrator enters them (password in clear, only in memory).
 * Stored form: {@link StoredSmtpSettings}, with the password encrypted.
 */
export const smtpSettingsSchema = z
  .strictObject({
    /** SMTP server host name, e.g. "smtp.office365.com". */
    host: z.string().trim().min(1, 'Enter the SMTP server host name'),
    /** @default 587 */
    port: z.number().int().min(1).max(65535).default(587),
    /** Require an encrypted connection (STARTTLS, or implicit TLS on port 465). @default true */
    requireTls: z.boolean().default(true),
    /** Use implicit TLS from the first byte (SMTPS). @default true when port is 465 */
    implicitTls: z.boolean().optional(),
    /** Require authentication. @default true */
    requireAuth: z.boolean().default(true),
    /**
     * Send the user name and password even when the connection is not encrypted (`requireTls: false`
     * and a server without STARTTLS): anyone on the network path can read them. Only for a trusted
     * internal relay; without it such a send fails with MW_SMTP_AUTH_WITHOUT_TLS before AUTH. @default false
     */
    allowInsecureAuth: z.boolean().default(false),
    /** User name for AUTH. */
    username: z.string().trim().min(1).optional(),
    /** Password for AUTH (encrypted at rest). */
    password: z.string().min(1).optional(),
    /** Address of the authenticated mailbox (Sender for Send On Behalf). @default username when it is an email address */
    mailbox: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const problem = addressProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Enter the mailbox as an email address, e.g. noreply@contoso.com (${problem})` });
      })
      .optional(),
    /** Connection timeout in milliseconds. @default 30000 */
    connectionTimeoutMs: z.number().int().positive().default(30_000),
    /** Extra CA certificate(s) in PEM to trust (private CA, tests). */
    ca: z.string().optional(),
    /** Host name to verify the certificate against. @default host */
    servername: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.requireAuth && value.username === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'Authentication is required: enter the user name and password, or turn off "authentication required"',
      });
    }
    // A user name means AUTH, and AUTH needs the password, whether or not authentication is required.
    if (value.username !== undefined && value.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'A user name was given without a password: enter the password, or clear the user name' });
    }
    if (!value.requireAuth && value.password !== undefined && value.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'A password was given without a user name' });
    }
  });

/** SMTP settings with the password in clear (never persisted in this form). */
export type SmtpSettings = z.output<typeof smtpSettingsSchema>;
/** What callers may pass (defaults applied on parse). */
export type SmtpSettingsInput = z.input<typeof smtpSettingsSchema>;

/** SMTP settings as persisted: the password replaced by its encrypted form. */
export type StoredSmtpSettings = Omit<SmtpSettings, 'password'> & { passwordSecret?: EncryptedSecret };

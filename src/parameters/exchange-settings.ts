import { z } from 'zod';
import type { EncryptedSecret } from '../secrets/secret-box.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const MAILBOX = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PUBLIC_CLOUD = /^(https:\/\/)?login\.microsoftonline\.com\/?$/i;

/**
 * Exchange Online (Microsoft Graph) settings as an administrator enters them:
 * the app registration and the batch account. The client secret or the
 * certificate's private key is in clear only in memory; see
 * {@link StoredExchangeSettings} for the stored form.
 */
export const exchangeSettingsSchema = z
  .strictObject({
    /** Directory (tenant) ID: a GUID or a verified domain such as "contoso.onmicrosoft.com". */
    tenantId: z
      .string()
      .trim()
      .refine((v) => GUID.test(v) || TENANT_DOMAIN.test(v), 'Enter the Directory (tenant) ID from the app registration overview (a GUID) or the tenant domain'),
    /** Application (client) ID of the app registration (a GUID). */
    clientId: z.string().trim().regex(GUID, 'Enter the Application (client) ID from the app registration overview (a GUID)'),
    /** Client secret value (not the secret ID). Give this or `certificate`. */
    clientSecret: z.string().min(1).optional(),
    /** Certificate credential. Give this or `clientSecret`. */
    certificate: z
      .object({
        /** SHA-256 thumbprint of the certificate, hex. */
        thumbprintSha256: z.string().trim().regex(/^[0-9a-f]{64}$/i, 'Enter the certificate\'s SHA-256 thumbprint (64 hex digits)'),
        /** The certificate's private key, PEM (`-----BEGIN PRIVATE KEY-----`). */
        privateKey: z.string().refine((v) => v.includes('PRIVATE KEY-----'), 'Paste the private key in PEM form (-----BEGIN PRIVATE KEY-----)'),
        /** The public certificate chain in PEM, sent as `x5c` (for subject name / issuer authentication). */
        x5c: z.string().optional(),
      })
      .optional(),
    /**
     * Authority host. Only the public cloud is supported (as in the reference system).
     * @default 'login.microsoftonline.com'
     */
    authorityHost: z
      .string()
      .trim()
      .default('login.microsoftonline.com')
      .refine((v) => PUBLIC_CLOUD.test(v), 'Only the public cloud authority host login.microsoftonline.com is supported; national clouds (US Government, China) are not'),
    /** The batch account: the mailbox non-interactive (queued) email is sent from. */
    batchMailbox: z.string().trim().regex(MAILBOX, 'Enter the batch account mailbox as an email address').optional(),
    /** Keep a copy in the sending mailbox's Sent Items (also lets an uncertain send be checked before a retry). @default true */
    saveToSentItems: z.boolean().default(true),
  })
  .superRefine((value, ctx) => {
    if ((value.clientSecret === undefined) === (value.certificate === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'Give exactly one credential: the client secret value, or a certificate (thumbprint and private key)',
      });
    }
  });

/** Exchange settings with secrets in clear (never persisted in this form). */
export type ExchangeSettings = z.output<typeof exchangeSettingsSchema>;
/** What callers may pass (defaults applied on parse). */
export type ExchangeSettingsInput = z.input<typeof exchangeSettingsSchema>;

/** Exchange settings as persisted: the client secret and private key encrypted. */
export type StoredExchangeSettings = Omit<ExchangeSettings, 'clientSecret' | 'certificate'> & {
  clientSecretSecret?: EncryptedSecret;
  certificate?: { thumbprintSha256: string; privateKeySecret: EncryptedSecret; x5c?: string };
};

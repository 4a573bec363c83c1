import { z } from 'zod';
import type { EncryptedSecret } from '../secrets/secret-box.js';
import { anyCase, invalid, named, ruleIssue, trimmedMatch } from './settings-fields.js';
import { ruleSettingsIssue, type SettingsIssue } from './settings-issues.js';

// Patterns without flags (JSON Schema has none): letters in both cases where case does not matter.
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const TENANT_DOMAIN = '[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+';
const MAILBOX = '[^@\\s]+@[^@\\s]+\\.[^@\\s]+';
const SHA256_HEX = '[0-9a-fA-F]{64}';
const PUBLIC_CLOUD = `(?:${anyCase('https://')})?${anyCase('login.microsoftonline.com')}/?`;

/**
 * Exchange Online (Microsoft Graph) settings as an administrator enters them:
 * the app registration and the batch account. The client secret or the
 * certificate's private key is in clear only in memory; see
 * {@link StoredExchangeSettings} for the stored form. When they are saved, a credential
 * left out keeps the stored one (`null` clears it), so whether there is exactly one is
 * checked against what is stored ({@link exchangeCredentialIssues}); this schema only
 * refuses two credentials given at once.
 */
export const exchangeSettingsSchema = named(
  z
    .strictObject({
      /** Directory (tenant) ID: a GUID or a verified domain such as "contoso.onmicrosoft.com". */
      tenantId: trimmedMatch('exchangeSettings.tenantId', `${GUID}|${TENANT_DOMAIN}`),
      /** Application (client) ID of the app registration (a GUID). */
      clientId: trimmedMatch('exchangeSettings.clientId', GUID),
      /** Client secret value (not the secret ID). Give this or `certificate`. When saving: left out keeps the stored credential, `null` clears it. */
      clientSecret: z.string(invalid('exchangeSettings.clientSecret')).min(1).nullable().optional(),
      /** Certificate credential. Give this or `clientSecret`. When saving: `null` clears it. */
      certificate: z
        .strictObject(
          {
            /** SHA-256 thumbprint of the certificate, hex. */
            thumbprintSha256: trimmedMatch('exchangeSettings.certificate.thumbprintSha256', SHA256_HEX),
            /** The certificate's private key, PEM (`-----BEGIN PRIVATE KEY-----`). When saving: left out keeps the stored key of the same certificate. */
            privateKey: z
              .string(invalid('exchangeSettings.certificate.privateKey'))
              .regex(/PRIVATE KEY-----/)
              .optional(),
            /** The public certificate chain in PEM, sent as `x5c` (for subject name / issuer authentication). */
            x5c: z.string(invalid('exchangeSettings.certificate.x5c')).optional(),
          },
          invalid('exchangeSettings.certificate'),
        )
        .nullable()
        .optional(),
      /**
       * Authority host. Only the public cloud is supported (as in the reference system).
       * @default 'login.microsoftonline.com'
       */
      authorityHost: trimmedMatch('exchangeSettings.authorityHost', PUBLIC_CLOUD).default('login.microsoftonline.com'),
      /** The batch account: the mailbox non-interactive (queued) email is sent from. */
      batchMailbox: trimmedMatch('exchangeSettings.batchMailbox', MAILBOX).optional(),
      /** Keep a copy in the sending mailbox's Sent Items (also lets an uncertain send be checked before a retry). @default true */
      saveToSentItems: z.boolean(invalid('exchangeSettings.saveToSentItems')).default(true),
    })
    .superRefine((value, ctx) => {
      if (typeof value.clientSecret === 'string' && typeof value.certificate === 'object' && value.certificate !== null) ruleIssue(ctx, 'oneCredential', ['clientSecret']);
    })
    .meta({ not: { properties: { clientSecret: { type: 'string' }, certificate: { type: 'object' } }, required: ['clientSecret', 'certificate'] } }),
  'exchangeSettings',
);

/** What callers may pass (defaults applied on parse); `null` clears a stored credential. */
export type ExchangeSettingsInput = z.input<typeof exchangeSettingsSchema>;

/** Exchange settings with the secret in clear, complete: what the provider signs in with (never persisted in this form). */
export type ExchangeSettings = Omit<z.output<typeof exchangeSettingsSchema>, 'clientSecret' | 'certificate'> & {
  /** Client secret value. */
  clientSecret?: string;
  /** Certificate credential. */
  certificate?: { thumbprintSha256: string; privateKey: string; x5c?: string };
};

/** Exchange settings as persisted: the client secret and private key encrypted. */
export type StoredExchangeSettings = Omit<ExchangeSettings, 'clientSecret' | 'certificate'> & {
  clientSecretSecret?: EncryptedSecret;
  certificate?: { thumbprintSha256: string; privateKeySecret: EncryptedSecret; x5c?: string };
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with the credential of Exchange settings given the one stored before (none
 * for settings given in code): there must be exactly one, given or kept, and a certificate
 * needs its private key unless the same certificate's key is stored.
 */
export function exchangeCredentialIssues(input: unknown, previous?: Pick<StoredExchangeSettings, 'clientSecretSecret' | 'certificate'>): SettingsIssue[] {
  if (!isObject(input)) return [];
  const { clientSecret, certificate } = input;
  if (typeof clientSecret === 'string') return [];
  if (isObject(certificate)) {
    const sameCertificate = typeof certificate.thumbprintSha256 === 'string' && certificate.thumbprintSha256.trim().toLowerCase() === previous?.certificate?.thumbprintSha256.toLowerCase();
    return certificate.privateKey === undefined && !sameCertificate ? [ruleSettingsIssue('certificate.privateKey', 'certificateNeedsPrivateKey')] : [];
  }
  const keptSecret = clientSecret === undefined && previous?.clientSecretSecret !== undefined;
  const keptCertificate = certificate === undefined && previous?.certificate !== undefined;
  return keptSecret || keptCertificate ? [] : [ruleSettingsIssue('clientSecret', 'oneCredential')];
}

import { z } from 'zod';
import { EXCHANGE_CLOUD_NAMES, EXCHANGE_CLOUDS } from '../providers/exchange/exchange-clouds.js';
import { certificateFromPfx } from '../providers/exchange/pfx-certificate.js';
import type { EncryptedSecret } from '../secrets/secret-box.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const MAILBOX = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * A certificate credential: its SHA-256 thumbprint and private key (PEM), or a PKCS#12 file
 * (.pfx, base64) and its password, read into the same form.
 */
const certificateSchema = z
  .object({
    /** SHA-256 thumbprint of the certificate, hex (with `privateKey`). */
    thumbprintSha256: z.string().trim().regex(/^[0-9a-f]{64}$/i, 'Enter the certificate\'s SHA-256 thumbprint (64 hex digits)').optional(),
    /** The certificate's private key, PEM (`-----BEGIN PRIVATE KEY-----`). */
    privateKey: z.string().refine((v) => v.includes('PRIVATE KEY-----'), 'Paste the private key in PEM form (-----BEGIN PRIVATE KEY-----)').optional(),
    /** The public certificate chain in PEM, sent as `x5c` (for subject name / issuer authentication). */
    x5c: z.string().optional(),
    /** Or: the certificate and its private key as a PKCS#12 file (.pfx / .p12), base64. */
    pfx: z.string().min(1).optional(),
    /** The PFX file's password. */
    pfxPassword: z.string().optional(),
  })
  .transform((value, ctx) => {
    if (value.pfx !== undefined) {
      if (value.privateKey !== undefined || value.thumbprintSha256 !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['pfx'], message: 'Give either a PFX file or a thumbprint and private key, not both' });
        return z.NEVER;
      }
      try {
        return { ...certificateFromPfx(value.pfx, value.pfxPassword), ...(value.x5c !== undefined ? { x5c: value.x5c } : {}) };
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['pfx'], message: (error as Error).message });
        return z.NEVER;
      }
    }
    if (value.thumbprintSha256 === undefined || value.privateKey === undefined) {
      ctx.addIssue({ code: 'custom', path: [value.thumbprintSha256 === undefined ? 'thumbprintSha256' : 'privateKey'], message: 'Give the certificate\'s SHA-256 thumbprint and its private key (PEM), or the PFX file' });
      return z.NEVER;
    }
    return { thumbprintSha256: value.thumbprintSha256, privateKey: value.privateKey, ...(value.x5c !== undefined ? { x5c: value.x5c } : {}) };
  });

const CREDENTIALS = ['clientSecret', 'certificate', 'clientAssertion', 'managedIdentity'] as const;

/**
 * Exchange Online (Microsoft Graph) settings as an administrator enters them:
 * the cloud, the app registration and its credential, and the batch account. The
 * client secret or the certificate's private key is in clear only in memory; see
 * {@link StoredExchangeSettings} for the stored form.
 */
export const exchangeSettingsSchema = z
  .strictObject({
    /**
     * The Microsoft cloud of the tenant: its Entra ID and Microsoft Graph hosts.
     * 'usGovHigh' is GCC High (US Government L4), 'usGovDoD' DoD (L5), 'china' 21Vianet; GCC tenants use 'global'.
     * @default 'global'
     */
    cloud: z.enum(EXCHANGE_CLOUD_NAMES).default('global'),
    /** Directory (tenant) ID: a GUID or a verified domain such as "contoso.onmicrosoft.com" (not needed with `managedIdentity`). */
    tenantId: z
      .string()
      .trim()
      .refine((v) => GUID.test(v) || TENANT_DOMAIN.test(v), 'Enter the Directory (tenant) ID from the app registration overview (a GUID) or the tenant domain')
      .optional(),
    /** Application (client) ID of the app registration, a GUID (not needed with `managedIdentity`). */
    clientId: z.string().trim().regex(GUID, 'Enter the Application (client) ID from the app registration overview (a GUID)').optional(),
    /** Credential: the client secret value (not the secret ID). */
    clientSecret: z.string().min(1).optional(),
    /** Credential: a certificate uploaded to the app registration. */
    certificate: certificateSchema.optional(),
    /**
     * Credential: a signed client assertion (workload identity federation) that the host
     * application supplies with `exchangeProvider({ clientAssertion })`.
     */
    clientAssertion: z.literal(true).optional(),
    /**
     * Credential: the Azure managed identity of the machine (system-assigned, `true`) or a
     * user-assigned one (`{ clientId }`), through msal-node's ManagedIdentityApplication.
     */
    managedIdentity: z.union([z.literal(true), z.strictObject({ clientId: z.string().trim().regex(GUID, 'Enter the managed identity\'s client ID (a GUID)') })]).optional(),
    /**
     * Authority host, when given: must be the cloud's (login.microsoftonline.com,
     * login.microsoftonline.us or login.chinacloudapi.cn). Choose the cloud with `cloud`.
     */
    authorityHost: z.string().trim().optional(),
    /** The batch account: the mailbox non-interactive (queued) email is sent from. */
    batchMailbox: z.string().trim().regex(MAILBOX, 'Enter the batch account mailbox as an email address').optional(),
    /** Keep a copy in the sending mailbox's Sent Items (also lets an uncertain send be checked before a retry). @default true */
    saveToSentItems: z.boolean().default(true),
  })
  .superRefine((value, ctx) => {
    const given = CREDENTIALS.filter((name) => value[name] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [given[1] ?? 'clientSecret'],
        message: 'Give exactly one credential: the client secret value, a certificate (thumbprint and private key, or a PFX file), clientAssertion (with exchangeProvider({ clientAssertion })), or managedIdentity',
      });
    }
    if (value.managedIdentity === undefined) {
      if (value.tenantId === undefined) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: 'Enter the Directory (tenant) ID from the app registration overview (a GUID) or the tenant domain' });
      if (value.clientId === undefined) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'Enter the Application (client) ID from the app registration overview (a GUID)' });
    }
    const host = EXCHANGE_CLOUDS[value.cloud].authorityHost;
    if (value.authorityHost !== undefined && value.authorityHost.replace(/^https:\/\//i, '').replace(/\/$/, '').toLowerCase() !== host) {
      ctx.addIssue({ code: 'custom', path: ['authorityHost'], message: `The authority host of ${EXCHANGE_CLOUDS[value.cloud].name} is ${host}; for another cloud set cloud to 'global', 'usGovHigh', 'usGovDoD' or 'china'` });
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

import { z } from 'zod';
import { EXCHANGE_CLOUD_NAMES, EXCHANGE_CLOUDS } from '../providers/exchange/exchange-clouds.js';
import type { EncryptedSecret } from '../secrets/secret-box.js';
import { anyCase, invalid, named, ruleIssue, trimmedMatch } from './settings-fields.js';
import { ruleSettingsIssue, type SettingsIssue } from './settings-issues.js';

// Patterns without flags (JSON Schema has none): letters in both cases where case does not matter.
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const TENANT_DOMAIN = '[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+';
const MAILBOX = '[^@\\s]+@[^@\\s]+\\.[^@\\s]+';
const SHA256_HEX = '[0-9a-fA-F]{64}';
/** An authority host as an administrator may write it: any case, with or without `https://` and a final `/`. */
const hostPattern = (host: string): string => `(?:${anyCase('https://')})?${anyCase(host)}/?`;
const AUTHORITY_HOSTS = [...new Set(Object.values(EXCHANGE_CLOUDS).map((cloud) => cloud.authorityHost))];

/** The credentials of Exchange settings: exactly one is in force (given, or kept from the stored settings). */
const CREDENTIALS = ['clientSecret', 'certificate', 'clientAssertion', 'managedIdentity'] as const;
type Credential = (typeof CREDENTIALS)[number];
/** When a credential counts as given (a `null` clears a stored one). */
const GIVEN: Record<Credential, Record<string, unknown>> = { clientSecret: { type: 'string' }, certificate: { type: 'object' }, clientAssertion: {}, managedIdentity: {} };
const isGiven = (name: Credential, value: unknown): boolean => (name === 'clientSecret' ? typeof value === 'string' : name === 'certificate' ? typeof value === 'object' && value !== null : value !== undefined);
/** A credential given that is itself valid (one whose own value is wrong is reported for that, not as a second credential). */
const isValidGiven = (name: Credential, value: unknown): boolean =>
  isGiven(name, value) && (name !== 'managedIdentity' || value === true || typeof (value as { clientId?: unknown }).clientId === 'string');
const CREDENTIAL_PAIRS = CREDENTIALS.flatMap((a, i) => CREDENTIALS.slice(i + 1).map((b) => [a, b] as const));

/**
 * A certificate credential: its SHA-256 thumbprint and private key (PEM), or a PKCS#12 file
 * (.pfx, base64) and its password, read into the same form when the settings are saved.
 */
const certificateSchema = z
  .strictObject(
    {
      /** SHA-256 thumbprint of the certificate, hex (with `privateKey`). */
      thumbprintSha256: trimmedMatch('exchangeSettings.certificate.thumbprintSha256', SHA256_HEX).optional(),
      /** The certificate's private key, PEM (`-----BEGIN PRIVATE KEY-----`). When saving: left out keeps the stored key of the same certificate. */
      privateKey: z
        .string(invalid('exchangeSettings.certificate.privateKey'))
        .regex(/PRIVATE KEY-----/)
        .optional(),
      /** The public certificate chain in PEM, sent as `x5c` (for subject name / issuer authentication). */
      x5c: z.string(invalid('exchangeSettings.certificate.x5c')).optional(),
      /** Or: the certificate and its private key as a PKCS#12 file (.pfx / .p12), base64. */
      pfx: z.string(invalid('exchangeSettings.certificate.pfx')).min(1).optional(),
      /** The PFX file's password. */
      pfxPassword: z.string(invalid('exchangeSettings.certificate.pfxPassword')).optional(),
    },
    invalid('exchangeSettings.certificate'),
  )
  .superRefine((value, ctx) => {
    if (value.pfx !== undefined && (value.thumbprintSha256 !== undefined || value.privateKey !== undefined)) ruleIssue(ctx, 'pfxOrKey', ['pfx']);
    if (value.pfx === undefined && value.thumbprintSha256 === undefined) ruleIssue(ctx, 'certificateNeedsThumbprint', ['thumbprintSha256']);
  })
  .meta({
    anyOf: [
      { required: ['pfx'], not: { anyOf: [{ required: ['thumbprintSha256'] }, { required: ['privateKey'] }] } },
      { required: ['thumbprintSha256'], not: { required: ['pfx'] } },
    ],
  });

/**
 * Exchange Online (Microsoft Graph) settings as an administrator enters them: the cloud,
 * the app registration and its credential, and the batch account. The client secret or the
 * certificate's private key is in clear only in memory; see {@link StoredExchangeSettings}
 * for the stored form. When they are saved, a credential left out keeps the stored one
 * (`null` clears it), so whether there is exactly one is checked against what is stored
 * ({@link exchangeCredentialIssues}); this schema only refuses two credentials given at once.
 */
export const exchangeSettingsSchema = named(
  z
    .strictObject({
      /**
       * The Microsoft cloud of the tenant: its Entra ID and Microsoft Graph hosts.
       * 'usGovHigh' is GCC High (US Government L4), 'usGovDoD' DoD (L5), 'china' 21Vianet; GCC tenants use 'global'.
       * @default 'global'
       */
      cloud: z.enum(EXCHANGE_CLOUD_NAMES, invalid('exchangeSettings.cloud')).default('global'),
      /** Directory (tenant) ID: a GUID or a verified domain such as "contoso.onmicrosoft.com" (not needed with `managedIdentity`). */
      tenantId: trimmedMatch('exchangeSettings.tenantId', `${GUID}|${TENANT_DOMAIN}`).optional(),
      /** Application (client) ID of the app registration, a GUID (not needed with `managedIdentity`). */
      clientId: trimmedMatch('exchangeSettings.clientId', GUID).optional(),
      /** Credential: the client secret value (not the secret ID). When saving: left out keeps the stored credential, `null` clears it. */
      clientSecret: z.string(invalid('exchangeSettings.clientSecret')).min(1).nullable().optional(),
      /** Credential: a certificate uploaded to the app registration. When saving: `null` clears it. */
      certificate: certificateSchema.nullable().optional(),
      /**
       * Credential: a signed client assertion (workload identity federation) that the host
       * application supplies with `exchangeProvider({ clientAssertion })`.
       */
      clientAssertion: z.literal(true, invalid('exchangeSettings.clientAssertion')).optional(),
      /**
       * Credential: the Azure managed identity of the machine (system-assigned, `true`) or a
       * user-assigned one (`{ clientId }`), through msal-node's ManagedIdentityApplication.
       */
      managedIdentity: z
        .union(
          [z.literal(true), z.strictObject({ clientId: trimmedMatch('exchangeSettings.managedIdentity.clientId', GUID) }, invalid('exchangeSettings.managedIdentity'))],
          invalid('exchangeSettings.managedIdentity'),
        )
        .optional(),
      /**
       * Authority host, when given: must be the cloud's (login.microsoftonline.com,
       * login.microsoftonline.us or login.chinacloudapi.cn). Choose the cloud with `cloud`.
       */
      authorityHost: trimmedMatch('exchangeSettings.authorityHost', AUTHORITY_HOSTS.map(hostPattern).join('|')).optional(),
      /** The batch account: the mailbox non-interactive (queued) email is sent from. */
      batchMailbox: trimmedMatch('exchangeSettings.batchMailbox', MAILBOX).optional(),
      /** Keep a copy in the sending mailbox's Sent Items (also lets an uncertain send be checked before a retry). @default true */
      saveToSentItems: z.boolean(invalid('exchangeSettings.saveToSentItems')).default(true),
    })
    .superRefine((value, ctx) => {
      const given = CREDENTIALS.filter((name) => isValidGiven(name, value[name]));
      if (given.length > 1) ruleIssue(ctx, 'oneCredential', [given[0] as Credential]);
      if (value.managedIdentity === undefined) {
        if (value.tenantId === undefined) ruleIssue(ctx, 'tenantIdNeeded', ['tenantId']);
        if (value.clientId === undefined) ruleIssue(ctx, 'clientIdNeeded', ['clientId']);
      }
      const cloud = EXCHANGE_CLOUDS[value.cloud];
      if (value.authorityHost !== undefined && !new RegExp(`^${hostPattern(cloud.authorityHost)}$`).test(value.authorityHost)) {
        ruleIssue(ctx, 'authorityHostNotCloud', ['authorityHost'], { cloud: cloud.name, host: cloud.authorityHost });
      }
    })
    .meta({
      allOf: [
        // At most one credential given.
        { not: { anyOf: CREDENTIAL_PAIRS.map(([a, b]) => ({ properties: { [a]: GIVEN[a], [b]: GIVEN[b] }, required: [a, b] })) } },
        // The app registration, unless the credential is a managed identity.
        { if: { not: { required: ['managedIdentity'] } }, then: { required: ['tenantId', 'clientId'] } },
        // The authority host, when given, is the cloud's ('global' when the cloud is left out).
        ...EXCHANGE_CLOUD_NAMES.map((name) => ({
          if: name === 'global' ? { anyOf: [{ not: { required: ['cloud'] } }, { properties: { cloud: { const: name } } }] } : { properties: { cloud: { const: name } }, required: ['cloud'] },
          then: { properties: { authorityHost: { pattern: `^\\s*${hostPattern(EXCHANGE_CLOUDS[name].authorityHost)}\\s*$` } } },
        })),
      ],
    }),
  'exchangeSettings',
);

/** What callers may pass (defaults applied on parse); `null` clears a stored credential. */
export type ExchangeSettingsInput = z.input<typeof exchangeSettingsSchema>;

/** A certificate credential as MSAL signs with it: thumbprint and private key (a PFX is read into this form). */
export interface ExchangeCertificate {
  /** SHA-256 thumbprint of the certificate, hex. */
  thumbprintSha256: string;
  /** The private key, PEM. */
  privateKey: string;
  /** The public certificate chain in PEM, sent as `x5c`. */
  x5c?: string;
}

/** Exchange settings with the secret in clear, complete: what the provider signs in with (never persisted in this form). */
export type ExchangeSettings = Omit<z.output<typeof exchangeSettingsSchema>, 'clientSecret' | 'certificate'> & {
  /** Client secret value. */
  clientSecret?: string;
  /** Certificate credential. */
  certificate?: ExchangeCertificate;
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
 * needs its private key (or its PFX) unless the same certificate's key is stored.
 */
export function exchangeCredentialIssues(input: unknown, previous?: StoredExchangeSettings): SettingsIssue[] {
  if (!isObject(input)) return [];
  const { certificate } = input;
  if (isObject(certificate)) {
    const sameCertificate = typeof certificate.thumbprintSha256 === 'string' && certificate.thumbprintSha256.trim().toLowerCase() === previous?.certificate?.thumbprintSha256.toLowerCase();
    return certificate.privateKey === undefined && certificate.pfx === undefined && !sameCertificate ? [ruleSettingsIssue('certificate.privateKey', 'certificateNeedsPrivateKey')] : [];
  }
  if (CREDENTIALS.some((name) => isGiven(name, input[name]))) return [];
  const stored = (name: Credential): boolean => (name === 'clientSecret' ? previous?.clientSecretSecret : previous?.[name]) !== undefined;
  const kept = CREDENTIALS.some((name) => input[name] === undefined && stored(name));
  return kept ? [] : [ruleSettingsIssue('clientSecret', 'oneCredential')];
}

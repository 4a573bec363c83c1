import { markSecretFields } from '../../errors/secrets-in-play.js';
import { exchangeCredentialIssues, exchangeSettingsSchema, type ExchangeCertificate, type ExchangeSettings, type ExchangeSettingsInput, type StoredExchangeSettings } from '../../parameters/exchange-settings.js';
import { invalidSettings, parseSettings } from '../../parameters/parse-settings.js';
import { ruleSettingsIssue } from '../../parameters/settings-issues.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { secretBinding } from '../sealed-settings-service.js';
import { checkStoredSettings } from '../stored-settings-check.js';
import { certificateFromPfx } from './pfx-certificate.js';

type ParsedSettings = ReturnType<typeof exchangeSettingsSchema.parse>;
type ParsedCertificate = NonNullable<ParsedSettings['certificate']>;

/**
 * A parsed certificate credential as MSAL signs with it: a PFX is opened (MW_INVALID_SETTINGS
 * on `certificate.pfx` when it cannot be); a thumbprint without its private key is undefined
 * (the stored key is kept).
 */
function pemCertificate(certificate: ParsedCertificate): ExchangeCertificate | undefined {
  const x5c = certificate.x5c !== undefined ? { x5c: certificate.x5c } : {};
  if (certificate.pfx !== undefined) {
    try {
      return { ...certificateFromPfx(certificate.pfx, certificate.pfxPassword), ...x5c };
    } catch (error) {
      throw invalidSettings('Exchange settings', [ruleSettingsIssue('certificate.pfx', 'pfxUnreadable', { reason: (error as Error).message })]);
    }
  }
  if (certificate.thumbprintSha256 === undefined || certificate.privateKey === undefined) return undefined;
  return { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, ...x5c };
}

/** Settings given in code, complete (MW_INVALID_SETTINGS listing every bad field; exactly one credential). */
export function completeExchangeSettings(input: ExchangeSettingsInput): ExchangeSettings {
  const { clientSecret, certificate, ...rest } = parseSettings(exchangeSettingsSchema, input, 'Exchange settings', exchangeCredentialIssues(input));
  const pem = certificate ? pemCertificate(certificate) : undefined;
  const settings: ExchangeSettings = { ...rest, ...(typeof clientSecret === 'string' ? { clientSecret } : {}), ...(pem !== undefined ? { certificate: pem } : {}) };
  markSecretFields(settings);
  return settings;
}

/**
 * Validates Exchange settings (MW_INVALID_SETTINGS listing every bad field) and encrypts the
 * client secret or the certificate's private key for storage, bound to the settings of
 * provider `providerId` (it opens nowhere else). A credential given replaces the stored one;
 * with none given, the credential of `previous` (the settings stored before) is kept, unless
 * cleared with `null`. A certificate given without its private key keeps the stored key of
 * the same certificate.
 */
export function sealExchangeSettings(input: ExchangeSettingsInput, secrets: SecretBox, providerId: string, previous?: StoredExchangeSettings): StoredExchangeSettings {
  const { clientSecret, certificate, ...rest } = parseSettings(exchangeSettingsSchema, input, 'Exchange settings', exchangeCredentialIssues(input, previous));
  if (typeof clientSecret === 'string') return { ...rest, clientSecretSecret: secrets.encrypt(clientSecret, secretBinding(providerId, 'clientSecret')) };
  if (certificate) {
    const pem = pemCertificate(certificate);
    const thumbprintSha256 = pem?.thumbprintSha256 ?? (certificate.thumbprintSha256 as string);
    const privateKeySecret = pem !== undefined ? secrets.encrypt(pem.privateKey, secretBinding(providerId, 'certificate.privateKey')) : previous!.certificate!.privateKeySecret;
    const x5c = pem?.x5c ?? certificate.x5c;
    return { ...rest, certificate: { thumbprintSha256, privateKeySecret, ...(x5c !== undefined ? { x5c } : {}) } };
  }
  if (rest.clientAssertion !== undefined || rest.managedIdentity !== undefined) return rest;
  return {
    ...rest,
    ...(clientSecret === undefined && previous?.clientSecretSecret !== undefined ? { clientSecretSecret: previous.clientSecretSecret } : {}),
    ...(certificate === undefined && previous?.certificate !== undefined ? { certificate: previous.certificate } : {}),
    ...(previous?.clientAssertion !== undefined ? { clientAssertion: previous.clientAssertion } : {}),
    ...(previous?.managedIdentity !== undefined ? { managedIdentity: previous.managedIdentity } : {}),
  };
}

/**
 * Stored Exchange settings of provider `providerId` with the secret decrypted (MW_SECRET_UNREADABLE
 * when it cannot be), remembered as a secret in play so no failure shows it, and completed as
 * settings given in code are (MW_PROVIDER_NOT_CONFIGURED when they are no longer valid).
 */
export function openExchangeSettings(stored: StoredExchangeSettings, secrets: SecretBox, providerId: string): ExchangeSettings {
  const { clientSecretSecret, certificate, ...rest } = stored;
  const opened: ExchangeSettings = {
    ...rest,
    ...(clientSecretSecret !== undefined ? { clientSecret: secrets.decrypt(clientSecretSecret, 'Exchange client secret', secretBinding(providerId, 'clientSecret')) } : {}),
    ...(certificate !== undefined
      ? {
          certificate: {
            thumbprintSha256: certificate.thumbprintSha256,
            privateKey: secrets.decrypt(certificate.privateKeySecret, 'Exchange certificate private key', secretBinding(providerId, 'certificate.privateKey')),
            ...(certificate.x5c !== undefined ? { x5c: certificate.x5c } : {}),
          },
        }
      : {}),
  };
  return checkStoredSettings('Exchange', providerId, 'the admin console or `mailwright.exchangeSettings.save()`', () => completeExchangeSettings(opened as ExchangeSettingsInput));
}

/** Exchange settings as a settings screen shows them: which credential is set, never its value. */
export interface ExchangeSettingsView extends Omit<StoredExchangeSettings, 'clientSecretSecret' | 'certificate'> {
  /** Which credential is stored: the client secret, a certificate, a client assertion the host supplies, or a managed identity. */
  credential: 'clientSecret' | 'certificate' | 'clientAssertion' | 'managedIdentity';
  /** The certificate's SHA-256 thumbprint (hex), when the credential is a certificate. */
  certificateThumbprintSha256?: string;
}

/** Stored settings without their secrets. */
export function describeExchangeSettings(stored: StoredExchangeSettings): ExchangeSettingsView {
  const { clientSecretSecret: _secret, certificate, ...rest } = stored;
  if (certificate !== undefined) return { ...rest, credential: 'certificate', certificateThumbprintSha256: certificate.thumbprintSha256 };
  if (rest.managedIdentity !== undefined) return { ...rest, credential: 'managedIdentity' };
  if (rest.clientAssertion !== undefined) return { ...rest, credential: 'clientAssertion' };
  return { ...rest, credential: 'clientSecret' };
}

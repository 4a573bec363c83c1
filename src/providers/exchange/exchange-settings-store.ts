import { parseSettings } from '../../parameters/parse-settings.js';
import {
  exchangeCredentialIssues,
  exchangeSettingsSchema,
  type ExchangeSettings,
  type ExchangeSettingsInput,
  type StoredExchangeSettings,
} from '../../parameters/exchange-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';

/** Settings given in code, complete (MW_INVALID_SETTINGS listing every bad field; exactly one credential). */
export function completeExchangeSettings(input: ExchangeSettingsInput): ExchangeSettings {
  const { clientSecret, certificate, ...rest } = parseSettings(exchangeSettingsSchema, input, 'Exchange settings', exchangeCredentialIssues(input));
  return {
    ...rest,
    ...(typeof clientSecret === 'string' ? { clientSecret } : {}),
    ...(certificate?.privateKey !== undefined
      ? { certificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, ...(certificate.x5c !== undefined ? { x5c: certificate.x5c } : {}) } }
      : {}),
  };
}

/**
 * Validates Exchange settings (MW_INVALID_SETTINGS listing every bad field) and
 * encrypts the client secret or the certificate's private key for storage. A credential
 * given replaces the stored one; with none given, the credential of `previous` (the
 * settings stored before) is kept, unless cleared with `null`. A certificate given
 * without its private key keeps the stored key of the same certificate.
 */
export function sealExchangeSettings(input: ExchangeSettingsInput, secrets: SecretBox, previous?: StoredExchangeSettings): StoredExchangeSettings {
  const { clientSecret, certificate, ...rest } = parseSettings(exchangeSettingsSchema, input, 'Exchange settings', exchangeCredentialIssues(input, previous));
  if (typeof clientSecret === 'string') return { ...rest, clientSecretSecret: secrets.encrypt(clientSecret) };
  if (certificate) {
    const privateKeySecret = certificate.privateKey !== undefined ? secrets.encrypt(certificate.privateKey) : previous!.certificate!.privateKeySecret;
    return { ...rest, certificate: { thumbprintSha256: certificate.thumbprintSha256, privateKeySecret, ...(certificate.x5c !== undefined ? { x5c: certificate.x5c } : {}) } };
  }
  return {
    ...rest,
    ...(clientSecret === undefined && previous?.clientSecretSecret !== undefined ? { clientSecretSecret: previous.clientSecretSecret } : {}),
    ...(certificate === undefined && previous?.certificate !== undefined ? { certificate: previous.certificate } : {}),
  };
}

/** Stored Exchange settings with the secret decrypted (MW_SECRET_UNREADABLE when it cannot be). */
export function openExchangeSettings(stored: StoredExchangeSettings, secrets: SecretBox): ExchangeSettings {
  const { clientSecretSecret, certificate, ...rest } = stored;
  return {
    ...rest,
    ...(clientSecretSecret !== undefined ? { clientSecret: secrets.decrypt(clientSecretSecret, 'Exchange client secret') } : {}),
    ...(certificate !== undefined
      ? {
          certificate: {
            thumbprintSha256: certificate.thumbprintSha256,
            privateKey: secrets.decrypt(certificate.privateKeySecret, 'Exchange certificate private key'),
            ...(certificate.x5c !== undefined ? { x5c: certificate.x5c } : {}),
          },
        }
      : {}),
  };
}

/** Exchange settings as a settings screen shows them: which credential is set, never its value. */
export interface ExchangeSettingsView extends Omit<StoredExchangeSettings, 'clientSecretSecret' | 'certificate'> {
  /** Which credential is stored: the client secret or a certificate. */
  credential: 'clientSecret' | 'certificate';
  /** The certificate's SHA-256 thumbprint (hex), when the credential is a certificate. */
  certificateThumbprintSha256?: string;
}

/** Stored settings without their secrets. */
export function describeExchangeSettings(stored: StoredExchangeSettings): ExchangeSettingsView {
  const { clientSecretSecret, certificate, ...rest } = stored;
  return clientSecretSecret !== undefined || certificate === undefined
    ? { ...rest, credential: 'clientSecret' }
    : { ...rest, credential: 'certificate', certificateThumbprintSha256: certificate.thumbprintSha256 };
}

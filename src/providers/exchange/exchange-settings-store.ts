import { parseSettings } from '../../parameters/parse-settings.js';
import {
  exchangeSettingsSchema,
  type ExchangeSettings,
  type ExchangeSettingsInput,
  type StoredExchangeSettings,
} from '../../parameters/exchange-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { secretBinding } from '../sealed-settings-service.js';
import { markSecretFields } from '../../errors/secrets-in-play.js';

/**
 * Validates Exchange settings (MW_INVALID_SETTINGS listing every bad field) and
 * encrypts the client secret or the certificate's private key for storage,
 * bound to the settings of provider `providerId` (it opens nowhere else).
 */
export function sealExchangeSettings(input: ExchangeSettingsInput, secrets: SecretBox, providerId: string): StoredExchangeSettings {
  const { clientSecret, certificate, ...rest } = parseSettings(exchangeSettingsSchema, input, 'Exchange settings');
  return {
    ...rest,
    ...(clientSecret !== undefined ? { clientSecretSecret: secrets.encrypt(clientSecret, secretBinding(providerId, 'clientSecret')) } : {}),
    ...(certificate !== undefined
      ? {
          certificate: {
            thumbprintSha256: certificate.thumbprintSha256,
            privateKeySecret: secrets.encrypt(certificate.privateKey, secretBinding(providerId, 'certificate.privateKey')),
            ...(certificate.x5c !== undefined ? { x5c: certificate.x5c } : {}),
          },
        }
      : {}),
  };
}

/**
 * Stored Exchange settings of provider `providerId` with the secret decrypted (MW_SECRET_UNREADABLE
 * when it cannot be), remembered as a secret in play so no failure shows it.
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
  markSecretFields(opened);
  return opened;
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

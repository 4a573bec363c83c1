import type { SmtpSettingsInput, StoredSmtpSettings } from '../../parameters/smtp-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { Store } from '../../store/store.js';
import { describeSmtpSettings, providerSettingsKey, sealSmtpSettings } from './smtp-settings-store.js';

/** SMTP settings as a settings screen shows them: no password, only whether one is set. */
export type SmtpSettingsView = ReturnType<typeof describeSmtpSettings>;

/**
 * Saves and reads the SMTP settings of providers created without inline
 * settings (`smtpProvider({ id })`). The password is stored encrypted.
 */
export class SmtpSettingsService {
  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'putSetting'>,
    private readonly secrets: SecretBox,
  ) {}

  /** Validates (MW_INVALID_SETTINGS listing every bad field), encrypts the password and saves. */
  async save(providerId: string, input: SmtpSettingsInput): Promise<SmtpSettingsView> {
    const sealed = sealSmtpSettings(input, this.secrets);
    await this.store.putSetting(providerSettingsKey(providerId), sealed);
    return describeSmtpSettings(sealed);
  }

  /** The saved settings without the password, or undefined. */
  async get(providerId: string): Promise<SmtpSettingsView | undefined> {
    const stored = await this.store.getSetting<StoredSmtpSettings>(providerSettingsKey(providerId));
    return stored === undefined ? undefined : describeSmtpSettings(stored);
  }
}

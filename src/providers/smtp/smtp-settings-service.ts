import type { SmtpSettingsInput, StoredSmtpSettings } from '../../parameters/smtp-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { Store } from '../../store/store.js';
import { SealedSettingsService } from '../sealed-settings-service.js';
import { describeSmtpSettings, sealSmtpSettings } from './smtp-settings-store.js';

/** SMTP settings as a settings screen shows them: no password, only whether one is set. */
export type SmtpSettingsView = ReturnType<typeof describeSmtpSettings>;

/** Saves and reads stored SMTP settings (`smtpProvider({ id })`); the password is stored encrypted. */
export type SmtpSettingsService = SealedSettingsService<SmtpSettingsInput, StoredSmtpSettings, SmtpSettingsView>;

/** Creates the {@link SmtpSettingsService}. */
export const smtpSettingsService = (store: Pick<Store, 'getSetting' | 'putSetting'>, secrets: SecretBox): SmtpSettingsService =>
  new SealedSettingsService(store, secrets, { seal: sealSmtpSettings, describe: describeSmtpSettings });

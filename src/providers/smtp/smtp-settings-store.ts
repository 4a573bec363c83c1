import { parseSettings } from '../../parameters/parse-settings.js';
import { smtpPasswordIssues, smtpSettingsSchema, type SmtpSettings, type SmtpSettingsInput, type StoredSmtpSettings } from '../../parameters/smtp-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { secretBinding } from '../sealed-settings-service.js';
import { checkStoredSettings } from '../stored-settings-check.js';

/** Settings given in code, complete (MW_INVALID_SETTINGS listing every bad field; a user name needs its password). */
export function completeSmtpSettings(input: SmtpSettingsInput): SmtpSettings {
  const { password, ...rest } = parseSettings(smtpSettingsSchema, input, 'SMTP settings', smtpPasswordIssues(input, false));
  return typeof password === 'string' ? { ...rest, password } : rest;
}

/**
 * Validates SMTP settings (MW_INVALID_SETTINGS listing every bad field) and replaces the
 * password by its encrypted form for storage, bound to the settings of provider
 * `providerId` (it opens nowhere else). A password left out keeps the one of `previous`
 * (the settings stored before), `password: null` clears it.
 */
export function sealSmtpSettings(input: SmtpSettingsInput, secrets: SecretBox, providerId: string, previous?: StoredSmtpSettings): StoredSmtpSettings {
  const kept = previous?.passwordSecret;
  const { password, ...rest } = parseSettings(smtpSettingsSchema, input, 'SMTP settings', smtpPasswordIssues(input, kept !== undefined));
  if (typeof password === 'string') return { ...rest, passwordSecret: secrets.encrypt(password, secretBinding(providerId, 'password')) };
  return password === undefined && kept !== undefined ? { ...rest, passwordSecret: kept } : rest;
}

/**
 * Stored SMTP settings of provider `providerId` with the password decrypted (MW_SECRET_UNREADABLE
 * when it cannot be), remembered as a secret in play so no failure shows it, and completed as
 * settings given in code are (MW_PROVIDER_NOT_CONFIGURED when they are no longer valid).
 */
export function openSmtpSettings(stored: StoredSmtpSettings, secrets: SecretBox, providerId: string): SmtpSettings {
  const { passwordSecret, ...rest } = stored;
  const opened = passwordSecret === undefined ? rest : { ...rest, password: secrets.decrypt(passwordSecret, 'SMTP password', secretBinding(providerId, 'password')) };
  return checkStoredSettings('SMTP', providerId, 'the admin console, `mailwright smtp set` or `mailwright.smtpSettings.save()`', () => completeSmtpSettings(opened));
}

/** Stored settings as shown on a settings screen: never the password, only whether one is set. */
export function describeSmtpSettings(stored: StoredSmtpSettings): Omit<StoredSmtpSettings, 'passwordSecret'> & { hasPassword: boolean } {
  const { passwordSecret, ...rest } = stored;
  return { ...rest, hasPassword: passwordSecret !== undefined };
}

import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { catalogueEn } from './catalogue-en.js';
import { catalogueFr } from './catalogue-fr.js';

/** The settings objects that have a catalogue: the schemas of `settingsJsonSchemas()`. */
export type SettingsSchemaName = 'emailParameters' | 'smtpSettings' | 'exchangeSettings' | 'userEmailOptions';

/**
 * Every field of every settings schema, as `schema.path` (`*` stands for any key of a record,
 * e.g. a provider id in `emailParameters.perMinuteLimits.*`).
 */
export type SettingsFieldKey =
  | 'emailParameters.batchProviderId'
  | 'emailParameters.attachmentSizeLimitBytes'
  | 'emailParameters.historyRetentionDays'
  | 'emailParameters.perMinuteLimits'
  | 'emailParameters.perMinuteLimits.*'
  | 'emailParameters.maxDeferrals'
  | 'emailParameters.maxAttempts'
  | 'smtpSettings.host'
  | 'smtpSettings.port'
  | 'smtpSettings.requireTls'
  | 'smtpSettings.implicitTls'
  | 'smtpSettings.requireAuth'
  | 'smtpSettings.allowInsecureAuth'
  | 'smtpSettings.username'
  | 'smtpSettings.password'
  | 'smtpSettings.mailbox'
  | 'smtpSettings.connectionTimeoutMs'
  | 'smtpSettings.ca'
  | 'smtpSettings.servername'
  | 'exchangeSettings.cloud'
  | 'exchangeSettings.tenantId'
  | 'exchangeSettings.clientId'
  | 'exchangeSettings.clientSecret'
  | 'exchangeSettings.certificate'
  | 'exchangeSettings.certificate.thumbprintSha256'
  | 'exchangeSettings.certificate.privateKey'
  | 'exchangeSettings.certificate.x5c'
  | 'exchangeSettings.certificate.pfx'
  | 'exchangeSettings.certificate.pfxPassword'
  | 'exchangeSettings.clientAssertion'
  | 'exchangeSettings.managedIdentity'
  | 'exchangeSettings.managedIdentity.clientId'
  | 'exchangeSettings.authorityHost'
  | 'exchangeSettings.batchMailbox'
  | 'exchangeSettings.saveToSentItems'
  | 'userEmailOptions.senderEmail'
  | 'userEmailOptions.senderName'
  | 'userEmailOptions.providerId'
  | 'userEmailOptions.doNotAskAgain'
  | 'userEmailOptions.emailNotifications'
  | 'userEmailOptions.language';

/** Messages of checks that are not about one field's own value (rules between fields, provider ids, unknown fields). */
export type SettingsMessageKey =
  | 'unknownField'
  | 'unknownProvider'
  | 'notBatchProvider'
  | 'notInteractiveProvider'
  | 'authNeedsUsername'
  | 'usernameNeedsPassword'
  | 'passwordNeedsUsername'
  | 'storedPasswordNeedsUsername'
  | 'oneCredential'
  | 'certificateNeedsPrivateKey'
  | 'certificateNeedsThumbprint'
  | 'pfxOrKey'
  | 'pfxUnreadable'
  | 'tenantIdNeeded'
  | 'clientIdNeeded'
  | 'authorityHostNotCloud';

/** What a settings screen shows for one field. */
export interface FieldText {
  /** The field's label. */
  title: string;
  /** A sentence or two under the field: what it does, its default. */
  description: string;
  /** Shown next to the field when its value is not valid: what a valid value is. */
  invalid: string;
}

/**
 * The texts of the settings screens in one language: every field's label, description
 * and error message, the title of each settings object, and the messages of checks
 * between fields. Messages may hold `{name}` placeholders (see {@link formatSettingsMessage}).
 */
export interface SettingsCatalogue {
  /** The language, a BCP 47 tag such as "en". */
  language: string;
  /** The title and description of each settings object. */
  schemas: Record<SettingsSchemaName, { title: string; description: string }>;
  /** Each field's texts. */
  fields: Record<SettingsFieldKey, FieldText>;
  /** The other messages. */
  messages: Record<SettingsMessageKey, string>;
}

/** The catalogues that ship with mailwright: English and French. */
export const settingsCatalogues: Readonly<Record<string, SettingsCatalogue>> = { en: catalogueEn, fr: catalogueFr };

/**
 * The catalogue for a language: `fr-CA` gives the French one; a language without a
 * catalogue gives English. A catalogue object is returned as it is (a host's own language).
 * @param locale A BCP 47 tag, or a catalogue of the host's own.
 * @default 'en'
 */
export function settingsCatalogue(locale: string | SettingsCatalogue = 'en'): SettingsCatalogue {
  if (typeof locale !== 'string') {
    const given = locale as Partial<SettingsCatalogue> | null;
    if (typeof given === 'object' && given !== null && typeof given.fields === 'object' && typeof given.messages === 'object' && typeof given.schemas === 'object') return locale;
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, 'A settings locale is a language tag such as "fr-CA", or a catalogue with schemas, fields and messages.', {
      fix: `Pass a language tag (built in: ${Object.keys(settingsCatalogues).join(', ')}), or a catalogue shaped like settingsCatalogue('en').`,
      details: { field: 'locale' },
    });
  }
  return settingsCatalogues[locale.toLowerCase()] ?? settingsCatalogues[locale.toLowerCase().split('-')[0] ?? ''] ?? catalogueEn;
}

/** A catalogue message with its `{name}` placeholders filled in (a placeholder without a value stays as it is). */
export function formatSettingsMessage(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Is this a field key (`schema.path`) rather than a message key? */
export const isFieldKey = (key: string): key is SettingsFieldKey => key in catalogueEn.fields;

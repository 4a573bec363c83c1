import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';
import { settingsFromForm } from '../../src/parameters/settings-from-form.js';
import { translateSettingsIssues } from '../../src/parameters/settings-issues.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';

const providers = [smtpProvider({ id: 'smtp', settings: { host: 'h', requireAuth: false } }), emlProvider({ id: 'eml', write: false })];

describe('settingsFromForm: form data to typed settings, with per-field messages', () => {
  it('parses numbers, leaves empty fields out (defaults apply) and reads a record field by field', () => {
    const form = new URLSearchParams([
      ['_csrf', 'token'],
      ['batchProviderId', 'smtp'],
      ['attachmentSizeLimitBytes', ''],
      ['historyRetentionDays', '60'],
      ['perMinuteLimits.smtp', ' 10 '],
      ['perMinuteLimits.eml', ''],
      ['maxDeferrals', '3'],
    ]);
    expect(settingsFromForm('emailParameters', form, { providers })).toEqual({
      success: true,
      data: { batchProviderId: 'smtp', attachmentSizeLimitBytes: 26_214_400, historyRetentionDays: 60, perMinuteLimits: { smtp: 10 }, maxDeferrals: 3, maxAttempts: 5 },
    });
  });

  it('an empty choice that may be null is null: the batch provider "none"', () => {
    expect(settingsFromForm('emailParameters', { batchProviderId: '' })).toMatchObject({ success: true, data: { batchProviderId: null } });
  });

  it('gives every bad field its message keyed by its form name, in the language asked', () => {
    const result = settingsFromForm('emailParameters', { historyRetentionDays: 'sixty', maxAttempts: '0', batchProviderId: 'ghost', 'perMinuteLimits.smtp': '-1' }, { providers });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.errors).toEqual({
      batchProviderId: 'No provider "ghost"; registered: smtp, eml.',
      historyRetentionDays: 'Enter a whole number of days from 0 to 36500 (0 means the default, 30).',
      'perMinuteLimits.smtp': 'Enter a whole number of emails per minute, 0 or more (0 means no limit).',
      maxAttempts: 'Enter a whole number of attempts from 1 to 100.',
    });
    expect(result.issues.map((i) => i.field)).toEqual(Object.keys(result.errors));
    const french = settingsFromForm('emailParameters', { historyRetentionDays: '1.5' }, { locale: 'fr' });
    expect(french).toMatchObject({ success: false, errors: { historyRetentionDays: 'Saisissez un nombre entier de jours entre 0 et 36500 (0 signifie la valeur par défaut, 30).' } });
  });

  it('checkboxes: a hidden "false" before the box, the last value wins; a field left out keeps its default', () => {
    const checked = new URLSearchParams([
      ['host', 'smtp.contoso.com'],
      ['requireTls', 'false'],
      ['requireTls', 'on'],
      ['requireAuth', 'false'],
    ]);
    expect(settingsFromForm('smtpSettings', checked)).toMatchObject({ success: true, data: { requireTls: true, requireAuth: false, port: 587 } });
    expect(settingsFromForm('smtpSettings', { host: 'h', requireTls: ['false'], requireAuth: 'off' })).toMatchObject({ success: true, data: { requireTls: false } });
    expect(settingsFromForm('smtpSettings', { host: 'h', requireTls: 'maybe', requireAuth: 'false' })).toMatchObject({ success: false, errors: { requireTls: 'Choose whether TLS is required: true or false.' } });
  });

  it('a secret left empty is left out (the save keeps the stored one); _clear names a field to clear', () => {
    const form = { host: 'smtp.contoso.com', port: '465', username: 'mailer@contoso.com', password: '' };
    const kept = settingsFromForm('smtpSettings', form);
    expect(kept).toMatchObject({ success: true, data: { port: 465, username: 'mailer@contoso.com' } });
    expect(kept.success && 'password' in kept.data).toBe(false);
    expect(settingsFromForm('smtpSettings', { ...form, _clear: 'password' })).toMatchObject({ success: true, data: { password: null } });
  });

  it('nested fields: a certificate appears only when one of its fields is filled', () => {
    const base = { tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: '', 'certificate.thumbprintSha256': '', 'certificate.privateKey': '' };
    const none = settingsFromForm('exchangeSettings', base);
    expect(none.success && 'certificate' in none.data).toBe(false);
    expect(settingsFromForm('exchangeSettings', { ...base, 'certificate.thumbprintSha256': 'AB'.repeat(32) })).toMatchObject({ success: true, data: { certificate: { thumbprintSha256: 'AB'.repeat(32) } } });
    expect(settingsFromForm('exchangeSettings', { ...base, 'certificate.thumbprintSha256': 'xyz' })).toMatchObject({ success: false, errors: { 'certificate.thumbprintSha256': expect.stringContaining('64 hex digits') } });
  });

  it('takes FormData and name/value pairs too; refuses a field the settings do not have unless ignored', () => {
    const data = new FormData();
    data.append('language', 'fr-CA');
    data.append('emailNotifications', 'on');
    expect(settingsFromForm('userEmailOptions', data)).toEqual({ success: true, data: { language: 'fr-CA', emailNotifications: true } });
    expect(settingsFromForm('userEmailOptions', [['senderName', ' Ana ']] as const)).toEqual({ success: true, data: { senderName: 'Ana' } });
    expect(settingsFromForm('userEmailOptions', { submit: 'Save' })).toMatchObject({ success: false, errors: { submit: expect.stringContaining('"submit" is not a setting') } });
    expect(settingsFromForm('userEmailOptions', { submit: 'Save' }, { ignore: ['submit'] })).toEqual({ success: true, data: {} });
  });

  it('a user options form clears what was emptied when every option is passed to updateOptions', async () => {
    const users = new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { senderEmail: 'sales@contoso.com', language: 'fr' } }]);
    const result = settingsFromForm('userEmailOptions', { senderEmail: '', language: 'en', providerId: 'smtp' }, { providers });
    if (!result.success) throw new Error('valid form');
    const keys = ['senderEmail', 'senderName', 'providerId', 'doNotAskAgain', 'emailNotifications', 'language'] as const;
    await users.updateOptions('ana', Object.fromEntries(keys.map((key) => [key, result.data[key]])));
    expect((await users.getUser('ana'))?.options).toEqual({ language: 'en', providerId: 'smtp' });
  });
});

describe('the settings helpers refuse bad input with a typed error that says what to pass', () => {
  it.each([
    ['an unknown settings name', () => settingsFromForm('smtp' as never, {}), 'name'],
    ['no form', () => settingsFromForm('smtpSettings', null as never), 'form'],
    ['a misspelt option', () => settingsFromForm('smtpSettings', {}, { providres: [] } as never), undefined],
    ['a misspelt JSON Schema option', () => settingsJsonSchemas({ local: 'fr' } as never), undefined],
    ['a locale that is neither a tag nor a catalogue', () => settingsJsonSchemas({ locale: 42 as never }), 'locale'],
    ['issues that are not a list', () => translateSettingsIssues('port' as never, 'fr'), 'issues'],
  ])('%s', (_case, call, field) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MailwrightError);
    expect(thrown).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, ...(field ? { details: { field } } : {}) });
  });
});

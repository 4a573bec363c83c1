import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import type { SmtpSettingsInput } from '../../src/parameters/smtp-settings.js';
import { smtpSettingsService } from '../../src/providers/smtp/smtp-settings-service.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { testRuntime } from '../support/test-runtime.js';

const BASE = { host: 'smtp.contoso.com', username: 'mailer@contoso.com', password: 'S3cret!pass' } satisfies SmtpSettingsInput;

/** The settings service over an in-memory store; `saved` is what reached the store. */
function service() {
  const saved = new Map<string, unknown>();
  const store = {
    getSetting: async <T>(key: string) => saved.get(key) as T | undefined,
    putSetting: async (key: string, value: unknown) => {
      saved.set(key, value);
    },
  };
  return { saved, settings: smtpSettingsService(store, testRuntime().secrets) };
}

const issuesOf = (error: MailwrightError) => error.details.issues as { field: string; message: string }[];

describe('SMTP settings', () => {
  it.each([['noreply'], ['noreply@'], ['Contoso Mail <noreply@contoso.com>'], ['no reply@contoso.com']])(
    'a mailbox that is not an email address (%p) is refused naming `mailbox`; nothing is saved',
    async (mailbox) => {
      const { saved, settings } = service();
      const error = await expectMailwrightError(settings.save('smtp', { ...BASE, mailbox }), ErrorCodes.INVALID_SETTINGS);
      expect(issuesOf(error)).toEqual([{ field: 'mailbox', message: expect.stringMatching(/^Enter the mailbox as an email address/), messageKey: 'smtpSettings.mailbox' }]);
      expect(error.message).toContain('- mailbox: Enter the mailbox as an email address');
      expect(saved.size).toBe(0);
      expect(() => smtpProvider({ settings: { ...BASE, mailbox } })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_SETTINGS }));
    },
  );

  it.each([['noreply@contoso.com'], ['  noreply@contoso.com '], ['noreply@bücher.example']])('a mailbox that is an address (%p) is saved, trimmed', async (mailbox) => {
    const { settings } = service();
    expect(await settings.save('smtp', { ...BASE, mailbox })).toMatchObject({ mailbox: mailbox.trim(), hasPassword: true });
  });

  it.each([[true], [false]])('a user name without a password is refused naming `password` (requireAuth %p); nothing is saved', async (requireAuth) => {
    const { saved, settings } = service();
    const error = await expectMailwrightError(settings.save('smtp', { host: 'smtp.contoso.com', requireAuth, username: 'mailer@contoso.com' }), ErrorCodes.INVALID_SETTINGS);
    expect(issuesOf(error)).toEqual([{ field: 'password', message: 'A user name was given without a password: enter the password, or clear the user name.', messageKey: 'usernameNeedsPassword' }]);
    expect(saved.size).toBe(0);
    expect(() => smtpProvider({ settings: { host: 'smtp.contoso.com', requireAuth, username: 'mailer@contoso.com' } })).toThrow(/password: A user name was given without a password/);
  });

  it('authentication required without a user name names `username`; no user name and no password is fine without it', async () => {
    const { settings } = service();
    const error = await expectMailwrightError(settings.save('smtp', { host: 'smtp.contoso.com' }), ErrorCodes.INVALID_SETTINGS);
    expect(issuesOf(error).map((i) => i.field)).toEqual(['username']);
    expect(await settings.save('smtp', { host: 'relay.contoso.com', requireAuth: false })).toMatchObject({ hasPassword: false });
  });
});

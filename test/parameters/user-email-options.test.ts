import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { parseAddress } from '../../src/message/address.js';
import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';
import { settingsFormats } from '../../src/parameters/settings-formats.js';
import { parseSettings } from '../../src/parameters/parse-settings.js';
import { userEmailOptionsSchema } from '../../src/parameters/user-email-options.js';

describe('userEmailOptionsSchema: the Sender email', () => {
  it.each(['jörg@bücher.example', '"ana smith"@contoso.com', 'Ana.Nunez@Contoso.com', "o'brien@contoso.com", 'ana@xn--bcher-kva.example'])(
    'accepts %s, as send() does',
    (address) => {
      expect(() => parseAddress({ address }, 'from')).not.toThrow();
      expect(parseSettings(userEmailOptionsSchema, { senderEmail: address }, 'user email options')).toEqual({ senderEmail: address });
    },
  );

  it.each(['no-at-sign', 'a@b@c', 'ana@contoso', 'ana smith@contoso.com', 'Ana <ana@contoso.com>', ''])('refuses %j with MW_INVALID_SETTINGS naming senderEmail', (address) => {
    let thrown: unknown;
    try {
      parseSettings(userEmailOptionsSchema, { senderEmail: address }, 'user email options');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MailwrightError);
    expect(thrown).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, details: { issues: [{ field: 'senderEmail' }] } });
  });

  it("its JSON Schema has no pattern or standard format that would refuse what send() accepts: mailwright's own format, which settingsFormats checks as send() does", () => {
    const senderEmail = (settingsJsonSchemas().userEmailOptions as { properties: Record<string, Record<string, unknown>> }).properties.senderEmail;
    expect(senderEmail).toMatchObject({ type: 'string', format: 'mailwright-address', description: expect.stringContaining('mailwright checks it') });
    expect(senderEmail).not.toHaveProperty('pattern');
    const check = settingsFormats['mailwright-address']!;
    for (const address of ['jörg@bücher.example', '"ana smith"@contoso.com', ' ana@xn--bcher-kva.example ']) expect(check(address)).toBe(true);
    for (const address of ['no-at-sign', 'ana@contoso', 'Ana <ana@contoso.com>', '']) expect(check(address)).toBe(false);
  });
});

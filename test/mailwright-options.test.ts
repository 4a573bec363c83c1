import { ErrorCodes } from '../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../src/mailwright.js';
import type { MailwrightOptions } from '../src/mailwright-options.js';
import { emlProvider } from '../src/providers/eml/eml-provider.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from './support/expect-mailwright-error.js';

describe('createMailwright checks its options (JavaScript callers are not held to the types)', () => {
  const valid = (): MailwrightOptions => ({ store: createSqliteStore({ filename: ':memory:' }), providers: [emlProvider()], users: new InMemoryUserDirectory() });

  it.each([
    ['a misspelt option', { secretkey: 'x' }, '(options): Unrecognized key: "secretkey"'],
    ['no user directory', { users: undefined }, 'users: must be a user directory with getUser(id) and updateOptions(id, options)'],
    ['providers that are not a list', { providers: emlProvider() }, 'providers: Invalid input: expected array'],
    ['a provider without send()', { providers: [{ id: 'x' }] }, 'providers.0: must be a provider'],
    ['a store that is not a Store', { store: {} }, 'store: must be a Store'],
    ['a clock without sleep()', { clock: { now: () => new Date() } }, 'clock: must be a Clock'],
    ['forwarding without a journal', { forwarding: { providerId: 'eml' } }, 'forwarding.journal: must be a record journal with append(entry)'],
  ])('refuses %s with MW_INVALID_SETTINGS naming it, before opening anything', async (_what, change, message) => {
    const error = await expectMailwrightError(createMailwright({ ...valid(), ...change } as MailwrightOptions), ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toContain('Invalid createMailwright options: ');
    expect(error.message).toContain(message);
  });

  it('takes every documented option', async () => {
    const mailwright: Mailwright = await createMailwright({
      ...valid(),
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      secretKey: Buffer.alloc(32, 1),
      messageIdDomain: 'contoso.com',
      templates: { system: { get: async () => undefined } },
      forwarding: { providerId: 'eml', journal: { append: async () => undefined } },
      contacts: { getContact: async () => undefined },
    });
    expect(mailwright.providers().map((p) => p.id)).toEqual(['eml']);
    await mailwright.close();
  });
});

import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { exchangeProvider } from '../../src/providers/exchange/exchange-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';

/** Calls a factory with JavaScript-style options (not held to the types). */
const untyped = <T>(factory: (options: never) => T, options: object): (() => T) => () => factory(options as never);

describe('a misspelt option is refused, never silently ignored', () => {
  it.each([
    ['smtpProvider', untyped(smtpProvider, { setings: { host: 'smtp.contoso.com' } }), '"setings" is not an option; the options are id, displayName, interactive, batch, settings,'],
    ['emlProvider', untyped(emlProvider, { directry: '/tmp' }), '"directry" is not an option; the options are id, displayName, directory, write.'],
    ['exchangeProvider', untyped(exchangeProvider, { tenant: 'contoso', mailboxconcurrency: 2 }), '"tenant", "mailboxconcurrency" are not options; the options are id,'],
    // Without the check, this one quietly opened ./.mailwright/mailwright.db instead.
    ['createSqliteStore', untyped(createSqliteStore, { filname: '/data/mail.db' }), '"filname" is not an option; the options are filename, busyTimeoutMs, clock, thread, checkpoints.'],
    ['createPostgresStore', untyped(createPostgresStore, { connectionstring: 'postgres://localhost/db' }), '"connectionstring" is not an option; the options are connectionString, pool,'],
  ])('%s', (name, create, message) => {
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MailwrightError);
    expect(thrown).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, message: expect.stringContaining(`Invalid ${name} options: ${message}`) });
  });

  it('SMTP and Exchange settings refuse a field they do not have (a misspelt port used to fall back to 587)', async () => {
    expect(() => smtpProvider({ settings: { host: 'smtp.contoso.com', prot: 465, requireAuth: false } as never })).toThrow('- prot: "prot" is not a setting; the settings are host, port, requireTls,');
    const mailwright = await createMailwright({ store: createSqliteStore({ filename: ':memory:' }), providers: [emlProvider()], users: new InMemoryUserDirectory(), secretKey: Buffer.alloc(32, 7) });
    try {
      const smtp = await expectMailwrightError(mailwright.smtpSettings.save('smtp', { host: 'smtp.contoso.com', prot: 465, requireAuth: false } as never), ErrorCodes.INVALID_SETTINGS);
      expect(smtp.details).toMatchObject({ issues: [{ field: 'prot', message: expect.stringContaining('"prot" is not a setting'), messageKey: 'unknownField' }] });
      const exchange = await expectMailwrightError(
        mailwright.exchangeSettings.save('exchange', { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000001', clientSecret: 's', batchMailbox: 'batch@contoso.com', tennant: 'x' } as never),
        ErrorCodes.INVALID_SETTINGS,
      );
      expect(exchange.message).toContain('- tennant: "tennant" is not a setting; the settings are cloud, tenantId, clientId, clientSecret, certificate,');
      expect(await mailwright.smtpSettings.get('smtp')).toBeUndefined();
    } finally {
      await mailwright.close();
    }
  });

  it('compose() without a user id, forwardRecord() with a misspelt option, processInbound() without its message', async () => {
    const journal = { append: async (): Promise<void> => undefined };
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: ':memory:' }),
      providers: [emlProvider()],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com' }]),
      forwarding: { providerId: 'eml', journal },
    });
    try {
      const message = { to: 'customer@example.com', subject: 'Hello', text: 'x' };
      const noUser = await expectMailwrightError(mailwright.compose(message, undefined as never), ErrorCodes.USER_NOT_FOUND);
      expect(noUser.message).toBe('No user id was given (got nothing).');
      const record = { id: 'case-7', number: 'CAS-7', subject: 'Printer', attachments: [] };
      const forward = await expectMailwrightError(mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'vendor@example.com', coment: 'hi' } as never), ErrorCodes.INVALID_SETTINGS);
      expect(forward.details).toMatchObject({ unknown: ['coment'] });
      // Without the check, a mailbox with no forwarding answered "keep it, nothing forwarded" without looking at the message.
      const misspelt = await expectMailwrightError(mailwright.processInbound({ mailbox: 'support@contoso.com', mesage: 'x' } as never), ErrorCodes.INVALID_MESSAGE);
      expect(misspelt.message).toContain('"mesage" is not a field; the fields are mailbox, message.');
      const empty = await expectMailwrightError(mailwright.processInbound({ mailbox: 'support@contoso.com', message: '' }), ErrorCodes.INVALID_MESSAGE);
      expect(empty.message).toBe('The inbound delivery has no message.');
      for (const nothing of [undefined, null]) {
        await expectMailwrightError(mailwright.processInbound(nothing as never), ErrorCodes.INVALID_MESSAGE);
        await expectMailwrightError(mailwright.previewInbound(nothing as never), ErrorCodes.INVALID_MESSAGE);
      }
    } finally {
      await mailwright.close();
    }
  });

  it('history.list() and notify(): a misspelt filter would list everything, a misspelt template id would skip everyone', async () => {
    const mailwright = await createMailwright({ store: createSqliteStore({ filename: ':memory:' }), providers: [emlProvider()], users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com' }]) });
    try {
      const query = await expectMailwrightError(mailwright.history.list({ statuss: 'failed' } as never), ErrorCodes.INVALID_QUERY);
      expect(query.message).toBe('Invalid history query: "statuss" is not an option; the options are status, sender, providerId, failureCode, recipient, userId, subject, meta, since, until, limit, cursor.');
      const notify = await expectMailwrightError(mailwright.notify({ userIds: ['ana'], templateid: 'approval', data: {} } as never), ErrorCodes.INVALID_SETTINGS);
      expect(notify.details).toMatchObject({ unknown: ['templateid'] });
    } finally {
      await mailwright.close();
    }
  });
});

import { ErrorCodes, type ErrorCode } from '../../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../../src/errors/mailwright-error.js';
import { fakeJwt } from '../../support/microsoft-stand-in/wire.js';
import { CLIENT, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange provider: Graph and Entra ID answers mapped to what they mean', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  async function testEmail(f: ExchangeFixture) {
    const result = await f.mailwright.sendTestEmail({ provider: 'exchange', to: 'customer@example.com' });
    if (result.ok) throw new Error('expected a failure');
    return result.failure;
  }

  const cases: [string, number, string, string, ErrorCode, boolean, RegExp][] = [
    ['the sending mailbox is full', 403, 'ErrorQuotaExceeded', 'The process failed to allocate the quota.', ErrorCodes.SENDER_MAILBOX_FULL, false, /sending mailbox/],
    ['a draft gone from the mailbox is not a missing mailbox', 404, 'ErrorItemNotFound', 'The specified object was not found in the store.', ErrorCodes.GRAPH_ITEM_NOT_FOUND, false, /new draft/],
    ['invalid recipients', 400, 'ErrorInvalidRecipients', "At least one recipient is not valid., Recipient 'x' is not resolved.", ErrorCodes.INVALID_RECIPIENTS, true, /To, Cc and Bcc/],
  ];

  it.each(cases)('%s', async (_name, status, code, message, expected, permanent, fix) => {
    fixture = await exchangeFixture();
    fixture.standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status, code, message });
    const failure = await testEmail(fixture);
    expect([failure.code, failure.permanent]).toEqual([expected, permanent]);
    expect(failure.fix).toMatch(fix);
    expect(failure.code).not.toBe(ErrorCodes.MAILBOX_NOT_FOUND);
    expect(failure.code).not.toBe(ErrorCodes.MAILBOX_FULL);
  });

  it('a mailbox outside the application access policy: the fix names Test-ServicePrincipalAuthorization, not Mail.Send', async () => {
    fixture = await exchangeFixture();
    fixture.standIn.graph.appAccessScope = new Set(['someone.else@contoso.com']);
    const failure = await testEmail(fixture);
    expect(failure.code).toBe(ErrorCodes.GRAPH_ACCESS_DENIED);
    expect(failure.message).toContain('[RAOP]');
    expect(failure.fix).toMatch(/Test-ServicePrincipalAuthorization/);
    expect(failure.fix).not.toMatch(/Mail\.Send/);
  });

  it('a Conditional Access claims challenge during on-behalf-of: a typed error carrying the claims for the host to re-prompt', async () => {
    const claims = '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}';
    fixture = await exchangeFixture({ provider: { userAssertion: async () => fakeJwt({ aud: CLIENT, upn: 'Ana.Nunez@Contoso.com' }) } });
    fixture.standIn.token.failures.push({ status: 400, error: 'interaction_required', aadsts: 50079, description: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication.', claims });
    const error = (await fixture.mailwright
      .send(await fixture.mailwright.compose({ to: 'c@example.com', subject: 's', text: 't' }, 'ana'), { provider: 'exchange' })
      .catch((e: unknown) => e)) as MailwrightError;
    expect(isMailwrightError(error, ErrorCodes.CONDITIONAL_ACCESS_CHALLENGE)).toBe(true);
    expect(error.details.claims).toBe(claims);
    expect(error.details.userId).toBe('ana');
    expect(error.fix).toMatch(/claims/);
    expect(fixture.standIn.requests.filter((r) => r.host === 'graph.microsoft.com')).toHaveLength(0);
  });
});

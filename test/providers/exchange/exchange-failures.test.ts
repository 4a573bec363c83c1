import { ErrorCodes, type ErrorCode } from '../../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../../src/errors/mailwright-error.js';
import { fakeJwt } from '../../support/microsoft-stand-in/wire.js';
import { BATCH, CLIENT, exchangeFixture, T0, type ExchangeFixture } from './exchange-fixture.js';

const sendMailCalls = (f: ExchangeFixture): number => f.standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sendMail')).length;

describe('Exchange provider: every Graph and MSAL failure ends classified in the history', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  async function testEmail(f: ExchangeFixture) {
    const result = await f.mailwright.sendTestEmail({ provider: 'exchange', to: 'customer@example.com' });
    if (result.ok) throw new Error('expected a failure');
    const record = await f.mailwright.history.get(result.emailId);
    return { result, record };
  }

  const graphCases: [string, number, string, ErrorCode, boolean, Record<string, string>][] = [
    ['401 invalid or expired token', 401, 'InvalidAuthenticationToken', ErrorCodes.GRAPH_UNAUTHORIZED, true, {}],
    ['403 ErrorAccessDenied (application access policy)', 403, 'ErrorAccessDenied', ErrorCodes.GRAPH_ACCESS_DENIED, true, {}],
    ['403 ErrorSendAsDenied (no Send As permission)', 403, 'ErrorSendAsDenied', ErrorCodes.SEND_AS_DENIED, true, {}],
    ['404 MailboxNotEnabledForRESTAPI', 404, 'MailboxNotEnabledForRESTAPI', ErrorCodes.MAILBOX_NOT_ENABLED_FOR_REST, true, {}],
    ['413 request too large', 413, 'RequestEntityTooLarge', ErrorCodes.MESSAGE_TOO_LARGE, true, {}],
    ['429 throttled with Retry-After', 429, 'ApplicationThrottled', ErrorCodes.RATE_LIMITED, false, { 'retry-after': '45' }],
    ['503 service unavailable', 503, 'ServiceUnavailable', ErrorCodes.SERVICE_UNAVAILABLE, false, {}],
    ['504 gateway timeout', 504, 'GatewayTimeout', ErrorCodes.SERVICE_UNAVAILABLE, false, {}],
  ];

  it.each(graphCases)('%s', async (_name, status, code, expected, permanent, headers) => {
    fixture = await exchangeFixture();
    fixture.standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status, code, message: `${code} scripted`, headers });
    const { result, record } = await testEmail(fixture);
    expect(result.failure.code).toBe(expected);
    expect(result.failure.permanent).toBe(permanent);
    expect(result.failure.httpStatus).toBe(status);
    expect(result.failure.serverResponse).toContain(code);
    expect(result.failure.fix).toBeTruthy();
    expect(record?.status).toBe('failed');
    expect(record?.failure?.code).toBe(expected);
    expect(record?.failure?.transcript).toContain(`< ${status}`);
    expect(record?.failure?.transcript).not.toMatch(/Bearer|eyJ/);
    expect(result.failure.retryAfterSeconds).toBe(headers['retry-after'] === undefined ? undefined : 45);
  });

  it('404 ErrorInvalidUser: the batch account does not exist in the tenant', async () => {
    fixture = await exchangeFixture({ settings: { batchMailbox: 'nobody@contoso.com' } });
    const { result } = await testEmail(fixture);
    expect(result.failure.code).toBe(ErrorCodes.MAILBOX_NOT_FOUND);
    expect(result.failure.serverResponse).toContain('ErrorInvalidUser');
  });

  it('AADSTS7000215: a wrong client secret, from the real token endpoint answer', async () => {
    fixture = await exchangeFixture({ settings: { clientSecret: 'the-secret-id-not-its-value' } });
    const { result } = await testEmail(fixture);
    expect(result.failure.code).toBe(ErrorCodes.MSAL_INVALID_CLIENT_SECRET);
    expect(result.failure.permanent).toBe(true);
    expect(result.failure.fix).toMatch(/Value \(not the Secret ID\)/);
    expect(fixture.standIn.requests.filter((r) => r.host === 'graph.microsoft.com')).toHaveLength(0);
  });

  it('AADSTS700016: the application is not found in the tenant', async () => {
    fixture = await exchangeFixture({ settings: { clientId: '99999999-8888-7777-6666-555555555555' } });
    const { result } = await testEmail(fixture);
    expect(result.failure.code).toBe(ErrorCodes.MSAL_APP_NOT_FOUND);
  });

  it('AADSTS65001: consent required for the on-behalf-of token (interactive)', async () => {
    fixture = await exchangeFixture({ provider: { userAssertion: async () => fakeJwt({ aud: CLIENT, upn: 'Ana.Nunez@Contoso.com' }) } });
    fixture.standIn.token.failures.push({ status: 400, error: 'invalid_grant', aadsts: 65001, description: "The user or administrator has not consented to use the application with ID '…'." });
    const error = await fixture.mailwright
      .send(await fixture.mailwright.compose({ to: 'c@example.com', subject: 's', text: 't' }, 'ana'), { provider: 'exchange' })
      .catch((e: unknown) => e as { code: string; details: { emailId: string } });
    expect((error as { code: string }).code).toBe(ErrorCodes.MSAL_CONSENT_REQUIRED);
    const record = await fixture.mailwright.history.get((error as { details: { emailId: string } }).details.emailId);
    expect(record?.failure?.code).toBe(ErrorCodes.MSAL_CONSENT_REQUIRED);
  });

  const mappedCases: [string, number, string, string, ErrorCode, boolean, RegExp][] = [
    ['the sending mailbox is full', 403, 'ErrorQuotaExceeded', 'The process failed to allocate the quota.', ErrorCodes.SENDER_MAILBOX_FULL, false, /sending mailbox/],
    ['a draft gone from the mailbox is not a missing mailbox', 404, 'ErrorItemNotFound', 'The specified object was not found in the store.', ErrorCodes.GRAPH_ITEM_NOT_FOUND, false, /new draft/],
    ['invalid recipients', 400, 'ErrorInvalidRecipients', "At least one recipient is not valid., Recipient 'x' is not resolved.", ErrorCodes.INVALID_RECIPIENTS, true, /To, Cc and Bcc/],
  ];

  it.each(mappedCases)('%s', async (_name, status, code, message, expected, permanent, fix) => {
    fixture = await exchangeFixture();
    fixture.standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status, code, message });
    const { result: { failure } } = await testEmail(fixture);
    expect([failure.code, failure.permanent]).toEqual([expected, permanent]);
    expect(failure.fix).toMatch(fix);
    expect(failure.code).not.toBe(ErrorCodes.MAILBOX_NOT_FOUND);
    expect(failure.code).not.toBe(ErrorCodes.MAILBOX_FULL);
  });

  it('a mailbox outside the application access policy: the fix names Test-ServicePrincipalAuthorization, not Mail.Send', async () => {
    fixture = await exchangeFixture();
    fixture.standIn.graph.appAccessScope = new Set(['someone.else@contoso.com']);
    const { result: { failure } } = await testEmail(fixture);
    expect(failure.code).toBe(ErrorCodes.GRAPH_ACCESS_POLICY_DENIED);
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

  const tokenCases: [number, string, number, string, ErrorCode][] = [
    [400, 'invalid_request', 90002, "Tenant 'contoso.onmicrosoft.con' not found. Check to make sure you have the correct tenant ID.", ErrorCodes.MSAL_APP_NOT_FOUND],
    [400, 'invalid_resource', 500011, 'The resource principal named https://graph.microsoft.com was not found in the tenant.', ErrorCodes.MSAL_APP_NOT_FOUND],
    [401, 'invalid_client', 700027, 'Client assertion failed signature validation.', ErrorCodes.MSAL_INVALID_CLIENT_CERTIFICATE],
    [400, 'invalid_request', 700024, 'Client assertion is not within its valid time range.', ErrorCodes.MSAL_INVALID_CLIENT_CERTIFICATE],
    [400, 'unauthorized_client', 7000112, 'Application is disabled.', ErrorCodes.MSAL_TOKEN_REFUSED],
    [400, 'invalid_grant', 53003, 'Access has been blocked by Conditional Access policies.', ErrorCodes.MSAL_TOKEN_REFUSED],
    [400, 'invalid_request', 50034, 'The user account does not exist in the directory.', ErrorCodes.MSAL_TOKEN_REFUSED],
  ];

  it.each(tokenCases)('token endpoint %i %s AADSTS%i: explained as no token from Entra ID, not as a mail server refusal', async (status, error, aadsts, description, expected) => {
    fixture = await exchangeFixture();
    fixture.standIn.token.failures.push({ status, error, aadsts, description });
    const { result, record } = await testEmail(fixture);
    expect(result.failure.code).toBe(expected);
    expect(result.failure.permanent).toBe(true);
    expect(result.failure.explanation).toMatch(/Entra ID issued no access token/);
    expect(`${result.failure.explanation} ${result.failure.serverResponse}`).toContain(`AADSTS${aadsts}`);
    expect(result.failure.fix).not.toMatch(/mail administrator|Graph rejected/i);
    expect(result.failure.fix).toMatch(/Entra ID|App registrations/);
    expect(record?.failure?.code).toBe(expected);
    expect(fixture.standIn.requests.filter((r) => r.host === 'graph.microsoft.com')).toHaveLength(0);
  });

  it('429 in the distributor: waits at least Retry-After, then sends once', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', status: 429, code: 'ApplicationThrottled', headers: { 'retry-after': '120' } });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'throttled', text: 'x' });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    const waiting = await mailwright.history.get(id);
    expect(Date.parse(waiting?.dueAt as string) - Date.parse(T0)).toBeGreaterThanOrEqual(120_000);
    clock.advance({ seconds: 119 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(0);
    clock.advance({ seconds: 60 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect(standIn.graph.sent).toHaveLength(1);
    expect(sendMailCalls(fixture)).toBe(2);
  });

  it('a 503 from the token endpoint with several emails queued: MSAL\'s throttle refusals are retried, none fails permanently', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn, clock } = fixture;
    await mailwright.parameters.update({ perMinuteLimits: { exchange: 0 } });
    // After a 429 or 5xx MSAL refuses the same token request itself (no HTTP status) until Retry-After has passed.
    standIn.token.failures.push({ status: 503, error: 'temporarily_unavailable', aadsts: 90033, description: 'A transient error has occurred. Please try again.', headers: { 'retry-after': '1' } });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await mailwright.enqueue({ to: `c${i}@example.com`, subject: `S${i}`, text: 'x' }));
    expect(await mailwright.createDistributor({ concurrency: 1 }).runOnce()).toMatchObject({ sent: 0, failed: 0, retried: 3 });
    expect(standIn.token.requests).toHaveLength(1);
    for (const id of ids) {
      const record = await mailwright.history.get(id);
      expect(record?.status).toBe('queued');
      expect(record?.failure).toMatchObject({ code: ErrorCodes.SERVICE_UNAVAILABLE, permanent: false });
      expect(record?.failure?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100)); // MSAL's throttle runs on the real clock
    clock.advance({ hours: 1 });
    expect(await mailwright.createDistributor({ concurrency: 1 }).runOnce()).toMatchObject({ sent: 3, failed: 0 });
    expect(standIn.graph.sent).toHaveLength(3);
    for (const id of ids) expect((await mailwright.history.get(id))?.status).toBe('sent');
  });
});

describe('Exchange provider: a send that may have been accepted is never repeated blindly', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it.each([
    ['504 after Exchange accepted it', { status: 504, code: 'GatewayTimeout' }],
    ['connection dropped after Exchange accepted it', { status: 0, dropConnection: true }],
  ])('%s: the retry finds it in the mailbox and does not send again', async (_name, failure) => {
    fixture = await exchangeFixture();
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', afterAccepting: true, ...failure });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'once', text: 'x' });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    clock.advance({ minutes: 30 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect(standIn.graph.sent).toHaveLength(1);
    expect(sendMailCalls(fixture)).toBe(1);
    const record = await mailwright.history.get(id);
    expect(record?.status).toBe('sent');
    const attempts = await mailwright.store.listAttempts(id);
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'sent']);
    expect(attempts[0]?.failure?.mayHaveBeenSent).toBe(true);
    expect(attempts[1]?.transcript).toContain(`GET https://graph.microsoft.com/v1.0/users/${BATCH}/messages`);
  });

  it('with saveToSentItems off an uncertain JSON sendMail cannot be checked: MW_SEND_OUTCOME_UNKNOWN, permanent, sent at most once', async () => {
    fixture = await exchangeFixture({ settings: { saveToSentItems: false } });
    const { mailwright, standIn, clock } = fixture;
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', afterAccepting: true, status: 504, code: 'GatewayTimeout' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'once', text: 'x' });
    const first = await mailwright.distributor.runOnce();
    clock.advance({ minutes: 30 });
    await mailwright.distributor.runOnce(); // a retry, had there been one, would send it again
    expect(first.failed).toBe(1);
    const record = await mailwright.history.get(id);
    expect(record?.failure?.code).toBe(ErrorCodes.SEND_OUTCOME_UNKNOWN);
    expect(record?.failure?.permanent).toBe(true);
    expect(standIn.graph.sent).toHaveLength(1);
  });

  it('with saveToSentItems off a draft (4 MB attachment) is still checkable: a draft\'s send is saved in Sent Items, found, sent once', async () => {
    fixture = await exchangeFixture({ settings: { saveToSentItems: false } });
    const { mailwright, standIn, clock } = fixture;
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 40 * 1024 * 1024 });
    standIn.failures.push({ method: 'POST', pathEndsWith: '/send', afterAccepting: true, status: 504, code: 'GatewayTimeout' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'once', text: 'x', attachments: [{ filename: 'big.bin', content: Buffer.alloc(4 * 1024 * 1024, 1) }] });
    expect((await mailwright.distributor.runOnce()).retried).toBe(1);
    clock.advance({ minutes: 30 });
    expect((await mailwright.distributor.runOnce()).sent).toBe(1);
    expect((await mailwright.history.get(id))?.response).toContain('Found in the mailbox');
    expect(standIn.graph.sent).toHaveLength(1);
  });
});

import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { isMailwrightError } from '../../../src/errors/mailwright-error.js';
import { fakeJwt, jwtClaims } from '../../support/microsoft-stand-in/wire.js';
import { BATCH, CLIENT, exchangeFixture, TENANT, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange provider through Microsoft Graph (HTTPS stand-ins for Graph and the token endpoint)', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('batch: app-only token (client credentials), POST /users/{batch account}/sendMail with the exact JSON, 202 = sent', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn } = fixture;
    const id = await mailwright.enqueue(
      {
        to: ['Customer <customer@example.com>'],
        cc: 'cc@example.com',
        bcc: 'audit@contoso.com',
        replyTo: 'support@contoso.com',
        subject: 'Quote 7',
        html: '<p>Hello</p>',
        headers: { 'X-Case-Id': 'CASE-42' },
        attachments: [{ filename: 'quote.pdf', content: Buffer.from('%PDF-1.4 quote'), contentType: 'application/pdf' }],
      },
      { userId: 'ana' },
    );
    await mailwright.enqueue({ to: 'second@example.com', subject: 'Second', text: 'plain' });
    expect((await mailwright.distributor.runOnce()).sent).toBe(2);

    const record = await mailwright.history.get(id);
    expect(record?.status).toBe('sent');
    const first = standIn.graph.sent.find((s) => s.message?.subject === 'Quote 7');
    const second = standIn.graph.sent.find((s) => s.message?.subject === 'Second');
    expect(first?.mailbox).toBe(BATCH);
    expect(first?.token.kind).toBe('app');
    expect(first?.route).toBe('sendMail');
    expect(first?.saveToSentItems).toBe(true);
    expect(first?.message).toEqual({
      subject: 'Quote 7',
      body: { contentType: 'HTML', content: '<p>Hello</p>' },
      from: { emailAddress: { address: 'Ana.Nunez@Contoso.com', name: 'Ana María Núñez' } },
      toRecipients: [{ emailAddress: { address: 'customer@example.com', name: 'Customer' } }],
      ccRecipients: [{ emailAddress: { address: 'cc@example.com' } }],
      bccRecipients: [{ emailAddress: { address: 'audit@contoso.com' } }],
      replyTo: [{ emailAddress: { address: 'support@contoso.com' } }],
      internetMessageId: record?.messageId,
      internetMessageHeaders: [{ name: 'X-Case-Id', value: 'CASE-42' }],
      attachments: [
        { '@odata.type': '#microsoft.graph.fileAttachment', name: 'quote.pdf', contentType: 'application/pdf', contentBytes: Buffer.from('%PDF-1.4 quote').toString('base64') },
      ],
    });
    expect(second?.message?.body).toEqual({ contentType: 'Text', content: 'plain' });
    expect(second?.message?.from).toEqual({ emailAddress: { address: BATCH } });

    // One client-credentials token, cached by MSAL for the second email; MSAL reached no other endpoint.
    const loginRequests = standIn.requests.filter((r) => r.host === 'login.microsoftonline.com');
    expect(loginRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /${TENANT}/oauth2/v2.0/token`]);
    expect(standIn.token.requests[0]?.get('grant_type')).toBe('client_credentials');
    expect(standIn.token.requests[0]?.get('scope')).toBe('https://graph.microsoft.com/.default');
    const graphCalls = standIn.requests.filter((r) => r.host === 'graph.microsoft.com');
    expect(graphCalls.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1.0/users/${BATCH}/sendMail`, `POST /v1.0/users/${BATCH}/sendMail`]);
    expect(graphCalls.every((r) => r.headers.authorization === `Bearer ${graphCalls[0]?.headers.authorization?.slice(7)}` && jwtClaims(String(r.headers.authorization).slice(7)).roles !== undefined)).toBe(true);
    expect(graphCalls[0]?.headers['content-type']).toMatch(/^application\/json/);
    // The transcript in the history has the requests but never the token.
    const attempts = await mailwright.store.listAttempts(id);
    expect(attempts[0]?.transcript).toContain(`> POST https://graph.microsoft.com/v1.0/users/${BATCH}/sendMail`);
    expect(attempts[0]?.transcript).toContain('< 202');
    expect(attempts[0]?.transcript).not.toContain(String(graphCalls[0]?.headers.authorization).slice(7));
  });

  it('Send On Behalf: From = the user, Sender = the batch account', async () => {
    fixture = await exchangeFixture({ provider: { senderMode: 'sendOnBehalf' }, batchGrant: 'sendOnBehalf' });
    await fixture.mailwright.enqueue({ to: 'customer@example.com', subject: 'On behalf', text: 'x' }, { userId: 'ana' });
    await fixture.mailwright.distributor.runOnce();
    expect(fixture.standIn.graph.sent[0]?.sentAs).toBe('sendOnBehalf');
    expect(fixture.standIn.graph.sent[0]?.message?.from).toEqual({ emailAddress: { address: 'Ana.Nunez@Contoso.com', name: 'Ana María Núñez' } });
    expect(fixture.standIn.graph.sent[0]?.message?.sender).toEqual({ emailAddress: { address: BATCH } });
  });

  it('interactive: on-behalf-of token from the host\'s user assertion, sent from the user\'s own mailbox', async () => {
    const assertion = fakeJwt({ aud: CLIENT, upn: 'Ana.Nunez@Contoso.com', oid: 'oid-ana' });
    const seen: string[] = [];
    fixture = await exchangeFixture({
      provider: {
        userAssertion: async (user) => {
          seen.push(user.id);
          return assertion;
        },
      },
    });
    const { mailwright, standIn } = fixture;
    const draft = await mailwright.compose({ to: 'customer@example.com', subject: 'From my mailbox', text: 'hi' }, 'ana');
    const result = await mailwright.send(draft, { provider: 'exchange' });
    await mailwright.send(await mailwright.compose({ to: 'customer@example.com', subject: 'Again', text: 'hi' }, 'ana'), { provider: 'exchange' });

    expect(result.status).toBe('sent');
    expect(seen).toEqual(['ana', 'ana']);
    const [obo] = standIn.token.requests;
    expect(obo?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(obo?.get('requested_token_use')).toBe('on_behalf_of');
    expect(obo?.get('assertion')).toBe(assertion);
    expect(obo?.get('scope')).toContain('https://graph.microsoft.com/Mail.Send');
    // Cached: the second send reused the delegated token.
    expect(standIn.token.requests).toHaveLength(1);
    expect(standIn.graph.sent.map((s) => [s.mailbox, s.token.kind, s.token.upn])).toEqual([
      ['Ana.Nunez@Contoso.com', 'delegated', 'Ana.Nunez@Contoso.com'],
      ['Ana.Nunez@Contoso.com', 'delegated', 'Ana.Nunez@Contoso.com'],
    ]);
    expect(standIn.graph.sent[0]?.message?.from).toEqual({ emailAddress: { address: 'Ana.Nunez@Contoso.com', name: 'Ana María Núñez' } });
  });

  it('interactive: a Graph token the host already holds (token callback), no token request by mailwright', async () => {
    let hostToken = '';
    fixture = await exchangeFixture({ provider: { userAccessToken: async (user) => (user.id === 'ana' ? hostToken : '') } });
    const { mailwright, standIn } = fixture;
    hostToken = standIn.token.issueDelegatedToken('Ana.Nunez@Contoso.com');
    await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 's', text: 't' }, 'ana'), { provider: 'exchange' });
    expect(standIn.token.requests).toHaveLength(0);
    const call = standIn.requests.find((r) => r.path.endsWith('/sendMail'));
    expect(call?.headers.authorization).toBe(`Bearer ${hostToken}`);
    expect(call?.path).toBe('/v1.0/users/Ana.Nunez@Contoso.com/sendMail');
  });

  it('interactive without a way to get the user\'s token: MW_PROVIDER_NOT_CONFIGURED before any request', async () => {
    fixture = await exchangeFixture();
    const error = await fixture.mailwright.send(await fixture.mailwright.compose({ to: 'c@example.com', subject: 's', text: 't' }, 'ana'), { provider: 'exchange' }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.PROVIDER_NOT_CONFIGURED)).toBe(true);
    expect((error as { fix: string }).fix).toContain('userAssertion');
    expect(fixture.standIn.requests).toHaveLength(0);
  });

  it('refuses external users with MW_EXCHANGE_EXTERNAL_USER before any request', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn } = fixture;
    const error = await mailwright.send({ to: 'c@example.com', subject: 's', text: 't' }, { userId: 'guest', provider: 'exchange', rememberChoice: true }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.EXCHANGE_EXTERNAL_USER)).toBe(true);
    // "Do not ask again" did not store a choice the guest is not offered: the next send asks.
    const next = await mailwright.send({ to: 'c@example.com', subject: 's', text: 't' }, { userId: 'guest' }).catch((e: unknown) => e);
    expect(isMailwrightError(next, ErrorCodes.PROVIDER_SELECTION_REQUIRED)).toBe(true);
    await mailwright.enqueue({ to: 'c@example.com', subject: 's', text: 't' }, { userId: 'guest' });
    await mailwright.distributor.runOnce();
    expect((await mailwright.history.list({ status: 'failed' })).items[0]?.failure?.code).toBe(ErrorCodes.EXCHANGE_EXTERNAL_USER);
    expect(standIn.requests).toHaveLength(0);
  });
});

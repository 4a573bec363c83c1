import { ErrorCodes } from '../../../src/errors/error-codes.js';
import type { MailwrightError } from '../../../src/errors/mailwright-error.js';
import { fakeJwt } from '../../support/microsoft-stand-in/wire.js';
import { BATCH, CLIENT, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

const SHARED = 'support@contoso.com';
const ANA = { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez', options: { senderEmail: SHARED, senderName: 'Contoso Support' } };

// Interactive sending from a shared mailbox: the user's delegated token needs Mail.Send.Shared,
// and Exchange needs Send As (or Send on Behalf) for the user on the shared mailbox.
describe('Exchange: delegated sending from a shared mailbox (Mail.Send.Shared)', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  async function start(delegatedScopes: string[]) {
    fixture = await exchangeFixture({
      users: [ANA],
      standIn: { mailboxes: [BATCH, ANA.email, SHARED], delegatedScopes },
      provider: { userAssertion: async () => fakeJwt({ aud: CLIENT, upn: ANA.email }) },
    });
    return fixture;
  }
  const sendAsAna = (f: ExchangeFixture) => f.mailwright.send({ to: 'customer@example.com', subject: 'From support', text: 'x' }, { userId: 'ana', provider: 'exchange' });

  it('with Mail.Send.Shared and Send As: sent through Ana\'s mailbox with From = the shared mailbox', async () => {
    const { standIn } = await start(['Mail.Send', 'Mail.Send.Shared']);
    standIn.graph.grantSendAs(ANA.email, SHARED);
    const result = await sendAsAna(fixture!);
    expect(result.status).toBe('sent');
    const [sent] = standIn.graph.sent;
    expect([sent?.mailbox, sent?.token.kind, sent?.sentAs]).toEqual([ANA.email, 'delegated', 'sendAs']);
    expect(sent?.message?.from).toEqual({ emailAddress: { address: SHARED, name: 'Contoso Support' } });
    expect(standIn.token.requests[0]?.get('scope')).toContain('https://graph.microsoft.com/Mail.Send.Shared');
  });

  it('without consent to Mail.Send.Shared: AADSTS65001, MW_MSAL_CONSENT_REQUIRED, nothing sent', async () => {
    const { standIn } = await start(['Mail.Send']);
    standIn.graph.grantSendAs(ANA.email, SHARED);
    const error = (await sendAsAna(fixture!).catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.MSAL_CONSENT_REQUIRED);
    expect(standIn.graph.sent).toHaveLength(0);
  });

  it('without Send As on the shared mailbox: 403 ErrorSendAsDenied, MW_SEND_AS_DENIED', async () => {
    await start(['Mail.Send', 'Mail.Send.Shared']);
    const error = (await sendAsAna(fixture!).catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.SEND_AS_DENIED);
  });
});

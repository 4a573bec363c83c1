import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { encodeMessageToBuffer } from '../../../src/message/encode-message.js';
import { exchangeFixture, type ExchangeFixture } from '../../providers/exchange/exchange-fixture.js';
import { testMessage } from '../../support/test-message.js';

/** A Graph messageRule as Exchange Online returns it. */
const graphRule = (id: string, displayName: string, actions: Record<string, unknown>, isEnabled = true): Record<string, unknown> => ({
  id,
  displayName,
  sequence: 1,
  isEnabled,
  hasError: false,
  isReadOnly: false,
  conditions: { subjectContains: ['invoice'] },
  actions,
});
const recipient = (address: string, name?: string) => ({ emailAddress: { address, ...(name ? { name } : {}) } });

describe('forwarding audit: the policy and inbox rules read from real mailboxes (Graph stand-in)', () => {
  let fixture: ExchangeFixture;

  beforeEach(async () => {
    fixture = await exchangeFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('lists every mailbox setting and rule that forwards outside, with whether each target is reached under the remote domain policy', async () => {
    const { mailwright, standIn } = fixture;
    await mailwright.forwardingPolicy.update({
      acceptedDomains: ['contoso.com'],
      remoteDomains: [{ domain: '*', autoForwardEnabled: false }, { domain: 'partner.example' }],
      mailboxes: [
        { address: 'support@contoso.com', forwardingSmtpAddress: 'archive@gmail.com', deliverToMailboxAndForward: true },
        { address: 'sales@contoso.com', forwardingContactId: 'ana' },
        { address: 'hr@contoso.com', inboxRules: [{ name: 'Internal only', actions: { forwardTo: ['boss@contoso.com'] } }] },
      ],
    });
    standIn.graph.seedInboxRules('Ana.Nunez@Contoso.com', [
      graphRule('r1', 'To my phone', { redirectTo: [recipient('ana.personal@gmail.com')], moveToFolder: 'AAMk=' }),
      graphRule('r2', 'Partner copy', { forwardTo: [recipient('desk@partner.example', 'Partner'), recipient('team@contoso.com')] }, false),
      graphRule('r3', 'Team', { forwardTo: [recipient('team@contoso.com')] }),
    ]);

    const entries = await mailwright.auditForwarding({ readRulesFrom: { providerId: 'exchange', mailboxes: ['Ana.Nunez@Contoso.com'] } });
    expect(entries).toEqual([
      {
        mailbox: 'support@contoso.com',
        origin: 'policy',
        source: { kind: 'forwarding-smtp-address' },
        style: 'redirect',
        enabled: true,
        stamped: true,
        deliverToMailboxAndForward: true,
        targets: [{ address: 'archive@gmail.com', domain: 'gmail.com', external: true, allowed: false }],
      },
      {
        mailbox: 'Ana.Nunez@Contoso.com',
        origin: 'server',
        source: { kind: 'inbox-rule', rule: 'To my phone' },
        style: 'redirect',
        enabled: true,
        stamped: true,
        targets: [{ address: 'ana.personal@gmail.com', domain: 'gmail.com', external: true, allowed: false }],
        unsupported: ['moveToFolder'],
      },
      {
        mailbox: 'Ana.Nunez@Contoso.com',
        origin: 'server',
        source: { kind: 'inbox-rule', rule: 'Partner copy' },
        style: 'forward',
        enabled: false,
        stamped: true,
        targets: [
          { address: 'desk@partner.example', domain: 'partner.example', external: true, allowed: true },
          { address: 'team@contoso.com', domain: 'contoso.com', external: false, allowed: true },
        ],
      },
    ]);
    expect(standIn.graph.inboxRulesReads).toHaveLength(1);

    // The forwarding to a user of the directory (internal) and the internal rules appear when asked for.
    const all = await mailwright.auditForwarding({ includeInternal: true });
    expect(all.map((e) => [e.mailbox, e.source.kind])).toEqual([
      ['support@contoso.com', 'forwarding-smtp-address'],
      ['sales@contoso.com', 'forwarding-contact'],
      ['hr@contoso.com', 'inbox-rule'],
    ]);
    expect(all[1]!.targets).toEqual([{ address: 'Ana.Nunez@Contoso.com', domain: 'contoso.com', external: false, allowed: true }]);
  });

  it('with Exchange as batch provider, a redirect fails for good before any Graph request, with the fix; a forward goes', async () => {
    const { mailwright, standIn } = fixture;
    await mailwright.forwardingPolicy.setMailbox({
      address: 'batch@contoso.com',
      forwardingSmtpAddress: 'archive@partner.example',
      deliverToMailboxAndForward: true,
      inboxRules: [{ name: 'Forward', actions: { forwardTo: ['team@contoso.com'] } }],
    });
    const raw = await encodeMessageToBuffer(testMessage({ from: { name: 'Customer', address: 'customer@example.com' }, to: [{ address: 'batch@contoso.com' }] }));
    const result = await mailwright.processInbound({ mailbox: 'batch@contoso.com', message: raw });
    expect(result.forwards.map((f) => [f.style, f.status])).toEqual([
      ['redirect', 'queued'],
      ['forward', 'queued'],
    ]);
    await mailwright.distributor.runOnce();
    const redirect = await mailwright.history.get(result.forwards[0]!.emailId);
    expect(redirect).toMatchObject({ status: 'failed', failure: { code: ErrorCodes.REDIRECT_NOT_SUPPORTED, permanent: true, fix: expect.stringContaining('SMTP') } });
    expect(await mailwright.history.get(result.forwards[1]!.emailId)).toMatchObject({ status: 'sent' });
    const sends = standIn.requests.filter((r) => r.host === 'graph.microsoft.com' && r.method === 'POST');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.body.toString()).toContain('team@contoso.com');
  });
});

import { arriving, headerOf, startInboundHarness, type InboundHarness } from './inbound-harness.js';

const MAILBOX = 'support@contoso.com';

describe('forwarding fidelity (issue 26; real SMTP relay, SQLite file)', () => {
  let h: InboundHarness;
  beforeEach(async () => {
    h = await startInboundHarness();
  });
  afterEach(() => h.close());

  describe('redirects: "on behalf of" by default, or looking sent directly with SRS (item 1)', () => {
    const original = () => arriving({ from: 'Customer <customer@example.com>', headers: ['Return-Path: <bounces+42@mail.example.com>', 'Cc: Boss <boss@example.com>'] });

    it('by default: Sender is the mailbox, which is also the envelope sender', async () => {
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, displayName: 'Contoso Support', forwardingSmtpAddress: 'archive@partner.example' });
      const { sent } = await h.deliver(MAILBOX, original());
      expect(sent[0]!.envelope).toEqual({ mailFrom: MAILBOX, rcptTo: ['archive@partner.example'] });
      expect(sent[0]!.parsed.from?.value).toEqual([{ name: 'Customer', address: 'customer@example.com' }]);
      expect(headerOf(sent[0]!, 'sender')).toMatchObject({ value: [{ name: 'Contoso Support', address: MAILBOX }] });
    });

    it('senderHeader "none": the original From, To and Cc and no Sender, as Exchange delivers it; the mailbox is the envelope sender', async () => {
      await h.mailwright.forwardingPolicy.update({ redirect: { senderHeader: 'none' } });
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.example' });
      const { result, sent } = await h.deliver(MAILBOX, original());
      expect(sent[0]!.envelope).toEqual({ mailFrom: MAILBOX, rcptTo: ['archive@partner.example'] });
      expect(headerOf(sent[0]!, 'sender')).toBeUndefined();
      expect(sent[0]!.parsed.from?.value).toEqual([{ name: 'Customer', address: 'customer@example.com' }]);
      expect(sent[0]!.parsed.to).toMatchObject({ value: [{ name: 'Contoso Support', address: MAILBOX }] });
      expect(sent[0]!.parsed.cc).toMatchObject({ value: [{ name: 'Boss', address: 'boss@example.com' }] });
      expect((await h.mailwright.history.get(result.forwards[0]!.emailId))?.meta.autoForward).toMatchObject({ envelopeFrom: MAILBOX });
    });

    it('envelopeFrom "srs": outside the organization the envelope sender is the original Return-Path rewritten in the mailbox\'s domain, reversible for 21 days; inside, the mailbox', async () => {
      await h.mailwright.forwardingPolicy.update({ redirect: { senderHeader: 'none', envelopeFrom: 'srs' } });
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'Copy', actions: { redirectTo: ['archive@partner.example', 'team@contoso.com'] } }] });
      const { sent } = await h.deliver(MAILBOX, original());
      const outside = sent.find((m) => m.envelope.rcptTo[0] === 'archive@partner.example')!;
      const inside = sent.find((m) => m.envelope.rcptTo[0] === 'team@contoso.com')!;
      expect(outside.envelope.mailFrom).toMatch(/^SRS0=[^=]{4}=[A-Z2-7]{2}=mail\.example\.com=bounces\+42@contoso\.com$/);
      expect(inside.envelope.mailFrom).toBe(MAILBOX);
      expect(headerOf(outside, 'sender')).toBeUndefined();
      expect(await h.mailwright.forwardingPolicy.reverseSrs(outside.envelope.mailFrom)).toBe('bounces+42@mail.example.com');
      expect(await h.mailwright.forwardingPolicy.reverseSrs(outside.envelope.mailFrom.replace('bounces+42', 'bounces+43'))).toBeUndefined();
      expect(await h.mailwright.forwardingPolicy.reverseSrs('SRS0=abcd=AB=example.com=ana@contoso.com')).toBeUndefined();
      h.clock.advance({ days: 22 });
      expect(await h.mailwright.forwardingPolicy.reverseSrs(outside.envelope.mailFrom)).toBeUndefined();
    });

    it('an original sender SRS cannot write (a user name too long once rewritten) falls back to the mailbox', async () => {
      await h.mailwright.forwardingPolicy.update({ redirect: { senderHeader: 'none', envelopeFrom: 'srs' } });
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.example' });
      const { sent } = await h.deliver(MAILBOX, arriving({ from: `${'l'.repeat(50)}@example.com` }));
      expect(sent[0]!.envelope.mailFrom).toBe(MAILBOX);
    });
  });

  describe('the internal auto-forward stamp stays inside the organization; loops are still found (item 2)', () => {
    it('a rule forwarding inside and outside sends two emails: Exchange\'s stamp and loop header only inside, the signed mark on both', async () => {
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'Both', actions: { forwardTo: ['team@contoso.com', 'vendor@partner.example'] } }] });
      const { result, sent } = await h.deliver(MAILBOX, arriving());
      expect(result.forwards.map((f) => [f.status, f.recipients])).toEqual([
        ['queued', ['team@contoso.com']],
        ['queued', ['vendor@partner.example']],
      ]);
      const inside = sent.find((m) => m.envelope.rcptTo[0] === 'team@contoso.com')!;
      const outside = sent.find((m) => m.envelope.rcptTo[0] === 'vendor@partner.example')!;
      expect(headerOf(inside, 'X-MS-Exchange-Organization-AutoForwarded')).toBe('true');
      expect(headerOf(inside, 'X-MS-Exchange-Inbox-Rules-Loop')).toBe(MAILBOX);
      expect(headerOf(outside, 'X-MS-Exchange-Organization-AutoForwarded')).toBeUndefined();
      expect(headerOf(outside, 'X-MS-Exchange-Inbox-Rules-Loop')).toBeUndefined();
      for (const message of [inside, outside]) expect(headerOf(message, 'X-Mailwright-Mark')).toMatch(/^v=1; t=\d+; h=[\w-]{12}; s=[\w-]{22}$/);

      // The outside copy comes back (the vendor forwards it to the mailbox): still a loop.
      const back = await h.deliver(MAILBOX, outside.raw);
      expect(back.result.forwards.map((f) => [f.status, f.reason])).toEqual([['blocked', expect.stringContaining('Forwarding loop')]]);
      expect(back.sent).toHaveLength(0);
    });

    it('a chain of mailboxes stops at inbound.maxForwardHops: the message is kept where the cap is reached', async () => {
      await h.mailwright.forwardingPolicy.update({ inbound: { maxForwardHops: 2 } });
      for (const [from, to] of [['a@contoso.com', 'b@contoso.com'], ['b@contoso.com', 'c@contoso.com'], ['c@contoso.com', 'd@contoso.com']]) {
        await h.mailwright.forwardingPolicy.setMailbox({ address: from!, forwardingSmtpAddress: to! });
      }
      let message = arriving({ to: 'a@contoso.com' });
      const hops: [boolean, string[]][] = [];
      for (const mailbox of ['a@contoso.com', 'b@contoso.com', 'c@contoso.com']) {
        const { result, sent } = await h.deliver(mailbox, message);
        hops.push([result.deliverToMailbox, result.forwards.map((f) => f.status)]);
        if (sent[0] !== undefined) message = sent[0].raw;
      }
      expect(hops).toEqual([
        [false, ['queued']],
        [false, ['queued']],
        [true, ['blocked']],
      ]);
    });
  });

  describe('a blocked mailbox forward: kept by default, dropped as Exchange does with onBlockedForward "drop" (item 3)', () => {
    it.each([
      ['keep', true],
      ['drop', false],
    ] as const)('onBlockedForward "%s": deliverToMailbox %s, and the history records it as blocked either way', async (onBlockedForward, kept) => {
      await h.mailwright.forwardingPolicy.update({ onBlockedForward, remoteDomains: [{ domain: '*', autoForwardEnabled: false }] });
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'me@gmail.com', inboxRules: [{ name: 'r', actions: { forwardTo: ['team@contoso.com'] } }] });
      const { result, sent } = await h.deliver(MAILBOX, arriving());
      expect(result.deliverToMailbox).toBe(kept);
      expect(result.forwards.map((f) => [f.source.kind, f.status])).toEqual(kept ? [['forwarding-smtp-address', 'blocked'], ['inbox-rule', 'queued']] : [['forwarding-smtp-address', 'blocked']]);
      expect(sent.map((m) => m.envelope.rcptTo)).toEqual(kept ? [['team@contoso.com']] : []);
      expect(await h.mailwright.history.get(result.forwards[0]!.emailId)).toMatchObject({ status: 'blocked', blockedReason: expect.stringContaining('gmail.com is not allowed') });
    });
  });

  it('a dry run (previewInbound) writes nothing, not even the organization\'s forwarding key', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    expect((await h.mailwright.previewInbound({ mailbox: MAILBOX, message: arriving() })).forwards).toHaveLength(1);
    expect(await h.mailwright.store.getSetting('forwarding-mark-key')).toBeUndefined();
    await h.deliver(MAILBOX, arriving());
    expect(await h.mailwright.store.getSetting('forwarding-mark-key')).toEqual(expect.any(String));
  });

  describe('record forwards of the organization', () => {
    it('no inbox rule runs on a record forward mailwright sent (its mark is signed for its Message-ID); a copy under another Message-ID is an ordinary message', async () => {
      await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'Everything to the outsourcer', actions: { forwardTo: ['desk@contoso.com'] } }] });
      await h.mailwright.forwardRecord({ record: { id: 'CASE-1042', subject: 'Printer on fire', conversation: [], attachments: [] }, agentUserId: 'ana', to: MAILBOX });
      const forwarded = h.server.messages.at(-1)!;
      expect(headerOf(forwarded, 'X-Mailwright-Mark')).toMatch(/^v=1; t=\d+; r=Q0FTRS0xMDQy; s=[\w-]{22}$/);
      expect((await h.deliver(MAILBOX, forwarded.raw)).result.forwards).toEqual([]);

      const copied = forwarded.raw.toString().replace(/^Message-ID: <[^>]+>/im, 'Message-ID: <other@example.com>');
      expect((await h.deliver(MAILBOX, copied)).result.forwards.map((f) => f.status)).toEqual(['queued']);
    });
  });
});

import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { arriving, headerOf, startInboundHarness, type InboundHarness } from './inbound-harness.js';

const MAILBOX = 'support@contoso.com';

describe('hostile inbound mail (issue 20.3; real SMTP relay, SQLite file)', () => {
  let h: InboundHarness;
  beforeEach(async () => {
    h = await startInboundHarness();
  });
  afterEach(() => h.close());

  /** Sends a message round two mailboxes that forward to each other; returns whether each hop kept it. */
  async function roundTrip(a: string, b: string): Promise<{ kept: boolean[]; sent: number }> {
    await h.mailwright.forwardingPolicy.setMailbox({ address: a, forwardingSmtpAddress: b });
    await h.mailwright.forwardingPolicy.setMailbox({ address: b, forwardingSmtpAddress: a });
    let message = arriving({ to: a });
    const kept: boolean[] = [];
    for (const mailbox of [a, b, a, b]) {
      const { result, sent } = await h.deliver(mailbox, message);
      kept.push(result.deliverToMailbox);
      if (sent.length === 0) break;
      message = sent.at(-1)!.raw;
    }
    return { kept, sent: h.server.messages.length };
  }

  it.each([
    ['an IDN domain', 'c@bücher.example', 'd@bücher.example'],
    ['UTF-8 local parts', 'josé@contoso.com', 'zoë@contoso.com'],
    ['mixed case and A-labels', 'C@XN--BCHER-KVA.example', 'd@Bücher.Example'],
  ])('two mailboxes with %s forwarding to each other: the message comes back once and is kept', async (_name, a, b) => {
    expect(await roundTrip(a, b)).toEqual({ kept: [false, false, true], sent: 2 });
  });

  it('a forged X-MS-Exchange-Inbox-Rules-Loop naming the mailbox does not stop its compliance forwarding', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'journal@contoso.com' });
    const { result, sent } = await h.deliver(MAILBOX, arriving({ headers: [`X-MS-Exchange-Inbox-Rules-Loop: ${MAILBOX}`] }));
    expect(result).toMatchObject({ deliverToMailbox: false, forwards: [{ status: 'queued' }] });
    expect(sent.map((m) => m.envelope.rcptTo)).toEqual([['journal@contoso.com']]);
  });

  it.each([
    ['Auto-Submitted', 'Auto-Submitted: auto-generated'],
    ['X-Mailwright-Forwarded-Record', 'X-Mailwright-Forwarded-Record: CASE-1'],
    ['a copied X-Mailwright-Mark', 'X-Mailwright-Mark: v=1; t=1795600000; r=Q0FTRS0x; s=AAAAAAAAAAAAAAAAAAAAAA'],
  ])('a forged %s from outside does not skip the inbox rules', async (_name, forged) => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'Copy to compliance', actions: { forwardTo: ['compliance@contoso.com'] } }] });
    const { result, sent } = await h.deliver(MAILBOX, arriving({ headers: [forged] }));
    expect(result.forwards.map((f) => f.status)).toEqual(['queued']);
    expect(sent.map((m) => m.envelope.rcptTo)).toEqual([['compliance@contoso.com']]);
  });

  it('the marks of a message from outside never reach the forward: forged Exchange and mailwright headers are not copied', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.example' });
    const forged = ['X-MS-Exchange-Organization-AutoForwarded: true', 'X-MS-Exchange-Organization-SCL: -1', 'X-MS-Exchange-Inbox-Rules-Loop: boss@contoso.com', 'X-Mailwright-Mark: v=1; t=1; s=x'];
    const { sent } = await h.deliver(MAILBOX, arriving({ headers: forged }));
    expect(sent).toHaveLength(1);
    expect(headerOf(sent[0]!, 'X-MS-Exchange-Organization-SCL')).toBeUndefined();
    expect(headerOf(sent[0]!, 'X-MS-Exchange-Inbox-Rules-Loop')).toBeUndefined();
    expect(headerOf(sent[0]!, 'X-MS-Exchange-Organization-AutoForwarded')).toBeUndefined();
    expect(String(headerOf(sent[0]!, 'X-Mailwright-Mark'))).not.toContain('t=1;');
  });

  it.each([
    ['an encoded CRLF in the Subject', `=?UTF-8?B?${Buffer.from('Invoice\r\nBcc: evil@example.com').toString('base64')}?=`, 'Invoice Bcc: evil@example.com'],
    ['an encoded NUL in the Subject', `=?UTF-8?B?${Buffer.from('Invoice\u000042').toString('base64')}?=`, 'Invoice 42'],
    ['a 1,000-character word in the Subject', `Invoice ${'x'.repeat(1000)}`, `Invoice ${'x'.repeat(800)} ${'x'.repeat(200)}`],
  ])('%s is cleaned, and the message is still forwarded (redirect, forward, as attachment)', async (_name, subject, cleaned) => {
    await h.mailwright.forwardingPolicy.setMailbox({
      address: MAILBOX,
      forwardingSmtpAddress: 'archive@contoso.com',
      deliverToMailboxAndForward: true,
      inboxRules: [{ name: 'r', actions: { forwardTo: ['a@contoso.com'], forwardAsAttachmentTo: ['b@contoso.com'] } }],
    });
    const { result, sent } = await h.deliver(MAILBOX, arriving({ subject }));
    expect(result.forwards.map((f) => f.status)).toEqual(['queued', 'queued', 'queued']);
    const to = (address: string) => sent.find((m) => m.envelope.rcptTo[0] === address)!;
    expect(to('archive@contoso.com').parsed.subject).toBe(cleaned);
    expect(to('a@contoso.com').parsed.subject).toBe(`FW: ${cleaned}`);
    expect(to('b@contoso.com').parsed.attachments[0]!.filename!.length).toBeLessThanOrEqual(204);
    expect(sent.every((m) => m.parsed.bcc === undefined)).toBe(true);
  });

  it('a 1,000-character token in References or In-Reply-To is left out; the valid Message-IDs are kept on the redirect', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const long = `<${'y'.repeat(1000)}@example.com>`;
    const { result, sent } = await h.deliver(MAILBOX, arriving({ headers: [`In-Reply-To: ${long}`, `References: <a@example.com> ${long} <b@example.com> garbage`] }));
    expect(result.forwards.map((f) => f.status)).toEqual(['queued']);
    expect(sent[0]!.parsed.inReplyTo).toBeUndefined();
    expect(sent[0]!.parsed.references).toEqual(['<a@example.com>', '<b@example.com>']);
  });

  it('a display name with control characters is cleaned, not a reason to drop the address or fail the redirect', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const name = `=?UTF-8?B?${Buffer.from('Ana\r\nNúñez\u0007').toString('base64')}?=`;
    const { sent } = await h.deliver(MAILBOX, arriving({ from: `${name} <ana@example.com>`, to: `${name} <support@contoso.com>` }));
    expect(sent[0]!.parsed.from?.value).toEqual([{ name: 'Ana Núñez', address: 'ana@example.com' }]);
    expect(sent[0]!.parsed.to).toMatchObject({ value: [{ name: 'Ana Núñez', address: 'support@contoso.com' }] });
  });

  it('a header over 1 MB: MW_INBOUND_LIMIT_EXCEEDED naming the limit, nothing queued or recorded', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const huge = arriving({ headers: Array.from({ length: 1200 }, (_, i) => `X-Filler-${i}: ${'z'.repeat(1000)}`) });
    await expect(h.mailwright.processInbound({ mailbox: MAILBOX, message: huge })).rejects.toMatchObject({
      code: ErrorCodes.INBOUND_LIMIT_EXCEEDED,
      details: { limit: 'maxHeaderBytes' },
      fix: expect.stringContaining('maxHeaderBytes'),
    });
    await expect(h.mailwright.previewInbound({ mailbox: MAILBOX, message: huge })).rejects.toMatchObject({ code: ErrorCodes.INBOUND_LIMIT_EXCEEDED });
    expect((await h.mailwright.history.list()).items).toHaveLength(0);
  });

  it('more than 1,000 MIME parts: MW_INBOUND_LIMIT_EXCEEDED naming the limit', async () => {
    await h.mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const parts = Array.from({ length: 1001 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}`).join('\r\n');
    const message = Buffer.from(`From: a@example.com\r\nTo: ${MAILBOX}\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}\r\n--b--\r\n`);
    await expect(h.mailwright.processInbound({ mailbox: MAILBOX, message })).rejects.toMatchObject({ code: ErrorCodes.INBOUND_LIMIT_EXCEEDED, details: { limit: 'maxMimeParts' } });
  });
});

import type { ErrorCode } from '../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../src/errors/mailwright-error.js';
import type { EmailMessage } from '../../src/message/message.js';
import type { Provider, SendContext } from '../../src/providers/provider.js';
import { testMessage } from '../support/test-message.js';
import type { DeliveredEmail } from './delivered-email.js';

/** A provider wired to a real destination that the test can read. */
export interface ProviderUnderTest {
  provider: Provider;
  /** The send context this provider is used with (mode, user). */
  context: Omit<SendContext, 'emailId' | 'attempt'>;
  /** Every email that reached the destination so far, in arrival order. */
  delivered(): Promise<DeliveredEmail[]>;
  /** Makes the destination fail the next send the way it typically fails; returns how to undo it. */
  breakDestination(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** How one provider is set up for the conformance suite, and what it answers. */
export interface ProviderHarness {
  start(): Promise<ProviderUnderTest>;
  /** Receipt status of a delivered email: `sent` (a server took it) or `exported` (a file). */
  delivers: 'sent' | 'exported';
  /** The classified failure `breakDestination()` leads to. */
  failure: { code: ErrorCode; permanent: boolean };
}

const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0, 1, 2, 0xfe, 0xff]);

/** The full email the suite sends: every field a host sets, unicode, and address casing to keep. */
function fullMessage(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return testMessage({
    replyTo: [{ name: 'Support Desk', address: 'Support@Contoso.com' }],
    to: [{ name: 'Customer', address: 'customer@example.com' }, { address: 'Second.Customer@Example.com' }],
    cc: [{ name: 'Accounts', address: 'Accounts@Contoso.com' }],
    bcc: [{ address: 'audit@contoso.com' }],
    subject: 'Prix demandé — 40 unités',
    text: 'Bonjour Ana',
    html: '<p>Bonjour <b>Ana</b></p>',
    headers: { 'X-Case-Id': 'CASE-42' },
    attachments: [
      { filename: 'quote.pdf', content: PDF, contentType: 'application/pdf' },
      { filename: 'notes.txt', content: 'line one\nline two', contentType: 'text/plain' },
    ],
    ...overrides,
  });
}

/**
 * The provider contract, run over every provider (SMTP against a real SMTP
 * server, Exchange against the Graph stand-in, .eml into real files): what
 * arrives is what was sent, the receipt tells the truth, concurrent sends are
 * independent, and a failing destination is a classified `MailwrightError`.
 */
export function providerConformance(name: string, harness: ProviderHarness): void {
  describe(`Provider conformance: ${name}`, () => {
    let under: ProviderUnderTest;
    let attempt = 0;
    beforeEach(async () => {
      under = await harness.start();
    });
    afterEach(() => under.close());
    const send = (message: EmailMessage) => under.provider.send(message, { ...under.context, emailId: `email-${(attempt += 1)}`, attempt: 1 });

    it('delivers From, Reply-To, To, Cc, Bcc, subject, Message-ID, custom headers, body and attachments exactly', async () => {
      const message = fullMessage();
      await send(message);
      const [email] = await under.delivered();
      expect(email?.from).toEqual({ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' });
      expect(email?.sender).toBeUndefined();
      expect(email?.replyTo).toEqual([{ name: 'Support Desk', address: 'Support@Contoso.com' }]);
      expect(email?.to).toEqual([{ name: 'Customer', address: 'customer@example.com' }, { address: 'Second.Customer@Example.com' }]);
      expect(email?.cc).toEqual([{ name: 'Accounts', address: 'Accounts@Contoso.com' }]);
      expect(email?.bcc.map((a) => a.address)).toEqual(['audit@contoso.com']);
      expect(email?.subject).toBe('Prix demandé — 40 unités');
      expect(email?.messageId).toBe(message.messageId);
      expect(email?.headers['x-case-id']).toBe('CASE-42');
      expect(email?.html).toContain('Bonjour <b>Ana</b>');
      expect(email?.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')])).toEqual([
        ['quote.pdf', 'application/pdf', PDF.toString('base64')],
        ['notes.txt', 'text/plain', Buffer.from('line one\nline two').toString('base64')],
      ]);
    });

    it('delivers a plain-text email as text', async () => {
      await send(testMessage({ text: 'Only text, no HTML.' }));
      const [email] = await under.delivered();
      expect(email?.html).toBeUndefined();
      expect(email?.text?.trim()).toBe('Only text, no HTML.');
    });

    it('Send On Behalf: Sender is the mailbox, From stays the user', async () => {
      await send(testMessage({ sender: { name: 'Contoso Mail', address: 'mailer@contoso.com' } }));
      const [email] = await under.delivered();
      expect(email?.from).toEqual({ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' });
      expect(email?.sender).toEqual({ name: 'Contoso Mail', address: 'mailer@contoso.com' });
    });

    it('carries standard headers a host sets, such as Auto-Submitted', async () => {
      await send(testMessage({ headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } }));
      const [email] = await under.delivered();
      expect(email?.headers).toMatchObject({ 'auto-submitted': 'auto-generated', 'x-auto-response-suppress': 'All' });
    });

    it('returns a receipt with the Message-ID and the outcome per recipient', async () => {
      const message = fullMessage();
      const receipt = await send(message);
      expect(receipt.status).toBe(harness.delivers);
      expect(receipt.messageId).toBe(message.messageId);
      const recipients = receipt.recipients.map((r) => [r.address.toLowerCase(), r.status]).sort();
      // A server takes every recipient here; an exported draft has sent to nobody yet.
      expect(recipients).toEqual(
        harness.delivers === 'sent'
          ? ['accounts@contoso.com', 'audit@contoso.com', 'customer@example.com', 'second.customer@example.com'].map((a) => [a, 'accepted'])
          : [],
      );
    });

    it('sends concurrent emails independently: each arrives once', async () => {
      const messages = Array.from({ length: 6 }, (_, i) => testMessage({ subject: `Concurrent ${i}`, to: [{ address: `customer${i}@example.com` }] }));
      const receipts = await Promise.all(messages.map(send));
      expect(receipts.map((r) => r.messageId)).toEqual(messages.map((m) => m.messageId));
      const delivered = await under.delivered();
      expect(delivered.map((e) => [e.messageId, e.subject, e.to[0]?.address]).sort()).toEqual(
        messages.map((m) => [m.messageId, m.subject, m.to[0]?.address]).sort(),
      );
    });

    it('a failing destination is a classified MailwrightError; nothing arrives, and the next send works', async () => {
      const repair = await under.breakDestination();
      const error = await send(testMessage({ subject: 'Fails' })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMailwrightError(error)).toBe(true);
      const typed = error as MailwrightError;
      expect({ code: typed.code, permanent: typed.permanent }).toEqual(harness.failure);
      expect(typed.failure).toMatchObject({ code: harness.failure.code, permanent: harness.failure.permanent, explanation: expect.any(String), fix: expect.any(String) });
      expect(await under.delivered()).toEqual([]);

      await repair();
      await send(testMessage({ subject: 'Works again' }));
      expect((await under.delivered()).map((e) => e.subject)).toEqual(['Works again']);
    });
  });
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessageToBuffer } from '../../../src/message/encode-message.js';
import { ManualClock } from '../../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { isMailwrightError } from '../../../src/errors/mailwright-error.js';
import type { ForwardEvents } from '../../../src/forwarding/forward-events.js';
import { createMailwright, type Mailwright } from '../../../src/mailwright.js';
import { emlProvider } from '../../../src/providers/eml/eml-provider.js';
import { smtpProvider } from '../../../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { InMemoryContactDirectory } from '../../../src/users/in-memory-contact-directory.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import { describePostgres, pgConnectionString, pgSchemas } from '../../support/postgres.js';
import { startSmtpTestServer, type ReceivedMessage, type SmtpTestServer } from '../../support/smtp-test-server.js';
import { testMessage } from '../../support/test-message.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const AUTH = { username: 'relay@contoso.com', password: 'relay-password-1' };
const MAILBOX = 'support@contoso.com';

/** A received message: encoded by mailwright's own encoder (which keeps address casing), with CRLF line ends as SMTP delivers it. */
async function inboundMessage(pdf: Buffer, messageId = '<original-42@example.com>'): Promise<Buffer> {
  const encoded = await encodeMessageToBuffer(
    testMessage({
      from: { name: 'Ana María Núñez', address: 'Ana.Nunez@Example.com' },
      to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
      cc: [{ name: 'Boss', address: 'boss@example.com' }],
      subject: 'Invoice 42 overdue',
      text: 'Please pay invoice 42.\nThanks.',
      html: '<p>Please pay <b>invoice 42</b>.</p>',
      messageId,
      headers: { 'In-Reply-To': '<earlier-41@example.com>' },
      attachments: [{ filename: 'invoice-42.pdf', content: pdf, contentType: 'application/pdf' }],
    }),
  );
  return Buffer.from(encoded.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

const header = (message: ReceivedMessage, name: string): unknown => message.parsed.headers.get(name.toLowerCase());

/** Opens the store a suite runs on. */
type StoreFactory = (dir: string, clock: ManualClock) => Store;

/** The automatic forwarding suite over one store. */
const autoForwardSuite = (makeStore: StoreFactory) => (): void => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let contacts: InMemoryContactDirectory;
  let pdf: Buffer;
  let raw: Buffer;
  const blockedEvents: ForwardEvents['auto-forward-blocked'][] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-autofwd-'));
    server = await startSmtpTestServer({ auth: AUTH });
    contacts = new InMemoryContactDirectory([{ id: 'partner-desk', email: 'desk@partner.com', displayName: 'Partner Desk' }]);
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    mailwright = await createMailwright({
      store: makeStore(dir, clock),
      providers: [
        smtpProvider({
          id: 'relay',
          settings: { host: '127.0.0.1', port: server.port, username: AUTH.username, password: AUTH.password, ca: server.certificate, servername: 'localhost' },
        }),
        emlProvider({ directory: join(dir, 'eml') }),
      ],
      users: new InMemoryUserDirectory([{ id: 'boss', email: 'Boss@Contoso.com', displayName: 'The Boss' }]),
      contacts,
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'relay' });
    await mailwright.forwardingPolicy.update({ acceptedDomains: ['contoso.com'] });
    blockedEvents.length = 0;
    mailwright.forwardingEvents.on('auto-forward-blocked', (e) => blockedEvents.push(e));
    pdf = randomBytes(200_000);
    raw = await inboundMessage(pdf);
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('mailbox SMTP forwarding redirects the original: From, To, Cc, Message-ID and attachments kept, stamped, delivered only to the target', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, displayName: 'Contoso Support', forwardingSmtpAddress: 'archive@partner.com' });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(result).toMatchObject({ mailbox: MAILBOX, deliverToMailbox: false, forwards: [{ status: 'queued', style: 'redirect', stamped: true, recipients: ['archive@partner.com'] }] });

    await mailwright.distributor.runOnce();
    const [received] = await server.waitForMessages(1);
    expect(received!.envelope).toEqual({ mailFrom: MAILBOX, rcptTo: ['archive@partner.com'] });
    expect(received!.parsed.from?.value).toEqual([{ name: 'Ana María Núñez', address: 'Ana.Nunez@Example.com' }]);
    expect(received!.parsed.to).toMatchObject({ value: [{ name: 'Contoso Support', address: 'support@contoso.com' }] });
    expect(received!.parsed.cc).toMatchObject({ value: [{ name: 'Boss', address: 'boss@example.com' }] });
    expect(received!.parsed.subject).toBe('Invoice 42 overdue');
    expect(received!.parsed.messageId).toBe('<original-42@example.com>');
    expect(received!.parsed.inReplyTo).toBe('<earlier-41@example.com>');
    // partner.com is outside the organization: Exchange's internal stamp stays inside, mailwright's signed mark goes along.
    expect(header(received!, 'X-MS-Exchange-Organization-AutoForwarded')).toBeUndefined();
    expect(header(received!, 'X-Mailwright-Mark')).toMatch(/^v=1; t=\d+; h=[\w-]{12}; s=[\w-]{22}$/);
    expect(received!.parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([['invoice-42.pdf', sha256(pdf)]]);

    const record = await mailwright.history.get(result.forwards[0]!.emailId);
    expect(record).toMatchObject({ status: 'sent', recipients: [{ kind: 'to', address: 'archive@partner.com', status: 'accepted' }] });
    expect(record!.meta.autoForward).toMatchObject({ mailbox: MAILBOX, source: { kind: 'forwarding-smtp-address' }, original: '<original-42@example.com>' });
  });

  it('inbox rules forward ("FW:", original below, from the mailbox), forward as attachment (the original byte for byte); a rule that does not match does nothing', async () => {
    await mailwright.forwardingPolicy.setMailbox({
      address: MAILBOX,
      displayName: 'Contoso Support',
      inboxRules: [
        { name: 'Invoices to finance', conditions: { subjectContains: ['invoice'], hasAttachments: true }, actions: { forwardTo: ['Finance <finance@contoso.com>'], forwardAsAttachmentTo: ['audit@partner.com'] } },
        { name: 'Never', conditions: { fromAddresses: ['someone@else.com'] }, actions: { redirectTo: ['never@contoso.com'] } },
      ],
    });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(result.deliverToMailbox).toBe(true);
    expect(result.forwards.map((f) => [f.style, f.status, f.recipients])).toEqual([
      ['forward', 'queued', ['Finance <finance@contoso.com>']],
      ['forward-as-attachment', 'queued', ['audit@partner.com']],
    ]);
    await mailwright.distributor.runOnce();
    const received = await server.waitForMessages(2);
    const forward = received.find((m) => m.envelope.rcptTo[0] === 'finance@contoso.com')!;
    expect(forward.envelope.mailFrom).toBe(MAILBOX);
    expect(forward.parsed.from?.value).toEqual([{ name: 'Contoso Support', address: MAILBOX }]);
    expect(forward.parsed.subject).toBe('FW: Invoice 42 overdue');
    expect(forward.parsed.text).toContain('From: Ana María Núñez <Ana.Nunez@Example.com>');
    expect(forward.parsed.text).toContain('Please pay invoice 42.');
    expect(forward.parsed.html).toContain('<b>invoice 42</b>');
    expect(forward.parsed.attachments.map((a) => sha256(a.content))).toEqual([sha256(pdf)]);
    expect(header(forward, 'X-MS-Exchange-Organization-AutoForwarded')).toBe('true');
    expect(header(forward, 'X-MS-Exchange-Inbox-Rules-Loop')).toBe(MAILBOX);

    const asAttachment = received.find((m) => m.envelope.rcptTo[0] === 'audit@partner.com')!;
    const eml = asAttachment.parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(eml?.filename).toBe('Invoice 42 overdue.eml');
        expect(sha256(eml!.content)).toBe(sha256(raw));
  });

  it('a blocked remote domain: the allowed recipients get it, the blocked ones are recorded as blocked with reason and fix, never sent', async () => {
    await mailwright.forwardingPolicy.update({ remoteDomains: [{ domain: '*', autoForwardEnabled: false }, { domain: 'partner.com' }] });
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'Copy out', actions: { redirectTo: ['ok@partner.com', 'leak@gmail.com'] } }] });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(result.forwards.map((f) => [f.status, f.recipients])).toEqual([
      ['queued', ['ok@partner.com']],
      ['blocked', ['leak@gmail.com']],
    ]);
    await mailwright.distributor.runOnce();
    const received = await server.waitForMessages(1);
    expect(received.flatMap((m) => m.envelope.rcptTo)).toEqual(['ok@partner.com']);

    const blocked = await mailwright.history.list({ status: 'blocked' });
    expect(blocked.items).toHaveLength(1);
    expect(blocked.items[0]).toMatchObject({
      id: result.forwards[1]!.emailId,
      blockedReason: 'Automatic forwarding to gmail.com is not allowed: remote domain "*" has auto-forward disabled',
      failure: { code: ErrorCodes.FORWARDING_BLOCKED, category: 'policy', permanent: true, fix: expect.stringContaining('Allow auto-forwarding') },
      recipients: [{ address: 'leak@gmail.com' }],
      meta: { autoForward: { mailbox: MAILBOX, source: { kind: 'inbox-rule', rule: 'Copy out' } } },
    });
    expect(blockedEvents).toEqual([expect.objectContaining({ mailbox: MAILBOX, emailId: result.forwards[1]!.emailId, recipients: ['leak@gmail.com'] })]);
  });

  it('processing the same message again queues and records nothing new', async () => {
    await mailwright.forwardingPolicy.update({ remoteDomains: [{ domain: 'gmail.com', autoForwardEnabled: false }] });
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'r', actions: { forwardTo: ['a@partner.com', 'b@gmail.com'] } }] });
    const first = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    const again = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(again.forwards.map((f) => f.emailId)).toEqual(first.forwards.map((f) => f.emailId));
    expect((await mailwright.history.list()).items).toHaveLength(2);
    await mailwright.distributor.runOnce();
    expect(server.messages).toHaveLength(1);
  });

  it('forwarding to a directory contact: not stamped, not subject to remote domain policy; a missing contact is refused, and one deleted later keeps the message', async () => {
    await mailwright.forwardingPolicy.update({ remoteDomains: [{ domain: '*', autoForwardEnabled: false }] });
    const before = await mailwright.forwardingPolicy.get();
    await expect(mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingContactId: 'nobody' })).rejects.toMatchObject({
      code: ErrorCodes.FORWARDING_CONTACT_NOT_FOUND,
      details: { contactId: 'nobody', field: 'mailboxes.0.forwardingContactId' },
    });
    expect(await mailwright.forwardingPolicy.get()).toEqual(before);

    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingContactId: 'partner-desk', deliverToMailboxAndForward: true });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(result).toMatchObject({ deliverToMailbox: true, forwards: [{ status: 'queued', stamped: false, recipients: ['Partner Desk <desk@partner.com>'] }] });
    await mailwright.distributor.runOnce();
    const [received] = await server.waitForMessages(1);
    expect(received!.envelope.rcptTo).toEqual(['desk@partner.com']);
    expect(header(received!, 'X-MS-Exchange-Organization-AutoForwarded')).toBeUndefined();

    // A user of the user directory is a valid forwarding target too.
    await mailwright.forwardingPolicy.setMailbox({ address: 'sales@contoso.com', forwardingContactId: 'boss' });

    contacts.delete('partner-desk');
    const later = await mailwright.processInbound({ mailbox: MAILBOX, message: await inboundMessage(pdf, '<later@example.com>') });
    expect(later.deliverToMailbox).toBe(true);
    expect(later.forwards).toEqual([expect.objectContaining({ status: 'blocked', reason: expect.stringContaining('"partner-desk" is not in the directory') })]);
    expect((await mailwright.history.get(later.forwards[0]!.emailId))!.failure?.code).toBe(ErrorCodes.FORWARDING_CONTACT_NOT_FOUND);
  });

  it('a forwarding contact without a valid email is refused when saved; one that loses it later keeps the message and the audit still answers', async () => {
    contacts.put({ id: 'no-email', email: '' });
    await expect(mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingContactId: 'no-email' })).rejects.toMatchObject({
      code: ErrorCodes.FORWARDING_CONTACT_NOT_FOUND,
      message: expect.stringContaining('"no-email", which has no valid email address'),
    });
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingContactId: 'partner-desk' });
    contacts.put({ id: 'partner-desk', email: undefined as never, displayName: 'Partner Desk' });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect(result.deliverToMailbox).toBe(true);
    expect(result.forwards.map((f) => [f.status, f.recipients])).toEqual([['blocked', []]]);
    const audit = await mailwright.auditForwarding();
    expect(audit).toEqual([expect.objectContaining({ mailbox: MAILBOX, targets: [] })]);
  });

  it('a forward the mailbox\'s own rules sent comes back: the loop is blocked and recorded, not forwarded again', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, inboxRules: [{ name: 'To the team', actions: { forwardTo: [MAILBOX, 'team@contoso.com'] } }] });
    await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    await mailwright.distributor.runOnce();
    const [back] = await server.waitForMessages(1);
    const looped = await mailwright.processInbound({ mailbox: MAILBOX, message: back!.raw });
    expect(looped.forwards).toEqual([expect.objectContaining({ status: 'blocked', reason: expect.stringContaining(`Forwarding loop: ${MAILBOX} already forwarded this message`) })]);
    await mailwright.distributor.runOnce();
    expect(server.messages).toHaveLength(1);
  });

  it('a loop through mailbox forwarding stops too: a rule at A forwards to B, B redirects everything to A, and A keeps the message', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: 'a@contoso.com', inboxRules: [{ name: 'To B', actions: { forwardTo: ['b@contoso.com'] } }] });
    await mailwright.forwardingPolicy.setMailbox({ address: 'b@contoso.com', forwardingSmtpAddress: 'a@contoso.com' });
    let arriving = raw;
    const hops: { mailbox: string; keep: boolean; statuses: string[] }[] = [];
    for (const mailbox of ['a@contoso.com', 'b@contoso.com', 'a@contoso.com']) {
      const result = await mailwright.processInbound({ mailbox, message: arriving });
      hops.push({ mailbox, keep: result.deliverToMailbox, statuses: result.forwards.map((f) => f.status) });
      await mailwright.distributor.runOnce();
      arriving = server.messages.at(-1)!.raw;
    }
    expect(hops).toEqual([
      { mailbox: 'a@contoso.com', keep: true, statuses: ['queued'] },
      { mailbox: 'b@contoso.com', keep: false, statuses: ['queued'] },
      { mailbox: 'a@contoso.com', keep: true, statuses: ['blocked'] },
    ]);
    expect(server.messages).toHaveLength(2);
  });

  it('two mailboxes forwarding to each other: the message comes back once, is kept, and is not sent round again', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: 'c@contoso.com', forwardingSmtpAddress: 'd@contoso.com' });
    await mailwright.forwardingPolicy.setMailbox({ address: 'd@contoso.com', forwardingSmtpAddress: 'c@contoso.com' });
    let arriving = raw;
    const kept: boolean[] = [];
    for (const mailbox of ['c@contoso.com', 'd@contoso.com', 'c@contoso.com']) {
      kept.push((await mailwright.processInbound({ mailbox, message: arriving })).deliverToMailbox);
      await mailwright.distributor.runOnce();
      arriving = server.messages.at(-1)!.raw;
    }
    expect(kept).toEqual([false, false, true]);
    expect(server.messages).toHaveLength(2);
  });

  it('a redirect keeps the original To and Cc it can write and leaves out the others; an original From it cannot write keeps the message, saying why', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const received = (from: string) =>
      [`From: ${from}`, 'To: Contoso Support <support@contoso.com>, team@intranet', 'Cc: x..y@example.com', 'Subject: Hello', `Message-ID: <${randomBytes(6).toString('hex')}@example.com>`, '', 'Body', ''].join('\r\n');
    const redirected = await mailwright.processInbound({ mailbox: MAILBOX, message: received('Customer <customer@example.com>') });
    expect(redirected).toMatchObject({ deliverToMailbox: false, forwards: [{ status: 'queued' }] });
    await mailwright.distributor.runOnce();
    const [sent] = await server.waitForMessages(1);
    expect(sent!.envelope.rcptTo).toEqual(['archive@contoso.com']);
    expect(sent!.parsed.to).toMatchObject({ value: [{ address: 'support@contoso.com' }] });
    expect(sent!.parsed.cc).toBeUndefined();

    const oddFrom = await mailwright.processInbound({ mailbox: MAILBOX, message: received('taro..yamada.@docomo.ne.jp') });
    expect(oddFrom).toMatchObject({ deliverToMailbox: true, forwards: [{ status: 'failed', reason: expect.stringContaining('a redirect keeps the original From') }] });
    expect((await mailwright.history.get(oddFrom.forwards[0]!.emailId))?.failure?.fix).toContain('Forward such messages instead');
  });

  it('another message reusing a Message-ID is forwarded too; the same delivery processed twice is not', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@contoso.com' });
    const first = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    expect((await mailwright.processInbound({ mailbox: MAILBOX, message: raw })).forwards[0]!.emailId).toBe(first.forwards[0]!.emailId);
    const other = await inboundMessage(randomBytes(1_000)); // same Message-ID, another message
    const second = await mailwright.processInbound({ mailbox: MAILBOX, message: other });
    expect(second.forwards[0]!.emailId).not.toBe(first.forwards[0]!.emailId);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 2 });
  });

  it('a forward over the attachment size limit is recorded as failed with the fix, the message stays in the mailbox, and the other forwards still go', async () => {
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 100_000 });
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.com', inboxRules: [{ name: 'r', actions: { forwardAsAttachmentTo: ['a@contoso.com'] } }] });
    const result = await mailwright.processInbound({ mailbox: MAILBOX, message: raw });
    // The mailbox keeps no copy when its forward goes, but this one could not go: the message stays, and its rules run.
    expect(result.deliverToMailbox).toBe(true);
    expect(result.forwards.map((f) => [f.source.kind, f.status])).toEqual([
      ['forwarding-smtp-address', 'failed'],
      ['inbox-rule', 'failed'],
    ]);
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.com', deliverToMailboxAndForward: true, inboxRules: [{ name: 'r', actions: { forwardAsAttachmentTo: ['a@contoso.com'] } }] });
    expect((await mailwright.processInbound({ mailbox: MAILBOX, message: raw })).forwards.map((f) => f.status)).toEqual(['failed', 'failed']);
    const small = await inboundMessage(randomBytes(1_000), '<small@example.com>');
    const ok = await mailwright.processInbound({ mailbox: MAILBOX, message: small });
    expect(ok.forwards.map((f) => f.status)).toEqual(['queued', 'queued']);
    const failed = await mailwright.history.get(result.forwards[0]!.emailId);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: ErrorCodes.ATTACHMENT_TOO_LARGE, fix: expect.any(String) } });
  });

  it('reading inbox rules from a provider that cannot (SMTP) is refused with a fix', async () => {
    const error = await mailwright.auditForwarding({ readRulesFrom: { providerId: 'relay', mailboxes: [MAILBOX] } }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.PROVIDER_NOT_ALLOWED)).toBe(true);
    expect((error as { fix: string }).fix).toContain('Exchange');
  });

  it('a message with no Message-ID, no To and an attachment named with a path is redirected as it is, once', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: MAILBOX, forwardingSmtpAddress: 'archive@partner.com' });
    const bare = Buffer.from(
      [
        'From: "Núñez, Ana" <ana@example.com>',
        'Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Voilà mon CV.',
        '--b',
        'Content-Type: application/pdf; name="../../etc/cv.pdf"',
        'Content-Disposition: attachment; filename="../../etc/cv.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.7 cv').toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const first = await mailwright.processInbound({ mailbox: MAILBOX, message: bare });
    const again = await mailwright.processInbound({ mailbox: MAILBOX, message: bare });
    expect(again.forwards.map((f) => f.emailId)).toEqual(first.forwards.map((f) => f.emailId));
    await mailwright.distributor.runOnce();
    const [received] = await server.waitForMessages(1);
    expect(server.messages).toHaveLength(1);
    expect(received!.envelope.rcptTo).toEqual(['archive@partner.com']);
    expect(received!.parsed.from?.value).toEqual([{ name: 'Núñez, Ana', address: 'ana@example.com' }]);
    expect(received!.parsed.to).toBeUndefined();
    expect(received!.parsed.subject).toBe('Résumé');
    expect(received!.parsed.text?.trim()).toBe('Voilà mon CV.');
    expect(received!.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['.._.._etc_cv.pdf', '%PDF-1.7 cv']]);
  });

  it('a mailbox without forwarding keeps the message and forwards nothing', async () => {
    expect(await mailwright.processInbound({ mailbox: 'other@contoso.com', message: raw })).toEqual({ mailbox: 'other@contoso.com', deliverToMailbox: true, forwards: [] });
  });

  it('a mailbox is one address whatever its display name and casing: set, looked up and removed as such; a bad address is refused', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: 'Sales Desk <Sales@Contoso.com>', forwardingSmtpAddress: 'archive@partner.com' });
    await mailwright.forwardingPolicy.setMailbox({ address: 'sales@CONTOSO.com', forwardingSmtpAddress: 'other@partner.com' }); // replaces it
    expect((await mailwright.forwardingPolicy.get()).mailboxes.filter((m) => m.address.toLowerCase().includes('sales@'))).toHaveLength(1);
    expect(await mailwright.forwardingPolicy.mailbox('"Sales" <SALES@contoso.com>')).toMatchObject({ forwardingSmtpAddress: 'other@partner.com' });
    await expect(mailwright.forwardingPolicy.mailbox('not a mailbox')).rejects.toMatchObject({ code: ErrorCodes.INVALID_ADDRESS });
    await expect(mailwright.forwardingPolicy.removeMailbox('not a mailbox')).rejects.toMatchObject({ code: ErrorCodes.INVALID_ADDRESS });
    expect(await mailwright.forwardingPolicy.removeMailbox('Sales@contoso.COM')).toBe(true);
    expect(await mailwright.forwardingPolicy.removeMailbox('sales@contoso.com')).toBe(false);
    expect(await mailwright.forwardingPolicy.mailbox('sales@contoso.com')).toBeUndefined();
  });

  it('bad policy settings: one MW_INVALID_SETTINGS listing every field, nothing changed', async () => {
    const before = await mailwright.forwardingPolicy.get();
    const error = await mailwright.forwardingPolicy
      .setMailbox({ address: 'not a mailbox', forwardingSmtpAddress: 'x@y.com', forwardingContactId: 'partner-desk', inboxRules: [{ name: '', actions: {} }] })
      .catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.INVALID_SETTINGS)).toBe(true);
    const fields = (error as { details: { issues: { field: string }[] } }).details.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['mailboxes.0.address', 'mailboxes.0.forwardingContactId', 'mailboxes.0.inboxRules.0.name']));
    expect(await mailwright.forwardingPolicy.get()).toEqual(before);
  });

  it('a redirect is refused by a provider that cannot keep the original From (eml), before anything is written', async () => {
    const provider = mailwright.providers().find((p) => p.id === 'eml')!;
    expect(provider).toBeDefined();
    const eml = emlProvider({ directory: join(dir, 'eml') });
    const error = await eml.send(testMessage({ envelopeTo: [{ address: 'x@partner.com' }] }), { mode: 'interactive', emailId: 'e1', attempt: 1 }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.REDIRECT_NOT_SUPPORTED)).toBe(true);
    // A bounce address of its own (a redirect's envelope sender) cannot be kept either.
    const bounce = await eml.send(testMessage({ envelopeFrom: { address: 'SRS0=abcd=AB=example.com=ana@contoso.com' } }), { mode: 'interactive', emailId: 'e2', attempt: 1 }).catch((e: unknown) => e);
    expect(bounce).toMatchObject({ code: ErrorCodes.REDIRECT_NOT_SUPPORTED, details: { envelopeFrom: 'SRS0=abcd=AB=example.com=ana@contoso.com' } });
    await expect(readdir(join(dir, 'eml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
};

describe('automatic forwarding policy (real SMTP relay, SQLite file, batch queue)', autoForwardSuite((dir, clock) => createSqliteStore({ filename: join(dir, 'mailwright.db'), clock })));

const schemas = pgSchemas();
afterAll(() => schemas.dropAll());
describePostgres(
  'automatic forwarding policy (real SMTP relay, PostgreSQL, batch queue)',
  autoForwardSuite((_dir, clock) => createPostgresStore({ connectionString: pgConnectionString, schema: schemas.fresh(), clock })),
);

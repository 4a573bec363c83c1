import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { isMailwrightError, type MailwrightError } from '../../src/errors/mailwright-error.js';
import type { ForwardEvents } from '../../src/forwarding/forward-events.js';
import type { ForwardableRecord } from '../../src/forwarding/forwardable-record.js';
import { InMemoryRecordJournal } from '../../src/forwarding/in-memory-record-journal.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { SenderMode } from '../../src/users/user-directory.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpRule, type SmtpTestServer } from '../support/smtp-test-server.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const AUTH = { username: 'helpdesk@contoso.com', password: 'mailbox-password-1' };

describe('record forwarding through the default outbound mailbox (real SMTP server, SQLite file)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let journal: InMemoryRecordJournal;
  let record: ForwardableRecord;
  let pdf: Buffer;
  let scan: Buffer;
  const events: ForwardEvents['forwarded'][] = [];

  async function setup(options: { rules?: SmtpRule[]; senderMode?: SenderMode; sizeLimit?: number } = {}): Promise<void> {
    server = await startSmtpTestServer({ starttls: true, auth: AUTH, ...(options.rules ? { rules: options.rules } : {}) });
    journal = new InMemoryRecordJournal();
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, `${Math.random()}.db`), clock }),
      providers: [
        smtpProvider({
          id: 'outbound',
          settings: { host: '127.0.0.1', port: server.port, username: AUTH.username, password: AUTH.password, ca: server.certificate, servername: 'localhost' },
          ...(options.senderMode ? { senderMode: options.senderMode } : {}),
        }),
      ],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez' }]),
      clock,
      templates: {
        organization: new InMemoryTemplateSource([
          { id: 'mailbox-theme', defaultLanguage: 'en', fromMailbox: true, variants: { en: { subject: 'Case {{ record.id }}', text: '{{ record.subject }}' } } },
          { id: 'mailwright.forward', organizationId: 'USMF', defaultLanguage: 'en', variants: { en: { subject: 'USMF case {{ record.id }}', text: '{{ comment }}' } } },
        ]),
      },
      forwarding: { providerId: 'outbound', journal },
    });
    mailwright.forwardingEvents.on('forwarded', (e) => events.push(e));
    if (options.sizeLimit !== undefined) await mailwright.parameters.update({ attachmentSizeLimitBytes: options.sizeLimit });
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-forward-'));
    pdf = randomBytes(300_000);
    scan = randomBytes(700_000);
    await writeFile(join(dir, 'scan.tiff'), scan);
    events.length = 0;
    record = {
      id: 'CASE-1042',
      subject: 'Printer on fire',
      conversation: [
        { from: 'Customer <customer@example.com>', sentAt: '2026-11-23 09:12', text: 'The printer is on fire.\nPlease help.' },
        { from: 'Ana María Núñez', sentAt: '2026-11-23 09:20', text: 'We are on it <b>now</b>.' },
      ],
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'scan.tiff', path: join(dir, 'scan.tiff') },
        { filename: 'notes.txt', content: 'plain notes' },
      ],
      attachmentLink: async (a) => `https://helpdesk.contoso.com/files/CASE-1042/${encodeURIComponent(a.filename)}`,
    };
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends every attachment byte for byte, From the agent exactly, with anti-loop headers; journals the note and the recipients', async () => {
    await setup();
    const result = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'Vendor Support <support@vendor.example>', cc: 'manager@contoso.com', comment: 'Vendor: see below.' });
    expect(result.status).toBe('sent');
    const [message] = server.messages;
    const parsed = message!.parsed;
    expect(message!.envelope.mailFrom).toBe('Ana.Nunez@Contoso.com');
    expect(message!.raw.toString()).toMatch(/^From: =\?UTF-8\?Q\?Ana_Mar=C3=ADa_N=C3=BA=C3=B1ez\?= <Ana\.Nunez@Contoso\.com>\r$/m);
    expect(parsed.from?.value[0]).toEqual({ name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' });
    expect(parsed.headers.get('sender')).toBeUndefined();
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.get('x-mailwright-forwarded-record')).toBe('CASE-1042');
    expect(parsed.subject).toBe('Fwd: Printer on fire [CASE-1042]');
    expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
      ['invoice.pdf', sha256(pdf)],
      ['scan.tiff', sha256(scan)],
      ['notes.txt', sha256(Buffer.from('plain notes'))],
    ]);
    expect(parsed.text).toContain('Vendor: see below.');
    expect(parsed.text).toContain('The printer is on fire.\nPlease help.');
    expect(parsed.html).toContain('We are on it &lt;b&gt;now&lt;/b&gt;.');
    expect(parsed.html).toContain('The printer is on fire.<br />');

    const entries = journal.entries('CASE-1042');
    expect(entries.map((e) => e.kind)).toEqual(['note', 'timeline', 'timeline']);
    expect(entries[0]).toMatchObject({ kind: 'note', emailId: result.emailId, themeId: 'mailwright.forward', triggersAutomation: false });
    expect(entries[0]?.kind === 'note' && entries[0].text.trimEnd()).toBe(parsed.text?.trimEnd());
    expect(entries.slice(1).map((e) => (e.kind === 'timeline' ? [e.recipient.role, e.recipient.address] : []))).toEqual([
      ['to', 'support@vendor.example'],
      ['cc', 'manager@contoso.com'],
    ]);
    expect(events).toEqual([{ recordId: 'CASE-1042', emailId: result.emailId, recipients: ['support@vendor.example', 'manager@contoso.com'], themeId: 'mailwright.forward', triggersAutomation: false }]);
    const history = await mailwright.history.get(result.emailId);
    expect(history?.meta).toMatchObject({ recordId: 'CASE-1042', themeId: 'mailwright.forward', forward: true });
  });

  it('Send On Behalf: From = the agent, Sender = the outbound mailbox; a theme may send From the mailbox instead', async () => {
    await setup({ senderMode: 'sendOnBehalf' });
    await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' });
    expect(server.messages[0]?.parsed.from?.value[0]?.address).toBe('Ana.Nunez@Contoso.com');
    expect(server.messages[0]?.parsed.headers.get('sender')).toMatchObject({ value: [{ address: AUTH.username }] });
    await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example', theme: 'mailbox-theme' });
    expect(server.messages[1]?.parsed.from?.value[0]?.address).toBe(AUTH.username);
    expect(server.messages[1]?.parsed.subject).toBe('Case CASE-1042');
  });

  it('the record\'s organization chooses its own forward theme; other organizations get the built-in one', async () => {
    await setup();
    await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example', organizationId: 'USMF', comment: 'See below.' });
    await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example', organizationId: 'DEMF' });
    expect(server.messages.map((m) => m.parsed.subject)).toEqual(['USMF case CASE-1042', 'Fwd: Printer on fire [CASE-1042]']);
  });

  it('550 5.7.1 "Client does not have permissions to send as this sender": permanent, in history and journal with transcript, record, theme, "will not be retried" and the fix', async () => {
    await setup({ rules: [{ from: 'Ana.Nunez@Contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }] });
    const error = (await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' }).catch((e: unknown) => e)) as MailwrightError;
    expect(isMailwrightError(error, ErrorCodes.SEND_AS_DENIED)).toBe(true);
    expect(error.permanent).toBe(true);
    const history = await mailwright.history.get(String(error.details.emailId));
    expect(history?.status).toBe('failed');
    expect(history?.failure?.transcript).toContain('MAIL FROM:<Ana.Nunez@Contoso.com>');
    expect(history?.failure?.transcript).toContain('550 5.7.1 Client does not have permissions to send as this sender');
    expect(history?.failure?.transcript).not.toContain(AUTH.password);
    expect(history?.failure?.transcript).not.toContain(Buffer.from(`\0${AUTH.username}\0${AUTH.password}`).toString('base64'));
    const [entry] = journal.entries('CASE-1042');
    expect(entry).toMatchObject({ kind: 'error', recordId: 'CASE-1042', themeId: 'mailwright.forward', retry: 'will not be retried', triggersAutomation: false });
    if (entry?.kind !== 'error') throw new Error('expected an error entry');
    expect(entry.failure.code).toBe(ErrorCodes.SEND_AS_DENIED);
    expect(entry.failure.smtpCode).toBe(550);
    expect(entry.failure.enhancedCode).toBe('5.7.1');
    expect(entry.failure.fix).toMatch(/Send As, Send on Behalf or delegate access/);
    expect(entry.failure.fix).toMatch(/casing/);
    expect(entry.failure.transcript).toContain('550 5.7.1');
    expect(entry.headers).toMatchObject({ From: 'Ana María Núñez <Ana.Nunez@Contoso.com>', To: 'support@vendor.example', 'Auto-Submitted': 'auto-generated', 'X-Mailwright-Forwarded-Record': 'CASE-1042' });
    expect(server.messages).toHaveLength(0);
  });

  it.each([
    ['Amazon SES', 554, 'Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: Ana.Nunez@Contoso.com'],
    ['SendGrid', 550, 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.'],
    ['Postfix (reject_sender_login_mismatch)', 553, '5.7.1 <Ana.Nunez@Contoso.com>: Sender address rejected: not owned by user helpdesk@contoso.com'],
    ['Zoho Mail', 553, 'Relaying disallowed as Ana.Nunez@Contoso.com'],
  ])('%s refusing the agent\'s address is MW_SEND_AS_DENIED, permanent, with the fix', async (_host, code, message) => {
    await setup({ rules: [{ from: 'Ana.Nunez@Contoso.com', code, message }] });
    const error = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SEND_AS_DENIED, permanent: true, failure: { smtpCode: code, fix: expect.stringContaining('Send mail as') } });
    expect(journal.entries('CASE-1042')).toEqual([expect.objectContaining({ kind: 'error', retry: 'will not be retried' })]);
  });

  it('a missing options object or record, or a record not shaped as ForwardableRecord: a typed error naming the field, before anything is sent, recorded or journaled', async () => {
    await setup();
    const refused = async (options: unknown, code: string): Promise<MailwrightError> => {
      const error = await mailwright.forwardRecord(options as never).catch((e: unknown) => e);
      expect(isMailwrightError(error)).toBe(true);
      expect(error).toMatchObject({ code });
      return error as MailwrightError;
    };
    const call = { agentUserId: 'ana', to: 'support@vendor.example' };
    // The call's options: MW_INVALID_SETTINGS, as for every call.
    expect((await refused(undefined, ErrorCodes.INVALID_SETTINGS)).fix).toContain('Pass { record, agentUserId, to,');
    for (const missing of [null, undefined, 'CASE-1042']) {
      const error = await refused({ ...call, record: missing }, ErrorCodes.INVALID_SETTINGS);
      expect(error.details.issues).toEqual([{ field: 'record', message: 'must be the record to forward: an object with id, subject, conversation and attachments' }]);
    }
    const language = await refused({ ...call, record, language: 5 }, ErrorCodes.INVALID_SETTINGS);
    expect(language.details.issues).toEqual([{ field: 'language', message: expect.stringContaining('expected string') }]);
    // The record's fields are the forward's content: MW_INVALID_MESSAGE naming each bad field.
    const attachments = await refused({ ...call, record: { ...record, attachments: 'invoice.pdf' } }, ErrorCodes.INVALID_MESSAGE);
    expect(attachments.message).toContain('record.attachments: must be an array of attachments (empty when there are none)');
    expect(attachments.details.issues).toEqual([{ field: 'record.attachments', message: 'must be an array of attachments (empty when there are none)' }]);
    // A numeric id used to be reported as header injection (MW_INVALID_HEADER) on X-Mailwright-Forwarded-Record.
    const id = await refused({ ...call, record: { ...record, id: 42 } }, ErrorCodes.INVALID_MESSAGE);
    expect(id.message).toContain('record.id: must be a non-empty string');
    expect(id.message).not.toContain('header injection');
    const several = await refused({ ...call, record: { id: ' ', subject: 'Printer on fire' } }, ErrorCodes.INVALID_MESSAGE);
    expect((several.details.issues as { field: string }[]).map((i) => i.field)).toEqual(['record.id', 'record.conversation', 'record.attachments']);
    expect(several.fix).toContain('attachments (array, empty when there are none)');

    expect(server.messages).toHaveLength(0);
    expect((await mailwright.history.list({})).items).toHaveLength(0);
    expect(journal.entries('CASE-1042')).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('an oversize policy other than "refuse" or "link" is refused (MW_INVALID_SETTINGS naming the option and its values); nothing is sent', async () => {
    await setup();
    const error = (await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example', oversize: 'skip' as never }).catch((e: unknown) => e)) as MailwrightError;
    expect(isMailwrightError(error, ErrorCodes.INVALID_SETTINGS)).toBe(true);
    expect(error.message).toBe('Invalid forwardRecord options: oversize: must be "refuse" or "link".');
    expect(error.details.issues).toEqual([{ field: 'oversize', message: 'must be "refuse" or "link"' }]);
    expect(server.messages).toHaveLength(0);
    expect((await mailwright.history.list({})).items).toHaveLength(0);
    expect(journal.entries('CASE-1042')).toHaveLength(0);
  });

  it('oversize, default policy: MW_ATTACHMENT_TOO_LARGE listing every attachment and size; nothing sent, recorded or journaled', async () => {
    await setup({ sizeLimit: 500_000 });
    const error = (await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example' }).catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.ATTACHMENT_TOO_LARGE);
    expect(error.details.attachments).toEqual([
      { filename: 'invoice.pdf', sizeBytes: 300_000 },
      { filename: 'scan.tiff', sizeBytes: 700_000 },
      { filename: 'notes.txt', sizeBytes: 11 },
    ]);
    expect(error.message).toContain('scan.tiff');
    expect(server.messages).toHaveLength(0);
    expect((await mailwright.history.list({})).items).toHaveLength(0);
    expect(journal.entries('CASE-1042')).toHaveLength(0);
  });

  it('oversize with the link policy: attachments replaced by the links the host provides', async () => {
    await setup({ sizeLimit: 500_000 });
    const result = await mailwright.forwardRecord({ record, agentUserId: 'ana', to: 'support@vendor.example', oversize: 'link' });
    expect(result.linkedAttachments).toEqual(['invoice.pdf', 'scan.tiff', 'notes.txt']);
    const parsed = server.messages[0]!.parsed;
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.text).toContain('- scan.tiff (684 KB): https://helpdesk.contoso.com/files/CASE-1042/scan.tiff');
    expect(parsed.html).toContain('<a href="https://helpdesk.contoso.com/files/CASE-1042/invoice.pdf">invoice.pdf</a>');
    const [note] = journal.entries('CASE-1042');
    expect(note?.kind === 'note' && note.text).toContain('https://helpdesk.contoso.com/files/CASE-1042/notes.txt');
  });
});

describe('record forwarding configuration', () => {
  it('without the forwarding option, forwardRecord() says what to configure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mw-forward-off-'));
    const mailwright = await createMailwright({ store: createSqliteStore({ filename: join(dir, 'mw.db') }), providers: [], users: new InMemoryUserDirectory() });
    const error = await mailwright.forwardRecord({ record: { id: 'r', subject: 's', conversation: [], attachments: [] }, agentUserId: 'a', to: 'x@example.com' }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.PROVIDER_NOT_CONFIGURED)).toBe(true);
    expect((error as MailwrightError).fix).toContain('forwarding: { providerId, journal }');
    await mailwright.close();
    await rm(dir, { recursive: true, force: true });
  });
});

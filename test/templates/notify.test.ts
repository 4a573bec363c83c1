import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { approval } from './approval-template.js';
import { InMemoryTemplateSource } from '../../src/templates/template-source.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';


describe('workflow notifications through the batch queue (real SQLite file and SMTP server)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  const organization = new InMemoryTemplateSource();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-notify-'));
    server = await startSmtpTestServer({ starttls: false });
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory([
        { id: 'ana', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez', options: { emailNotifications: true, language: 'fr-CA' } },
        { id: 'bob', email: 'bob@contoso.com', displayName: 'Bob', options: { emailNotifications: true } },
        { id: 'eve', email: 'eve@contoso.com', displayName: 'Eve', options: { emailNotifications: false, language: 'fr' } },
        { id: 'zoe', email: 'zoe@contoso.com' },
        { id: 'noemail', email: '', options: { emailNotifications: true } },
        { id: 'nameonly', email: undefined as unknown as string, displayName: 'Name Only', options: { emailNotifications: true } },
        { id: 'typo', email: 'typo@contoso', displayName: 'Typo', options: { emailNotifications: true } },
      ]),
      clock,
      templates: { system: new InMemoryTemplateSource([approval]), organization },
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues one email per opted-in user in their language, From the template sender; the others are skipped, not dropped', async () => {
    const result = await mailwright.notify({ userIds: ['ana', 'bob', 'eve', 'zoe', 'ghost'], templateId: 'approval', data: { doc: 'PO-7' } });
    expect(result.queued.map((q) => [q.userId, q.language])).toEqual([
      ['ana', 'fr'],
      ['bob', 'en'],
    ]);
    expect(result.skipped.map((s) => [s.userId, s.reason])).toEqual([
      ['eve', 'not-opted-in'],
      ['zoe', 'not-opted-in'],
      ['ghost', 'unknown-user'],
    ]);
    expect((await mailwright.distributor.runOnce()).sent).toBe(2);
    const byRecipient = new Map(server.messages.map((m) => [m.envelope.rcptTo[0], m.parsed]));
    const ana = byRecipient.get('Ana.Nunez@Contoso.com');
    expect(ana?.subject).toBe('Approuver PO-7');
    expect(ana?.text?.trim()).toBe("Bonjour Ana María Núñez, merci d'approuver PO-7.");
    expect(ana?.from?.value[0]).toEqual({ name: 'Contoso Workflow', address: 'workflow@contoso.com' });
    const bob = byRecipient.get('bob@contoso.com');
    expect(bob?.subject).toBe('Approve PO-7');
    expect(bob?.html).toContain('<p>Hello Bob, please approve PO-7.</p>');
    const record = await mailwright.history.get(result.queued[0]!.emailId);
    expect(record?.meta).toMatchObject({ templateId: 'approval', templateOrigin: 'system', language: 'fr' });
  });

  it('an organization template overrides the system one for notifications', async () => {
    organization.put({ ...approval, senderEmail: 'approvals@contoso.com', variants: { en: { subject: 'Org: {{ doc }}', text: 'org' } } });
    await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: { doc: 'PO-8' } });
    await mailwright.distributor.runOnce();
    expect(server.messages[0]?.parsed.subject).toBe('Org: PO-8');
    expect(server.messages[0]?.envelope.mailFrom).toBe('approvals@contoso.com');
    organization.delete('approval');
  });

  it('an organization\'s own template and the workflow level choose the template, as in the reference: sender and meta on the wire and in the history', async () => {
    organization.put({ ...approval, organizationId: 'USMF', senderEmail: 'USMF Approvals <approvals@usmf.contoso.com>', variants: { en: { subject: 'USMF: {{ doc }}', text: 'usmf' } } });
    const byDefault = await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: { doc: 'PO-11' }, organizationId: 'USMF' });
    const system = await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: { doc: 'PO-12' }, organizationId: 'USMF', workflowLevel: 'system' });
    const other = await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: { doc: 'PO-13' }, organizationId: 'DEMF' });
    await mailwright.distributor.runOnce();
    expect(server.messages.map((m) => [m.parsed.subject, m.envelope.mailFrom])).toEqual([
      ['USMF: PO-11', 'approvals@usmf.contoso.com'],
      ['Approve PO-12', 'workflow@contoso.com'],
      ['Approve PO-13', 'workflow@contoso.com'],
    ]);
    expect((await mailwright.history.get(byDefault.queued[0]!.emailId))?.meta).toMatchObject({ templateOrigin: 'organization', organizationId: 'USMF' });
    expect((await mailwright.history.get(system.queued[0]!.emailId))?.meta).toMatchObject({ templateOrigin: 'system', organizationId: 'USMF', workflowLevel: 'system' });
    expect((await mailwright.history.get(other.queued[0]!.emailId))?.meta).toMatchObject({ templateOrigin: 'system', organizationId: 'DEMF' });

    const refused = await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: { doc: 'PO-14' }, organizationId: 'DEMF', workflowLevel: 'organization' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: ErrorCodes.TEMPLATE_NOT_FOUND, details: { organizationId: 'DEMF', level: 'organization' } });
    const bad = await mailwright.notify({ userIds: ['bob'], templateId: 'approval', data: {}, workflowLevel: 'company' as never, organizationId: '' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, details: { issues: [{ field: 'organizationId' }, { field: 'workflowLevel' }] } });
    expect((await mailwright.history.list({})).items).toHaveLength(3);
    organization.delete('approval', 'USMF');
  });

  it.each([
    ['an invalid sender email', { senderEmail: 'workflow@' }, ErrorCodes.TEMPLATE_SENDER_INVALID],
    ['a variable the data lacks', { variants: { en: { subject: '{{ missing }}', text: 'x' } } }, ErrorCodes.TEMPLATE_RENDER_FAILED],
  ])('%s: a typed error and nothing queued for anyone', async (_name, change, code) => {
    organization.put({ ...approval, ...change });
    const error = await mailwright.notify({ userIds: ['ana', 'bob'], templateId: 'approval', data: { doc: 'PO-9' } }).catch((e: unknown) => e as { code: string });
    expect((error as { code: string }).code).toBe(code);
    expect((await mailwright.history.list({})).items).toHaveLength(0);
    organization.delete('approval');
  });

  it('the idempotency key makes notify() safe to repeat', async () => {
    const first = await mailwright.notify({ userIds: ['ana', 'bob'], templateId: 'approval', data: { doc: 'PO-10' }, idempotencyKey: 'wf-10' });
    const again = await mailwright.notify({ userIds: ['ana', 'bob'], templateId: 'approval', data: { doc: 'PO-10' }, idempotencyKey: 'wf-10' });
    expect(again.queued.map((q) => q.emailId)).toEqual(first.queued.map((q) => q.emailId));
    expect((await mailwright.history.list({})).items).toHaveLength(2);
  });

  it('a user without a valid email is skipped as invalid-address, naming the user; the others are still queued', async () => {
    const result = await mailwright.notify({ userIds: ['ana', 'noemail', 'bob', 'nameonly', 'typo'], templateId: 'approval', data: { doc: 'PO-11' } });
    expect(result.queued.map((q) => q.userId)).toEqual(['ana', 'bob']);
    expect(result.skipped.map((s) => [s.userId, s.reason, s.error?.code])).toEqual([
      ['noemail', 'invalid-address', ErrorCodes.INVALID_ADDRESS],
      ['nameonly', 'invalid-address', ErrorCodes.INVALID_ADDRESS],
      ['typo', 'invalid-address', ErrorCodes.INVALID_ADDRESS],
    ]);
    const [noemail, nameonly, typo] = result.skipped.map((s) => s.error);
    expect(noemail?.message).toBe('The user "noemail" cannot be notified: they have no email address in the user directory.');
    expect(nameonly?.message).toBe('The user "nameonly" cannot be notified: they have no email address in the user directory.');
    expect(typo?.message).toContain('The user "typo" cannot be notified: ');
    expect(typo?.message).toContain('"typo@contoso"');
    expect(typo?.fix).toBe('Set a valid email address for the user "typo" in the user directory.');
    expect(typo?.details).toMatchObject({ userId: 'typo' });
    expect((await mailwright.history.list({})).items).toHaveLength(2);
  });

  it.each([
    ['no options', undefined],
    ['no userIds', { templateId: 'approval', data: { doc: 'PO-12' } }],
    ['userIds as one string', { userIds: 'ana', templateId: 'approval', data: { doc: 'PO-12' } }],
    ['a blank user id', { userIds: ['ana', ' '], templateId: 'approval', data: { doc: 'PO-12' } }],
    ['a user id that is not a string', { userIds: ['ana', 7], templateId: 'approval', data: { doc: 'PO-12' } }],
  ])('%s: MW_INVALID_SETTINGS naming userIds, and nothing queued', async (_name, options) => {
    const error = await expectMailwrightError(mailwright.notify(options as never), ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toMatch(/^Invalid notify options: .*userIds/);
    expect(error.fix).toContain('userIds');
    expect((await mailwright.history.list({})).items).toHaveLength(0);
  });

  it.each([
    ['no templateId', { userIds: ['ana'], data: {} }, 'templateId'],
    ['a blank templateId', { userIds: ['ana'], templateId: ' ', data: {} }, 'templateId'],
    ['data that is not an object', { userIds: ['ana'], templateId: 'approval', data: 'PO-12' }, 'data'],
  ])('%s: MW_INVALID_SETTINGS naming it, not "no template undefined"', async (_name, options, field) => {
    const error = await expectMailwrightError(mailwright.notify(options as never), ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toMatch(new RegExp(`^Invalid notify options: .*${field}`));
    expect((await mailwright.history.list({})).items).toHaveLength(0);
  });

  it('a user listed twice is notified once, in the order given', async () => {
    const result = await mailwright.notify({ userIds: ['bob', 'ana', 'bob', 'eve', 'ana', 'eve'], templateId: 'approval', data: { doc: 'PO-13' } });
    expect(result.queued.map((q) => q.userId)).toEqual(['bob', 'ana']);
    expect(result.skipped.map((s) => s.userId)).toEqual(['eve']);
    expect((await mailwright.history.list({})).items).toHaveLength(2);
  });
});

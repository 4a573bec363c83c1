import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { formatAuditEntry } from '../../../src/forwarding/policy/format-audit-entry.js';
import { createMailwright, type Mailwright } from '../../../src/mailwright.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryContactDirectory } from '../../../src/users/in-memory-contact-directory.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';

const fixture = (name: string): Promise<Buffer> => readFile(join(import.meta.dirname, 'fixtures', name));

describe('auditing a real tenant from exported Get-Mailbox and Get-InboxRule output (issue 26 item 6; SQLite file)', () => {
  let dir: string;
  let mailwright: Mailwright;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-import-'));
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db') }),
      providers: [],
      users: new InMemoryUserDirectory([]),
      contacts: new InMemoryContactDirectory([{ id: 'Partner Desk', email: 'desk@partner.com', displayName: 'Partner Desk' }]),
    });
    await mailwright.forwardingPolicy.update({ acceptedDomains: ['contoso.com'], remoteDomains: [{ domain: '*', autoForwardEnabled: false }, { domain: 'partner.com' }] });
  });
  afterEach(async () => {
    await mailwright.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('Get-Mailbox as Export-Csv (with its #TYPE line) and as ConvertTo-Json in UTF-16: mailbox forwarding the Graph audit cannot see, each entry naming its export and row', async () => {
    const entries = await mailwright.auditForwarding({
      imports: [
        { name: 'mailboxes.csv', content: await fixture('get-mailbox.csv') },
        { name: 'mailboxes.json', content: await fixture('get-mailbox-utf16.json') },
      ],
    });
    expect(entries.map(formatAuditEntry)).toEqual([
      'ana@contoso.com [import: mailboxes.csv row 1] forwards every message (ForwardingSmtpAddress) -> ana.private@gmail.com [BLOCKED by remote domain]; keeps no copy',
      'sales@contoso.com [import: mailboxes.csv row 3] forwards every message to a contact (ForwardingAddress) -> desk@partner.com; keeps a copy',
      'eve@contoso.com [import: mailboxes.csv row 4] forwards every message to a contact (ForwardingAddress) -> (nobody); keeps no copy; ForwardingAddress "Boss" names an Exchange recipient whose address the export does not give and the contact directory does not know',
      'eve@contoso.com [import: mailboxes.csv row 4] forwards every message (ForwardingSmtpAddress) -> eve@partner.com; keeps no copy; Exchange ignores it while ForwardingAddress is set',
      'odd@contoso.com [import: mailboxes.csv row 5] forwards every message (ForwardingSmtpAddress) -> (nobody); keeps no copy; ForwardingSmtpAddress "smtp:not an address" is not a valid address',
      'carol@contoso.com [import: mailboxes.json row 1] forwards every message (ForwardingSmtpAddress) -> carol@fabrikam.com [BLOCKED by remote domain]; keeps a copy',
    ]);
    expect(entries[0]).toMatchObject({ origin: 'import', imported: { name: 'mailboxes.csv', cmdlet: 'Get-Mailbox', row: 1 }, stamped: true, targets: [{ address: 'ana.private@gmail.com', external: true, allowed: false }] });
  });

  it('Get-InboxRule as ConvertTo-Json (recipients as "Name" [SMTP:…] / [EX:…]) and as Export-Csv: forwards out, Exchange recipients inside, a list Export-Csv lost, unmodelled actions', async () => {
    const entries = await mailwright.auditForwarding({
      imports: [
        { name: 'ana-rules.json', content: await fixture('get-inboxrule.json'), mailbox: 'ana@contoso.com' },
        { name: 'eve-rules.csv', content: (await fixture('get-inboxrule.csv')).toString() },
      ],
    });
    expect(entries.map(formatAuditEntry)).toEqual([
      'ana@contoso.com [import: ana-rules.json row 1] rule "To my phone" (forward) -> ana.private@gmail.com [BLOCKED by remote domain]',
      'ana@contoso.com [import: ana-rules.json row 2] rule "Team copy" (redirect, disabled) -> desk@partner.com; Exchange recipients (inside): Bob; also: DeleteMessage, MoveToFolder',
      'eve@contoso.com [import: eve-rules.csv row 1] rule "Leak" (forward) -> (nobody); ForwardTo: the export holds a .NET type name instead of the recipients: export with ConvertTo-Json, or join the list (@{n="ForwardTo";e={$_.ForwardTo -join ";"}})',
      'eve@contoso.com [import: eve-rules.csv row 2] rule "Joined" (forward) -> ext@gmail.com [BLOCKED by remote domain], team@contoso.com (internal)',
    ]);
    const inside = await mailwright.auditForwarding({ includeInternal: true, imports: [{ name: 'eve-rules.csv', content: await fixture('get-inboxrule.csv') }] });
    expect(inside.map((e) => e.source.kind === 'inbox-rule' && e.source.rule)).toEqual(['Leak', 'Joined', 'Inside only']);
  });

  it('the policy\'s own entries come first, then the imported ones', async () => {
    await mailwright.forwardingPolicy.setMailbox({ address: 'support@contoso.com', forwardingSmtpAddress: 'archive@gmail.com' });
    const entries = await mailwright.auditForwarding({ imports: [{ content: await fixture('get-mailbox-utf16.json') }] });
    expect(entries.map((e) => [e.origin, e.mailbox, e.imported?.name])).toEqual([
      ['policy', 'support@contoso.com', undefined],
      ['import', 'carol@contoso.com', 'import 1'],
    ]);
  });

  it.each([
    ['not an export at all', 'hello,world\r\n1,2\r\n', 'none of the columns of Get-Mailbox'],
    ['broken JSON', '[{"ForwardTo": ', 'starts like JSON but is not'],
    ['JSON that is not objects', '[1, 2]', 'not an object or a list of objects'],
    ['no content', undefined, 'give { content'],
  ])('%s: MW_INVALID_SETTINGS naming the export, nothing audited', async (_name, content, message) => {
    const error = await mailwright.auditForwarding({ imports: [{ name: 'x.csv', content: content as string }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, message: expect.stringContaining(message), fix: expect.stringContaining('Get-Mailbox') });
  });
});

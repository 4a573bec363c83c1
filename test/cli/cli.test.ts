import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryContactDirectory } from '../../src/users/in-memory-contact-directory.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('mailwright CLI (in-process, real SQLite file and SMTP server)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let db: string;
  const key = Buffer.alloc(32, 4).toString('base64');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-'));
    db = join(dir, 'cli.db');
    server = await startSmtpTestServer({
      starttls: false,
      auth: { username: 'mailer@contoso.com', password: 'Cli!pass' },
      rules: [{ from: 'blocked@contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }],
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...argv: string[]) => cliOn({ isTTY: false }, ...argv);
  /** Runs the CLI in-process on the test's database; on a "terminal", each progress redraw is recorded as `\r` + text. */
  const cliOn = ({ isTTY, env = {} }: { isTTY: boolean; env?: Record<string, string | undefined> }, ...argv: string[]) =>
    runCliInProcess(['--db', db, ...argv], { isTTY, env: { MAILWRIGHT_SECRET_KEY: key, MAILWRIGHT_SMTP_PASSWORD: 'Cli!pass', ...env } });

  it('stores SMTP settings encrypted and never prints the password', async () => {
    // The test server offers no STARTTLS: the password may go in clear only when --allow-insecure-auth says so.
    const set = await cli('smtp', 'set', '--host', '127.0.0.1', '--port', String(server.port), '--user', 'mailer@contoso.com', '--no-require-tls', '--allow-insecure-auth', '--mailbox', 'mailer@contoso.com');
    expect(set.code).toBe(ExitCodes.OK);
    expect(set.out).toContain('"hasPassword": true');
    expect(set.out).toContain('"allowInsecureAuth": true');
    expect(set.out + (await cli('smtp', 'show')).out).not.toContain('Cli!pass');
  });

  it('smtp set --user without the password variable says which variable to set; nothing is saved', async () => {
    const fresh = join(dir, 'no-password.db');
    const unset = await cliOn({ isTTY: false, env: { MAILWRIGHT_SMTP_PASSWORD: undefined } }, '--db', fresh, 'smtp', 'set', '--host', 'smtp.contoso.com', '--user', 'mailer@contoso.com');
    expect(unset.code).toBe(ExitCodes.USAGE);
    expect(unset.err).toContain('Error MW_INVALID_SETTINGS: --user is given, but the environment variable MAILWRIGHT_SMTP_PASSWORD that holds the password is not set');
    expect(unset.err).toMatch(/^Fix: Set MAILWRIGHT_SMTP_PASSWORD to the password .*--password-env.*leave out --user/m);
    const empty = await cliOn({ isTTY: false, env: { SMTP_PW: '' } }, '--db', fresh, 'smtp', 'set', '--host', 'smtp.contoso.com', '--user', 'mailer@contoso.com', '--password-env', 'SMTP_PW');
    expect(empty.code).toBe(ExitCodes.USAGE);
    expect(empty.err).toMatch(/^Fix: Set SMTP_PW to the password/m);
    expect(existsSync(fresh)).toBe(false); // not even the database was created
  });

  it('smtp set with a Microsoft 365 host gives the provider the 30-a-minute limit (the first session of docs/cli.md)', async () => {
    const o365 = join(dir, 'o365.db');
    await (await createMailwright({ store: createSqliteStore({ filename: o365 }), providers: [], users: new InMemoryUserDirectory() })).close(); // the application made the database
    expect((await cli('--db', o365, 'params', 'show')).out).toContain('"smtp": 0');
    expect((await cli('--db', o365, 'smtp', 'set', '--host', 'smtp.office365.com', '--port', '587', '--user', 'noreply@contoso.com', '--mailbox', 'noreply@contoso.com')).code).toBe(ExitCodes.OK);
    const shown = JSON.parse((await cli('--db', o365, 'params', 'show')).out) as { perMinuteLimits: object; effective: { perMinuteLimits: Record<string, number> } };
    expect(shown.perMinuteLimits).toEqual({});
    expect(shown.effective.perMinuteLimits).toEqual({ smtp: 30, eml: 0 });
    expect((await cli('--db', o365, 'params', 'set', 'perMinuteLimits.smtp', '10')).code).toBe(ExitCodes.OK);
    expect(JSON.parse((await cli('--db', o365, 'params', 'show')).out)).toMatchObject({ effective: { perMinuteLimits: { smtp: 10 } } });
  });

  it('params set / show, with typed errors for bad values', async () => {
    expect((await cli('params', 'set', 'batchProviderId', 'smtp')).code).toBe(ExitCodes.OK);
    expect((await cli('params', 'set', 'perMinuteLimits.smtp', '30')).code).toBe(ExitCodes.OK);
    const shown = JSON.parse((await cli('params', 'show')).out) as { batchProviderId: string; effective: { perMinuteLimits: Record<string, number>; historyRetentionDays: number } };
    expect(shown).toMatchObject({ batchProviderId: 'smtp', effective: { perMinuteLimits: { smtp: 30, eml: 0 }, historyRetentionDays: 30 } });
    for (const key of ['nonsense', 'perMinuteLimits', 'maxAttempts.smtp']) {
      const unknown = await cli('params', 'set', key, '1');
      expect(unknown.code).toBe(ExitCodes.USAGE);
      expect(unknown.err).toContain(`- ${key}: not a parameter; use batchProviderId | attachmentSizeLimitBytes | historyRetentionDays | maxDeferrals | maxAttempts | perMinuteLimits.<providerId>`);
    }
    const bad = await cli('params', 'set', 'historyRetentionDays', '-3');
    expect(bad.code).toBe(ExitCodes.USAGE);
    expect(bad.err).toContain('MW_INVALID_SETTINGS');
    expect(bad.err).toContain('historyRetentionDays');
  });

  it('test-email reports success, and a refusal with its explanation and exit code 1', async () => {
    const ok = await cli('test-email', '--to', 'admin@example.com');
    expect(ok.code).toBe(ExitCodes.OK);
    expect(ok.out).toMatch(/Test email sent with "smtp"/);
    const refused = await cli('test-email', '--to', 'admin@example.com', '--from', 'blocked@contoso.com');
    expect(refused.code).toBe(ExitCodes.EMAIL_FAILED);
    expect(refused.out).toContain('MW_SEND_AS_DENIED');
    expect(refused.out).toContain('Fix: Grant the authenticated mailbox Send As');
  });

  it('history filters and prints JSON; distribute --once; purge', async () => {
    const failed = JSON.parse((await cli('history', '--status', 'failed', '--json')).out) as { id: string; failure: { code: string } }[];
    expect(failed.map((r) => r.failure.code)).toEqual(['MW_SEND_AS_DENIED']);
    expect(JSON.parse((await cli('history', '--code', 'MW_SEND_AS_DENIED', '--json')).out)).toEqual(failed);
    expect(JSON.parse((await cli('history', '--code', 'MW_RECIPIENT_UNKNOWN', '--json')).out)).toEqual([]);
    const bySender = JSON.parse((await cli('history', '--sender', 'MAILER@contoso.com', '--json')).out) as unknown[];
    expect(bySender).toHaveLength(1);
    expect((await cli('history')).out).toContain('MW_SEND_AS_DENIED');
    expect(JSON.parse((await cli('history', '--recipient', 'ADMIN@', '--subject', 'TEST EMAIL', '--meta', 'testEmail=x', '--json')).out)).toEqual([]);
    expect(JSON.parse((await cli('history', '--recipient', 'ADMIN@', '--subject', 'TEST EMAIL', '--json')).out)).toHaveLength(2);
    const badMeta = await cli('history', '--meta', 'recordId');
    expect(badMeta.code).toBe(ExitCodes.USAGE);
    expect(badMeta.err).toContain('--meta takes KEY=VALUE');
    const csv = (await cli('history', '--status', 'failed', '--export', 'csv')).out.trim().split('\r\n');
    expect(csv[0]).toMatch(/^id,createdAt,status,/);
    expect(csv.slice(1).map((line) => line.split(',')[2])).toEqual(['failed']);
    expect(JSON.parse((await cli('history', '--export', 'json', '--code', 'MW_SEND_AS_DENIED')).out)).toEqual([expect.objectContaining({ id: failed[0]!.id })]);
    expect((await cli('history', '--export', 'xml')).err).toContain('Error MW_INVALID_QUERY: Unknown export format "xml"');

    const run = await cli('distribute', '--once');
    expect(run.code).toBe(ExitCodes.OK);
    expect(run.out).toContain('Done: sent 0');
    expect((await cli('purge')).out).toMatch(/Deleted 0 record\(s\) finished before .* \(retention 30 days\)/);
  });

  it('retry queues failed batch email again and says why it skips the rest; distribute takes it again', async () => {
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    const id = await app.enqueue({ from: 'blocked@contoso.com', to: 'c@example.com', subject: 'Refused, then retried', text: 'x' });
    await app.close();
    expect((await cli('distribute', '--once')).code).toBe(ExitCodes.EMAIL_FAILED);

    for (const argv of [[], [id, '--failed'], ['--sender', 'blocked@contoso.com']]) {
      const usage = await cli('retry', ...argv);
      expect(usage.code).toBe(ExitCodes.USAGE);
      expect(usage.err).toContain('--failed'); // what to pass instead: test/cli/cli-rough-edges.test.ts
    }
    expect(await cli('retry', '--failed', '--code', 'MW_SEND_AS_DENYED')).toMatchObject({ code: ExitCodes.USAGE, err: expect.stringContaining('Unknown failure code "MW_SEND_AS_DENYED"') });
    const run = await cli('retry', '--failed', '--sender', 'BLOCKED@contoso.com', '--code', 'MW_RECIPIENT_UNKNOWN,MW_SEND_AS_DENIED');
    expect(run.code).toBe(ExitCodes.EMAIL_FAILED);
    expect(run.out).toMatch(/^skipped \S+: its message is not kept \(sent interactively, a test email, or failed before messages were kept\): send it again from the application$/m);
    expect(run.out).toContain('Queued again: 1 email(s).');
    const queued = JSON.parse((await cli('history', '--status', 'queued', '--json')).out) as { id: string; attempts: number }[];
    expect(queued).toEqual([expect.objectContaining({ id, attempts: 1 })]);
    expect(await cli('retry', id, 'no-such-id')).toMatchObject({
      code: ExitCodes.EMAIL_FAILED,
      out: `skipped ${id}: not failed\nskipped no-such-id: no such email (or purged by the history retention)\nQueued again: none.\n`,
    });
    expect((await cli('distribute', '--once')).out).toContain(`failed ${id}: MW_SEND_AS_DENIED`); // the server still refuses it
  });

  it('cancel stops waiting email before it is sent, and says why it skips the rest', async () => {
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    const ids = [
      await app.enqueue({ from: 'mailer@contoso.com', to: 'c@example.com', subject: 'Made by mistake 1', text: 'x' }),
      await app.enqueue({ from: 'mailer@contoso.com', to: 'c@example.com', subject: 'Made by mistake 2', text: 'x' }),
    ];
    await app.close();
    expect((await cli('cancel')).code).toBe(ExitCodes.USAGE);
    expect(await cli('cancel', '--waiting', '--since', '2000-01-01', '--reason', 'Statement run made twice')).toMatchObject({
      code: ExitCodes.OK,
      out: 'Cancelled: 2 email(s); `mailwright retry` sends any of them after all.\n',
    });
    const cancelled = JSON.parse((await cli('history', '--status', 'failed', '--json')).out) as { id: string; failure: { code: string; message: string } }[];
    expect(cancelled.filter((r) => ids.includes(r.id)).map((r) => [r.failure.code, r.failure.message])).toEqual([
      ['MW_CANCELLED', 'Statement run made twice'],
      ['MW_CANCELLED', 'Statement run made twice'],
    ]);
    expect(await cli('cancel', ids[0]!)).toMatchObject({ code: ExitCodes.EMAIL_FAILED, out: `skipped ${ids[0]}: already finished\nCancelled: none.\n` });
    expect((await cli('distribute', '--once')).out).toContain('Done: sent 0');
  });

  it('--help on each command, and usage errors exit 2', async () => {
    for (const command of ['distribute', 'history', 'retry', 'cancel', 'purge', 'test-email', 'params', 'smtp', 'forwarding', 'forwarding audit']) {
      const help = await cli(...command.split(' '), '--help');
      expect(help.code).toBe(ExitCodes.OK);
      expect(help.out).toContain(`Usage: mailwright ${command}`);
    }
    const commands = (await cli('--help')).out.split('Commands:')[1] ?? '';
    expect(commands.trim().split(/\s+/)[0]).toBe('distribute');
    expect(await cli('--version')).toEqual({ code: ExitCodes.OK, out: `${JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version}\n`, err: '' });
    expect((await cli('history', '--bogus')).code).toBe(ExitCodes.USAGE);
    expect((await cli('test-email')).code).toBe(ExitCodes.USAGE);
  });

  it('forwarding set / show / test / audit: the policy from a JSON file, checked whole; a dry run; the audit lists external forwards', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(
      file,
      JSON.stringify({
        acceptedDomains: ['contoso.com'],
        remoteDomains: [{ domain: '*', autoForwardEnabled: false }, { domain: 'partner.com' }],
        mailboxes: [
          { address: 'support@contoso.com', forwardingSmtpAddress: 'archive@gmail.com' },
          { address: 'sales@contoso.com', inboxRules: [{ name: 'Partner copy', enabled: false, actions: { forwardTo: ['desk@partner.com', 'team@contoso.com'] } }] },
        ],
      }),
    );
    const set = await cli('forwarding', 'set', file);
    expect(set).toMatchObject({ code: ExitCodes.OK, out: 'Forwarding policy saved: 2 mailbox(es), 2 remote domain(s), 1 accepted domain(s).\n' });
    expect(JSON.parse((await cli('forwarding', 'show')).out)).toMatchObject({ acceptedDomains: ['contoso.com'], mailboxes: [{ address: 'support@contoso.com' }, { address: 'sales@contoso.com' }] });

    const audit = await cli('forwarding', 'audit');
    expect(audit.code).toBe(ExitCodes.OK);
    expect(audit.out.trim().split('\n')).toEqual([
      'support@contoso.com [policy] forwards every message (ForwardingSmtpAddress) -> archive@gmail.com [BLOCKED by remote domain]; keeps no copy',
      'sales@contoso.com [policy] rule "Partner copy" (forward, disabled) -> desk@partner.com, team@contoso.com (internal)',
    ]);
    expect(JSON.parse((await cli('forwarding', 'audit', '--json')).out)).toHaveLength(2);
    // Exported Get-Mailbox / Get-InboxRule output covers a real tenant; each line names its file and row.
    const fixtures = join(import.meta.dirname, '..', 'forwarding', 'policy', 'fixtures');
    const imported = await cli('forwarding', 'audit', '--import', join(fixtures, 'get-mailbox-utf16.json'), join(fixtures, 'get-inboxrule.csv'));
    expect(imported.out.trim().split('\n').slice(2)).toEqual([
      'carol@contoso.com [import: get-mailbox-utf16.json row 1] forwards every message (ForwardingSmtpAddress) -> carol@fabrikam.com [BLOCKED by remote domain]; keeps a copy',
      expect.stringContaining('eve@contoso.com [import: get-inboxrule.csv row 1] rule "Leak" (forward) -> (nobody); ForwardTo: the export holds a .NET type name'),
      'eve@contoso.com [import: get-inboxrule.csv row 2] rule "Joined" (forward) -> ext@gmail.com [BLOCKED by remote domain], team@contoso.com (internal)',
    ]);
    const missing = await cli('forwarding', 'audit', '--import', join(dir, 'missing.csv'));
    expect(missing).toMatchObject({ code: ExitCodes.USAGE, err: expect.stringContaining('missing.csv') });

    // Dry run: what would happen to a message arriving in a mailbox; nothing is queued or recorded.
    const eml = join(dir, 'arrived.eml');
    await writeFile(eml, 'From: Customer <customer@example.com>\r\nTo: sales@contoso.com\r\nSubject: Quote\r\nMessage-ID: <q-1@example.com>\r\n\r\nHello\r\n');
    const historyBefore = (JSON.parse((await cli('history', '--json')).out) as unknown[]).length;
    const dryRun = await cli('forwarding', 'test', '--mailbox', 'support@contoso.com', eml);
    expect(dryRun.code).toBe(ExitCodes.OK);
    expect(dryRun.out.trim().split('\n')).toEqual([
      'support@contoso.com: keeps the message',
      '  ForwardingSmtpAddress: redirect BLOCKED archive@gmail.com: Automatic forwarding to gmail.com is not allowed: remote domain "*" has auto-forward disabled',
    ]);
    expect((await cli('forwarding', 'test', '--mailbox', 'sales@contoso.com', eml)).out).toBe('sales@contoso.com: keeps the message\n  no forward\n');
    expect((JSON.parse((await cli('history', '--json')).out) as unknown[]).length).toBe(historyBefore);
    expect((await cli('forwarding', 'test', '--mailbox', 'support@contoso.com', join(dir, 'missing.eml'))).code).toBe(ExitCodes.USAGE);

    await writeFile(file, '{ "mailboxes": [ { "address": "not an address" } ] }');
    const bad = await cli('forwarding', 'set', file);
    expect(bad.code).toBe(ExitCodes.USAGE);
    expect(bad.err).toContain('mailboxes.0.address');
    await writeFile(file, '{ nope');
    expect((await cli('forwarding', 'set', file)).err).toContain('is not valid JSON');
    expect(JSON.parse((await cli('forwarding', 'show')).out).mailboxes).toHaveLength(2);
    expect((await cli('forwarding', 'audit', '--rules-from', 'smtp')).code).toBe(ExitCodes.USAGE);
  });

  it('--config loads providers from an ES module; a bad config file is a configuration error (exit 3) that names each problem', async () => {
    const file = (name: string, text: string): Promise<string> => {
      const path = join(dir, name);
      return writeFile(path, text).then(() => path);
    };
    // A provider written in plain JavaScript, as a host's config file would hold: it records what it is given.
    const good = await file(
      'good-config.mjs',
      `export const sent = [];
       export const config = () => ({
         messageIdDomain: 'cli.example',
         providers: [{ id: 'capture', kind: 'custom', displayName: 'Capture', interactive: true, batch: true, microsoft365: false,
           send: async (message) => { sent.push(message); return { status: 'sent', messageId: message.messageId, recipients: message.to.map((a) => ({ address: a.address, status: 'accepted' })), response: '250 captured' }; } }],
       });`,
    );
    const ok = await cli('--config', good, 'test-email', '--provider', 'capture', '--to', 'admin@example.com', '--from', 'noreply@contoso.com');
    expect(ok).toMatchObject({ code: ExitCodes.OK, err: '' });
    expect(ok.out).toContain('Test email sent with "capture"');
    const { sent } = (await import(pathToFileURL(good).href)) as { sent: { messageId: string; to: { address: string }[] }[] };
    expect(sent.map((m) => [m.to[0]?.address, m.messageId.endsWith('@cli.example>')])).toEqual([['admin@example.com', true]]);

    const bad = [
      [await file('no-export.mjs', 'export const settings = {};'), 'has no export named "config"'],
      [join(dir, 'missing.mjs'), 'Cannot load the config file'],
      [await file('not-array.mjs', 'export const config = { providers: 5 };'), 'providers: Invalid input: expected array'],
      [await file('bad-parts.mjs', 'export const config = { providers: [{ id: "x" }], users: {}, extra: true };'), 'providers.0: must be a provider'],
    ] as const;
    for (const [path, message] of bad) {
      const run = await cli('--config', path, 'history');
      expect(run.code).toBe(ExitCodes.CONFIG);
      expect(run.err).toContain('Error MW_INVALID_SETTINGS');
      expect(run.err).toContain(message);
    }
    const parts = await cli('--config', bad[3][0], 'history');
    expect(parts.err).toContain('users: must be a user directory with getUser(id) and updateOptions(id, options)');
    expect(parts.err).toContain('Unrecognized key: "extra"');
  });

  it('--config provides the contact directory: forwarding audit / test / set see the contacts the application sees', async () => {
    const contactsDb = join(dir, 'contacts.db');
    const config = join(dir, 'contacts-config.mjs');
    // providers, users and contacts in plain JavaScript, as a host's config file would hold them.
    await writeFile(
      config,
      `export const config = {
         providers: [{ id: 'capture', kind: 'custom', displayName: 'Capture', interactive: true, batch: true, microsoft365: false,
           send: async (message) => ({ status: 'sent', messageId: message.messageId, recipients: [], response: '250 captured' }) }],
         users: { getUser: async (id) => (id === 'ana' ? { id, email: 'ana@contoso.com' } : undefined), updateOptions: async () => undefined },
         contacts: { getContact: async (id) => (id === 'partner-desk' ? { id, email: 'desk@partner.com', displayName: 'Partner Desk' } : undefined) },
       };`,
    );
    const withContacts = (...argv: string[]) => cli('--db', contactsDb, '--config', config, ...argv);
    const policy = join(dir, 'contact-policy.json');
    await writeFile(policy, JSON.stringify({ acceptedDomains: ['contoso.com'], mailboxes: [{ address: 'support@contoso.com', forwardingContactId: 'partner-desk' }] }));
    expect(await withContacts('forwarding', 'set', policy)).toMatchObject({ code: ExitCodes.OK, err: '' });

    const audit = await withContacts('forwarding', 'audit');
    expect(audit).toMatchObject({ code: ExitCodes.OK, err: '' });
    expect(audit.out).toBe('support@contoso.com [policy] forwards every message to a contact (ForwardingAddress) -> desk@partner.com; keeps no copy\n');
    // The application, with the same database and contacts, audits the same forwards.
    const app = await createMailwright({
      store: createSqliteStore({ filename: contactsDb }),
      providers: [],
      users: new InMemoryUserDirectory(),
      contacts: new InMemoryContactDirectory([{ id: 'partner-desk', email: 'desk@partner.com', displayName: 'Partner Desk' }]),
      secretKey: key,
    });
    try {
      expect(JSON.parse((await withContacts('forwarding', 'audit', '--json')).out)).toEqual(await app.auditForwarding());
    } finally {
      await app.close();
    }
    const eml = join(dir, 'to-support.eml');
    await writeFile(eml, 'From: Customer <customer@example.com>\r\nTo: support@contoso.com\r\nSubject: Help\r\nMessage-ID: <h-1@example.com>\r\n\r\nHello\r\n');
    expect((await withContacts('forwarding', 'test', '--mailbox', 'support@contoso.com', eml)).out).toContain('ForwardingAddress: redirect -> Partner Desk <desk@partner.com>');
    // The policy as shown can be set again.
    await writeFile(policy, (await withContacts('forwarding', 'show')).out);
    expect(await withContacts('forwarding', 'set', policy)).toMatchObject({ code: ExitCodes.OK, err: '' });
    // Without the contacts, the dry run says the contact is missing (and lists no empty recipients).
    expect((await cli('--db', contactsDb, 'forwarding', 'test', '--mailbox', 'support@contoso.com', eml)).out).toContain(
      'ForwardingAddress: redirect BLOCKED: The forwarding contact "partner-desk" is not in the directory',
    );

    const bad = join(dir, 'bad-contacts.mjs');
    await writeFile(bad, 'export const config = { contacts: {} };');
    const refused = await cli('--db', contactsDb, '--config', bad, 'forwarding', 'audit');
    expect(refused.code).toBe(ExitCodes.CONFIG);
    expect(refused.err).toContain('contacts: must be a contact directory with getContact(id)');
  });

  it('a missing batch provider is a configuration error (exit 3)', async () => {
    await cli('params', 'set', 'batchProviderId', 'null');
    const run = await cli('distribute', '--once');
    expect(run.code).toBe(ExitCodes.CONFIG);
    expect(run.err).toContain('MW_NO_BATCH_PROVIDER');
  });

  it('a batch provider without its SMTP settings is a configuration error (exit 3): the queued email stays queued', async () => {
    const unset = join(dir, 'no-settings.db');
    expect((await cli('--db', unset, 'params', 'set', 'batchProviderId', 'smtp')).code).toBe(ExitCodes.OK);
    const app = await createMailwright({ store: createSqliteStore({ filename: unset }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    await app.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Waits for settings', text: 'x' });
    await app.close();
    const run = await cli('--db', unset, 'distribute', '--once');
    expect(run.code).toBe(ExitCodes.CONFIG);
    expect(run.err).toContain('Error MW_PROVIDER_NOT_CONFIGURED');
    const queued = JSON.parse((await cli('--db', unset, 'history', '--json')).out) as { status: string; attempts: number }[];
    expect(queued).toEqual([expect.objectContaining({ status: 'queued', attempts: 0 })]);
  });

  it('distribute refuses a concurrency that is not a whole number >= 1, saying which option (exit 2)', async () => {
    for (const value of ['abc', '0', '2.5']) {
      const run = await cli('distribute', '--once', '--concurrency', value);
      expect(run.code).toBe(ExitCodes.USAGE);
      expect(run.err).toContain(`error: option '--concurrency <n>' argument '${value}' is invalid. Give a whole number of at least 1, e.g. --concurrency 4.`);
    }
  });

  it('distribute refuses an --every it cannot read before it says it is distributing (exit 2)', async () => {
    const run = await cli('distribute', '--every', 'soon');
    expect(run).toMatchObject({ code: ExitCodes.USAGE, out: '' });
    expect(run.err).toContain('Cannot read the interval "soon"');
  });

  it('distribute refuses a --max-unrecorded that is not a whole number >= 0 (exit 2)', async () => {
    const run = await cli('distribute', '--once', '--max-unrecorded', '-1');
    expect(run.code).toBe(ExitCodes.USAGE);
    expect(run.err).toContain("error: option '--max-unrecorded <n>' argument '-1' is invalid. Give a whole number of at least 0, e.g. --max-unrecorded 0.");
  });

  it('distribute --concurrency decides how many SMTP connections the CLI opens', async () => {
    expect((await cli('params', 'set', 'batchProviderId', 'smtp')).code).toBe(ExitCodes.OK);
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    await app.enqueueMany(Array.from({ length: 16 }, (_, i) => ({ message: { from: 'mailer@contoso.com', to: `c${i}@example.com`, subject: `n${i}`, text: 'x' } })));
    await app.close();
    const connectionsBefore = server.authAttempts.length;
    const run = await cli('distribute', '--once', '--concurrency', '8');
    expect(run.out).toContain('Done: sent 16');
    // Eight sends start at once and each opens a connection (one AUTH each); the provider's default cap (5) would allow five.
    expect(server.authAttempts.length - connectionsBefore).toBe(8);
  });

  it('distribute shows a progress bar over the due emails on a terminal, and a plain line per email otherwise', async () => {
    const enqueue = async (n: number): Promise<string[]> => {
      const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
      const ids = await app.enqueueMany(Array.from({ length: n }, (_, i) => ({ message: { from: 'mailer@contoso.com', to: `p${i}@example.com`, subject: `p${i}`, text: 'x' } })));
      await app.close();
      return ids;
    };
    await enqueue(4);
    const terminal = await cliOn({ isTTY: true }, 'distribute', '--once');
    const redraws = terminal.out.split('\r').filter((t) => t.startsWith('['));
    expect(redraws[0]).toBe(`[${' '.repeat(30)}] 0/4  sent 0, deferred 0, retrying 0, failed 0, forced 0`);
    expect(redraws.at(-1)).toBe(`[${'#'.repeat(30)}] 4/4  sent 4, deferred 0, retrying 0, failed 0, forced 0\nDone: sent 4, deferred 0, retrying 0, failed 0, forced 0\n`);
    expect(redraws.map((t) => t.slice(0, 32))).toContain(`[${'#'.repeat(15)}${' '.repeat(15)}]`);

    const ids = await enqueue(2);
    const piped = await cli('distribute', '--once');
    const lines = piped.out.trim().split('\n');
    expect(lines.pop()).toBe('Done: sent 2, deferred 0, retrying 0, failed 0, forced 0');
    expect(lines.sort()).toEqual(ids.map((id) => `sent ${id}`).sort()); // sent in parallel: either may finish first
  });
});

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const key = Buffer.alloc(32, 9).toString('base64');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mailwright CLI: TLS settings, failure causes, a missing database, narrow terminals, usage errors (in-process, real SQLite files and SMTP servers)', () => {
  let dir: string;
  let tls: SmtpTestServer;
  let caFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-edges-'));
    tls = await startSmtpTestServer({ secure: true, auth: { username: 'mailer@contoso.com', password: 'Tls!pass' } });
    caFile = join(dir, 'private-ca.pem');
    await writeFile(caFile, tls.certificate);
  });
  afterAll(async () => {
    await tls.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (argv: string[], { columns = 160, env = {} }: { columns?: number; env?: Record<string, string> } = {}) =>
    runCliInProcess(argv, { isTTY: false, columns, env: { MAILWRIGHT_SECRET_KEY: key, MAILWRIGHT_SMTP_PASSWORD: 'Tls!pass', ...env } });

  it('smtp set takes a private CA file, implicit TLS, the certificate name and a connection timeout; test-email then trusts the server', async () => {
    const db = join(dir, 'tls.db');
    const common = ['--db', db, 'smtp', 'set', '--host', '127.0.0.1', '--port', String(tls.port), '--user', 'mailer@contoso.com', '--mailbox', 'mailer@contoso.com'];
    const set = await cli([...common, '--implicit-tls', '--ca', caFile, '--servername', 'localhost', '--connection-timeout', '5000']);
    expect(set).toMatchObject({ code: ExitCodes.OK, err: '' });
    expect(JSON.parse(set.out)).toMatchObject({ implicitTls: true, connectionTimeoutMs: 5000, servername: 'localhost', ca: tls.certificate, hasPassword: true });

    const sent = await cli(['--db', db, 'test-email', '--to', 'admin@example.com']);
    expect(sent).toMatchObject({ code: ExitCodes.OK, err: '' });
    expect(sent.out).toMatch(/^Test email sent with "smtp"/);
    expect(tls.messages.at(-1)).toMatchObject({ secure: true, user: 'mailer@contoso.com' });
  });

  it('test-email prints the cause of a failure the server did not answer: the certificate it does not trust, the connection refused', async () => {
    const db = join(dir, 'causes.db');
    expect((await cli(['--db', db, 'smtp', 'set', '--host', '127.0.0.1', '--port', String(tls.port), '--implicit-tls', '--user', 'mailer@contoso.com', '--mailbox', 'mailer@contoso.com'])).code).toBe(ExitCodes.OK);
    const untrusted = await cli(['--db', db, 'test-email', '--to', 'admin@example.com']);
    expect(untrusted.code).toBe(ExitCodes.EMAIL_FAILED);
    expect(untrusted.out).toMatch(/^ {2}MW_TLS_FAILED — /m);
    expect(untrusted.out).toMatch(/^ {2}.*self-signed certificate/m);
    expect(untrusted.out).toContain('  Fix: ');

    const port = await closedPort();
    expect((await cli(['--db', db, 'smtp', 'set', '--host', '127.0.0.1', '--port', String(port), '--no-require-tls', '--no-require-auth', '--mailbox', 'mailer@contoso.com'])).code).toBe(ExitCodes.OK);
    const refused = await cli(['--db', db, 'test-email', '--to', 'admin@example.com']);
    expect(refused.code).toBe(ExitCodes.EMAIL_FAILED);
    expect(refused.out).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('smtp set refuses a CA file it cannot read and a timeout or port that is not a whole number, saving nothing (exit 2)', async () => {
    const db = join(dir, 'refused.db');
    const base = ['--db', db, 'smtp', 'set', '--host', 'smtp.contoso.com', '--no-require-auth'];
    const missing = await cli([...base, '--ca', join(dir, 'no-such-ca.pem')]);
    expect(missing.code).toBe(ExitCodes.USAGE);
    expect(missing.err).toContain(`Cannot read the CA file ${join(dir, 'no-such-ca.pem')}`);
    expect(missing.err).toMatch(/^Fix: Give the path of the PEM file/m);
    for (const [flag, value, example] of [['--connection-timeout', 'soon', '--connection-timeout 30000'], ['--port', '58x7', '--port 587']] as const) {
      const bad = await cli([...base, flag, value]);
      expect(bad.code).toBe(ExitCodes.USAGE);
      expect(bad.err).toContain(`argument '${value}' is invalid. Give a whole number of at least 1, e.g. ${example}.`);
    }
    expect(existsSync(db)).toBe(false); // nothing saved: not even the database was created
  });

  it('a --db file that does not exist is refused (exit 3), not created empty; smtp set, params set and forwarding set create it', async () => {
    const typo = join(dir, 'mailwrigth.db');
    for (const argv of [['history'], ['distribute', '--once'], ['retry', '--failed'], ['params', 'show'], ['smtp', 'show'], ['test-email', '--to', 'a@example.com']]) {
      const run = await cli(['--db', typo, ...argv]);
      expect({ argv, code: run.code }).toEqual({ argv, code: ExitCodes.CONFIG });
      expect(run.err).toContain(`Error MW_DATABASE_NOT_FOUND: There is no mailwright database at ${typo}.`);
      expect(run.err).toMatch(/^Fix: Check --db \(or MAILWRIGHT_DB\)/m);
      expect(existsSync(typo)).toBe(false);
    }
    expect((await cli(['history'], { env: { MAILWRIGHT_DB: typo } })).code).toBe(ExitCodes.CONFIG);

    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ acceptedDomains: ['contoso.com'] }));
    for (const [name, argv] of [['smtp.db', ['smtp', 'set', '--host', 'smtp.contoso.com', '--no-require-auth']], ['params.db', ['params', 'set', 'historyRetentionDays', '60']], ['forwarding.db', ['forwarding', 'set', policy]]] as const) {
      const db = join(dir, name);
      expect((await cli(['--db', db, ...argv])).code).toBe(ExitCodes.OK);
      expect(await cli(['--db', db, 'history'])).toMatchObject({ code: ExitCodes.OK, out: 'No email matches.\n' });
    }
  });

  it('history fits an 80-column terminal', async () => {
    const db = join(dir, 'narrow.db');
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    await app.enqueue({ from: 'Accounts Receivable <accounts.receivable@contoso.com>', to: 'customer@example.com', subject: 'Your November statement', text: 'x' });
    await app.close();
    const history = await cli(['--db', db, 'history'], { columns: 80 });
    expect(history.code).toBe(ExitCodes.OK);
    const lines = history.out.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBe(80);
    expect(history.out).toContain('Queued; due');
  });

  it('usage errors say what to give: history --limit abc, a bare retry or cancel (exit 2)', async () => {
    const db = join(dir, 'usage.db');
    expect((await cli(['--db', db, 'params', 'set', 'historyRetentionDays', '30'])).code).toBe(ExitCodes.OK);
    const limit = await cli(['--db', db, 'history', '--limit', 'abc']);
    expect(limit.code).toBe(ExitCodes.USAGE);
    expect(limit.err).toContain("error: option '--limit <n>' argument 'abc' is invalid. Give a whole number of at least 1, e.g. --limit 50.");

    const retry = await cli(['--db', db, 'retry']);
    expect(retry.code).toBe(ExitCodes.USAGE);
    expect(retry.err).toContain(
      'Name the emails to queue again (their history ids: `mailwright history --status failed`), or pass --failed for every failed email; --sender, --provider, --code, --since and --until narrow --failed.',
    );
    const cancel = await cli(['--db', db, 'cancel']);
    expect(cancel.err).toContain('Name the emails to cancel (their history ids: `mailwright history --status queued,deferred`), or pass --waiting for every waiting email;');
    expect((await cli(['--db', db, 'retry', 'some-id', '--failed'])).err).toContain('Name the emails, or pass --failed, not both.');
    expect((await cli(['--db', db, 'retry', '--code', 'MW_SEND_AS_DENIED'])).err).toContain('--sender, --provider, --code, --since and --until select emails only with --failed: add --failed');
  });
});

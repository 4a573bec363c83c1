import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const key = Buffer.alloc(32, 5).toString('base64');

describe('mailwright distribute --json (a real process, SQLite file and SMTP server)', () => {
  let dir: string;
  let server: SmtpTestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-distribute-json-'));
    server = await startSmtpTestServer({ starttls: false, rules: [{ from: 'blocked@contoso.com', code: 550, message: '5.7.1 Client does not have permissions to send as this sender' }] });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A database whose batch provider is the test server, with these emails queued (From, subject); returns their ids. */
  async function queue(db: string, emails: [string, string][]): Promise<string[]> {
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory(), secretKey: key });
    await app.smtpSettings.save('smtp', { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false });
    await app.parameters.update({ batchProviderId: 'smtp' });
    const ids = await app.enqueueMany(emails.map(([from, subject]) => ({ message: { from, to: 'c@example.com', subject, text: 'x' } })));
    await app.close();
    return ids;
  }

  const mailwright = (...argv: string[]) => spawn(process.execPath, ['--import', 'tsx', main, ...argv], { env: { ...process.env, MAILWRIGHT_SECRET_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'] });

  it('--once prints one JSON summary: the counts and each failure with its code and fix; exit 1 when an email failed', async () => {
    const db = join(dir, 'once.db');
    const [, refused] = await queue(db, [
      ['ana@contoso.com', 'ok'],
      ['blocked@contoso.com', 'refused'],
    ]);
    const child = mailwright('--db', db, 'distribute', '--once', '--json');
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(ExitCodes.EMAIL_FAILED);
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      due: 2,
      sent: 1,
      failed: 1,
      deferred: 0,
      retried: 0,
      forced: 0,
      failures: [{ emailId: refused, code: 'MW_SEND_AS_DENIED', permanent: true, message: expect.stringContaining('5.7.1'), fix: expect.stringMatching(/^Grant the authenticated mailbox Send As/) }],
    });
  }, 60_000);

  it('without --once, one JSON line per run until SIGTERM, then exit 0', async () => {
    const db = join(dir, 'loop.db');
    await queue(db, [['ana@contoso.com', 'first run']]);
    const child = mailwright('--db', db, 'distribute', '--json', '--every', '1 second');
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = JSON.parse(((await lines.next()) as IteratorResult<string>).value as string) as Record<string, unknown>;
    expect(first).toEqual({ due: 1, sent: 1, failed: 0, deferred: 0, retried: 0, forced: 0, failures: [] });
    const second = JSON.parse(((await lines.next()) as IteratorResult<string>).value as string) as Record<string, unknown>;
    expect(second).toMatchObject({ due: 0, sent: 0 });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(ExitCodes.OK);
  }, 60_000);
});

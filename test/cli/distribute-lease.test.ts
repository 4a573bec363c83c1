import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { registerDistributeCommand } from '../../src/cli/commands/distribute-command.js';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/program.js';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

// After a crash, another worker takes a claimed email over once its lease expires: `--lease` sets
// how long that is (issue 21.5: the CLI always waited the default 5 minutes).
describe('mailwright distribute --lease (in-process CLI, real SQLite file and SMTP server)', () => {
  let dir: string;
  let db: string;
  let server: SmtpTestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-lease-'));
    db = join(dir, 'cli.db');
    server = await startSmtpTestServer({ starttls: false, dataDelayMs: 500 }); // each send holds DATA half a second
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), progress: () => undefined, isTTY: false, columns: 160, env: {} };
    const code = await runCli(['--db', db, ...argv], io, [registerDistributeCommand]);
    return { code, out, err };
  }

  it('leases each claimed email for the duration given', async () => {
    expect((await cli('smtp', 'set', '--host', '127.0.0.1', '--port', String(server.port), '--no-require-tls', '--no-require-auth')).code).toBe(ExitCodes.OK);
    expect((await cli('params', 'set', 'batchProviderId', 'smtp')).code).toBe(ExitCodes.OK);
    const app = await createMailwright({ store: createSqliteStore({ filename: db }), providers: [smtpProvider({ id: 'smtp' })], users: new InMemoryUserDirectory() });
    try {
      const id = await app.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'leased', text: 'x' });
      const run = cli('distribute', '--once', '--lease', '30s');
      let email = await app.history.get(id);
      while (email?.status !== 'sending') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        email = await app.history.get(id);
      }
      // Claimed at updatedAt, leased until 30 s later.
      expect(Date.parse(email.leaseExpiresAt!) - Date.parse(email.updatedAt)).toBe(30_000);
      expect(await run).toMatchObject({ code: ExitCodes.OK, out: expect.stringContaining('Done: sent 1') });
    } finally {
      await app.close();
    }
  });

  it.each([
    ['soon', 'Cannot read the interval "soon"'],
    ['500ms', 'leaseMs must be a whole number of milliseconds >= 1000'],
  ])('refuses --lease %s with a usage error that says what to write', async (lease, message) => {
    const run = await cli('distribute', '--once', '--lease', lease);
    expect(run.code).toBe(ExitCodes.USAGE);
    expect(run.err).toContain('MW_INVALID_SETTINGS');
    expect(run.err).toContain(message);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIo } from '../../src/cli/cli-io.js';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/program.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('mailwright check: every provider checked, no email sent, each problem with its code and fix', () => {
  let dir: string;
  let server: SmtpTestServer;
  let config: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-check-'));
    server = await startSmtpTestServer({ starttls: false, auth: { username: 'mailer@contoso.com', password: 'right' } });
    config = join(dir, 'config.mjs');
    const providers = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'index.ts')).href;
    await writeFile(
      config,
      [
        `import { smtpProvider, emlProvider } from ${JSON.stringify(providers)};`,
        'export const config = { providers: [',
        `  smtpProvider({ id: 'good', settings: { host: '127.0.0.1', port: ${server.port}, requireTls: false, allowInsecureAuth: true, username: 'mailer@contoso.com', password: 'right' } }),`,
        `  smtpProvider({ id: 'bad', settings: { host: '127.0.0.1', port: ${server.port}, requireTls: false, allowInsecureAuth: true, username: 'mailer@contoso.com', password: 'wrong' } }),`,
        `  emlProvider({ directory: ${JSON.stringify(join(dir, 'eml'))} }),`,
        '] };',
      ].join('\n'),
    );
    // The application made the database; `check` reads it (a missing one is refused, as by every command that does not create one).
    expect((await cli('params', 'set', 'maxAttempts', '5')).code).toBe(ExitCodes.OK);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`), progress: () => undefined, isTTY: false, columns: 160, env: { MAILWRIGHT_SECRET_KEY: Buffer.alloc(32, 4).toString('base64') } };
    const code = await runCli(['--db', join(dir, 'check.db'), '--config', config, ...argv], io);
    return { code, out };
  }

  it('--provider good: ready to send, exit 0', async () => {
    const { code, out } = await cli('check', '--provider', 'good');
    expect(code).toBe(ExitCodes.OK);
    expect(out).toContain('good: ready to send');
    expect(out).toMatch(/warning tls: The connection is not encrypted/);
    expect(out).toMatch(/ok {6}mailFrom: The server accepts mailer@contoso\.com/);
  });

  it('all providers: the bad one reported with code and fix, exit 3; nothing sent', async () => {
    const { code, out } = await cli('check');
    expect(code).toBe(ExitCodes.CONFIG);
    expect(out).toContain('bad: cannot send');
    expect(out).toMatch(/PROBLEM auth: .*\n\s+MW_AUTH_FAILED — Fix: /);
    expect(out).toContain('eml: ready to send');
    expect(out).not.toContain('wrong');
    expect(server.messages).toHaveLength(0);
  });

  it('--json prints the results', async () => {
    const { out } = await cli('check', '--provider', 'eml', '--json');
    expect(JSON.parse(out)).toEqual([{ providerId: 'eml', ok: true, checks: [expect.objectContaining({ name: 'folder', status: 'ok' })] }]);
  });
});

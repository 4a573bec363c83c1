import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const hooks = pathToFileURL(join(root, 'test', 'support', 'import-log-hooks.mjs')).href;
const index = pathToFileURL(join(root, 'src', 'index.ts')).href;

/** The packages a fresh Node process resolves while it runs `code` (an ES module body). */
async function packagesLoadedBy(code: string): Promise<Set<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-exchange-imports-'));
  const logFile = join(dir, 'imports.log');
  try {
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}, { data: { logFile: ${JSON.stringify(logFile)} } });`;
    await run(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], { cwd: root });
    const urls = (await readFile(logFile, 'utf8')).split('\n');
    return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const EXCHANGE_ONLY = ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'node-forge', 'https-proxy-agent', 'proxy-from-env'];

// Issue 23 item 6 for the Exchange provider: a process that registers it but sends only by SMTP
// does not carry MSAL, the Graph client, or what certificates and proxies need.
describe('what the Exchange provider loads, and when', () => {
  it('registering exchangeProvider() (settings parsed, provider initialised) loads none of its heavy dependencies', async () => {
    const loaded = await packagesLoadedBy(
      [
        `const mw = await import(${JSON.stringify(index)});`,
        "const exchange = mw.exchangeProvider({ settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000000', clientSecret: 's', batchMailbox: 'b@contoso.com' } });",
        "const smtp = mw.smtpProvider({ settings: { host: 'smtp.contoso.com', port: 587, requireAuth: false } });",
        "const runtime = { clock: mw.systemClock, logger: mw.silentLogger, secrets: mw.createSecretBox({ key: Buffer.alloc(32) }), settings: { get: async () => undefined } };",
        'exchange.init(runtime); smtp.init(runtime);',
        'await exchange.close(); await smtp.close();',
      ].join('\n'),
    );
    expect(loaded).toContain('nodemailer');
    for (const name of EXCHANGE_ONLY) expect(loaded).not.toContain(name);
  }, 30_000);

  it('the first Exchange send loads MSAL for its token (the send itself fails here: no network), still no proxy agent', async () => {
    const loaded = await packagesLoadedBy(
      [
        `const mw = await import(${JSON.stringify(index)});`,
        "const exchange = mw.exchangeProvider({ network: { proxy: false, timeoutMs: 2000, connectTo: { 'login.microsoftonline.com:443': '127.0.0.1:9' } }, settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000000', clientSecret: 's', batchMailbox: 'b@contoso.com' } });",
        "exchange.init({ clock: mw.systemClock, logger: mw.silentLogger, secrets: mw.createSecretBox({ key: Buffer.alloc(32) }), settings: { get: async () => undefined } });",
        "const message = { from: { address: 'b@contoso.com' }, replyTo: [], to: [{ address: 'c@example.com' }], cc: [], bcc: [], subject: 's', text: 'x', headers: {}, attachments: [], messageId: '<m@contoso.com>', date: new Date() };",
        "await exchange.send(message, { mode: 'batch', emailId: 'e', attempt: 1 }).catch(() => undefined);",
        'await exchange.close();',
      ].join('\n'),
    );
    expect(loaded).toContain('@azure/msal-node');
    expect(loaded).not.toContain('https-proxy-agent');
    expect(loaded).not.toContain('node-forge');
  }, 30_000);
});

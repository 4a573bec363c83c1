import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const hooks = pathToFileURL(join(root, 'test', 'support', 'import-log-hooks.mjs')).href;
const index = pathToFileURL(join(root, 'src', 'index.ts')).href;

/** The packages a fresh Node process resolves while it runs `code` (an ES module body). */
async function packagesLoadedBy(code: string): Promise<Set<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-imports-'));
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

// The heaviest dependencies serve one feature each; an application that does not use the
// feature should not carry them (together about 50 MB of memory).
const FEATURE_PACKAGES = ['mailparser', 'liquidjs', '@azure/msal-node', '@microsoft/microsoft-graph-client', 'pg', 'pg-copy-streams'];

describe('what importing mailwright loads', () => {
  it('the package entry point loads the core, and none of the single-feature dependencies', async () => {
    const loaded = await packagesLoadedBy(`await import(${JSON.stringify(index)});`);
    expect(loaded).toContain('nodemailer');
    expect(loaded).toContain('kysely');
    for (const name of FEATURE_PACKAGES) expect(loaded).not.toContain(name);
  }, 30_000);

  it('an application that queues and sends through SMTP on SQLite loads none of them', async () => {
    const sink = pathToFileURL(join(root, 'examples', 'support', 'demo-smtp-sink.ts')).href;
    const loaded = await packagesLoadedBy(
      [
        `const { createMailwright, createSqliteStore, smtpProvider, InMemoryUserDirectory } = await import(${JSON.stringify(index)});`,
        `const { startDemoSmtpSink } = await import(${JSON.stringify(sink)});`,
        `const { mkdtempSync, rmSync } = await import('node:fs');`,
        `const dir = mkdtempSync((await import('node:os')).tmpdir() + '/mw-smtp-only-');`,
        `const server = await startDemoSmtpSink();`,
        `const mw = await createMailwright({ store: createSqliteStore({ filename: dir + '/mw.db' }), providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })], users: new InMemoryUserDirectory() });`,
        `await mw.parameters.update({ batchProviderId: 'smtp' });`,
        `await mw.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Report', text: 'Hello.' });`,
        `const { sent } = await mw.distributor.runOnce();`,
        `await mw.close(); await server.close(); rmSync(dir, { recursive: true, force: true });`,
        `if (sent !== 1 || server.received() !== 1) throw new Error('the email was not sent');`,
      ].join('\n'),
    );
    expect(loaded).toContain('better-sqlite3');
    for (const name of FEATURE_PACKAGES) expect(loaded).not.toContain(name);
  }, 30_000);

  it('each of them is loaded by the first use of its feature', async () => {
    const loaded = await packagesLoadedBy(
      [
        `const mw = await import(${JSON.stringify(index)});`,
        `const { parseInboundEmail } = await import(${JSON.stringify(pathToFileURL(join(root, 'src', 'forwarding', 'policy', 'inbound-email.ts')).href)});`,
        `await parseInboundEmail('From: a@contoso.com\\r\\nSubject: x\\r\\n\\r\\nhi');`,
        `const { renderPart } = await import(${JSON.stringify(pathToFileURL(join(root, 'src', 'templates', 'liquid-renderer.ts')).href)});`,
        `await renderPart('{{ a }}', 'text', { a: 1 }, { templateId: 't', language: 'en' });`,
      ].join('\n'),
    );
    expect(loaded).toContain('mailparser');
    expect(loaded).toContain('liquidjs');
  }, 30_000);
});

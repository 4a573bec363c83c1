import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packagesLoadedBy, repositoryRoot as root, sourceUrl } from '../support/packages-loaded-by.js';

const index = sourceUrl('index.ts');

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

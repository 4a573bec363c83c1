import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packagesLoadedBy, repositoryRoot as root, sourceUrl } from '../support/packages-loaded-by.js';

const index = sourceUrl('index.ts');

// The heaviest dependencies serve one feature each; an application that does not use the
// feature should not carry them (together about 50 MB of memory).
const FEATURE_PACKAGES = ['mailparser', 'liquidjs', '@azure/msal-node', '@microsoft/microsoft-graph-client', 'pg'];

describe('what importing mailwright loads', () => {
  it('the package entry point loads the core, and none of the single-feature dependencies', async () => {
    const loaded = await packagesLoadedBy(`await import(${JSON.stringify(index)});`);
    expect(loaded).toContain('nodemailer');
    expect(loaded).toContain('kysely');
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

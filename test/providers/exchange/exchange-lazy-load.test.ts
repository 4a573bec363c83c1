import { packagesLoadedBy, sourceUrl } from '../../support/packages-loaded-by.js';

const index = sourceUrl('index.ts');

const EXCHANGE_ONLY = ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'node-forge', 'https-proxy-agent', 'proxy-from-env'];

/** Code lines importing mailwright, making an Exchange provider with `network`, and a provider runtime. */
const exchangeSetup = (network: string): string[] => [
  `const mw = await import(${JSON.stringify(index)});`,
  `const exchange = mw.exchangeProvider({ network: ${network}, settings: { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000000', clientSecret: 's', batchMailbox: 'b@contoso.com' } });`,
  "const runtime = { clock: mw.systemClock, logger: mw.silentLogger, secrets: mw.createSecretBox({ key: Buffer.alloc(32) }), settings: { get: async () => undefined } };",
];

// Issue 23 item 6 for the Exchange provider: a process that registers it but sends only by SMTP
// does not carry MSAL, the Graph client, or what certificates and proxies need.
describe('what the Exchange provider loads, and when', () => {
  it('registering exchangeProvider() (settings parsed, provider initialised) loads none of its heavy dependencies', async () => {
    const loaded = await packagesLoadedBy(
      [
        ...exchangeSetup('{}'),
        "const smtp = mw.smtpProvider({ settings: { host: 'smtp.contoso.com', port: 587, requireAuth: false } });",
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
        ...exchangeSetup("{ proxy: false, timeoutMs: 2000, connectTo: { 'login.microsoftonline.com:443': '127.0.0.1:9' } }"),
        'exchange.init(runtime);',
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

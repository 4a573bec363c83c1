import { ErrorCodes } from '../../../src/errors/error-codes.js';
import type { MailwrightError } from '../../../src/errors/mailwright-error.js';
import type { EmailMessage } from '../../../src/message/message.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import type { HttpsTransportOptions } from '../../../src/providers/exchange/https-transport.js';
import type { Provider } from '../../../src/providers/provider.js';
import { startConnectProxy, type ConnectProxy } from '../../support/connect-proxy.js';
import { startMicrosoftStandIn, type MicrosoftStandIn } from '../../support/microsoft-stand-in/microsoft-stand-in.js';
import { testRuntime } from '../../support/test-runtime.js';
import { BATCH, CLIENT, SECRET, TENANT } from './exchange-fixture.js';

// A corporate network: the token endpoint and Graph are reached through a CONNECT proxy, which
// resolves the Microsoft host names itself (here, to the stand-in). The provider is given no
// connectTo, so a request that bypassed the proxy could not reach the stand-in at all.
describe('Exchange provider through a corporate proxy (HTTPS_PROXY / NO_PROXY, or the proxy setting)', () => {
  let standIn: MicrosoftStandIn;
  let proxy: ConnectProxy;
  const providers: Provider[] = [];
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

  beforeEach(async () => {
    standIn = await startMicrosoftStandIn({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, mailboxes: [BATCH] });
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) await p.close?.();
    await proxy.close();
    await standIn.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const provider = (network: HttpsTransportOptions): Provider => {
    const made = exchangeProvider({ network: { ca: standIn.certificate, ...network }, settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, batchMailbox: BATCH } });
    made.init?.(testRuntime());
    providers.push(made);
    return made;
  };
  const send = (p: Provider, subject: string) =>
    p.send(
      { from: { address: BATCH }, replyTo: [], to: [{ address: 'c@example.com' }], cc: [], bcc: [], subject, text: 'x', headers: {}, attachments: [], messageId: `<${subject}@contoso.com>`, date: new Date() } as EmailMessage,
      { mode: 'batch', emailId: subject, attempt: 1 },
    );

  it('HTTPS_PROXY: the token request and Graph go through CONNECT tunnels, TLS end to end', async () => {
    proxy = await startConnectProxy(standIn.connectTo);
    process.env.HTTPS_PROXY = proxy.url;
    await expect(send(provider({}), 'via-env')).resolves.toMatchObject({ status: 'sent' });
    expect(proxy.connects.map((c) => c.target)).toEqual(['login.microsoftonline.com:443', 'graph.microsoft.com:443']);
    expect(standIn.graph.sent.map((s) => s.internetMessageId)).toEqual(['<via-env@contoso.com>']);
  });

  it('NO_PROXY names Graph: only the token request takes the proxy; proxy: false ignores the environment', async () => {
    proxy = await startConnectProxy(standIn.connectTo);
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = 'graph.microsoft.com';
    // Graph is reached directly: connectTo stands for this network's DNS.
    await expect(send(provider({ connectTo: standIn.connectTo }), 'no-proxy')).resolves.toMatchObject({ status: 'sent' });
    expect(proxy.connects.map((c) => c.target)).toEqual(['login.microsoftonline.com:443']);
    await expect(send(provider({ connectTo: standIn.connectTo, proxy: false }), 'never')).resolves.toMatchObject({ status: 'sent' });
    expect(proxy.connects).toHaveLength(1);
  });

  it('an explicit proxy with credentials sends them as Proxy-Authorization; refused ones are a typed connection failure naming the proxy', async () => {
    proxy = await startConnectProxy(standIn.connectTo, { user: 'svc-mail', password: 'p@ss' });
    await expect(send(provider({ proxy: proxy.url }), 'explicit')).resolves.toMatchObject({ status: 'sent' });
    expect(proxy.connects[0]?.authorization).toBe(`Basic ${Buffer.from('svc-mail:p@ss').toString('base64')}`);
    const error = (await send(provider({ proxy: proxy.url.replace('p%40ss', 'nope') }), 'refused').catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect(error.message).toMatch(/proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel to login\.microsoftonline\.com: 407/);
    expect(error.message).not.toContain('nope');
  });
});

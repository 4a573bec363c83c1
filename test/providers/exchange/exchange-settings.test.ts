import { createHash, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { isMailwrightError } from '../../../src/errors/mailwright-error.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import { BATCH, CLIENT, exchangeFixture, SECRET, TENANT, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange settings, credentials and tokens', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('refuses bad settings with one MW_INVALID_SETTINGS listing every field, an authority host of another cloud included', () => {
    let error: unknown;
    try {
      exchangeProvider({ settings: { tenantId: 'not a tenant', clientId: 'abc', authorityHost: 'https://login.microsoftonline.us', batchMailbox: 'batch' } });
    } catch (e) {
      error = e;
    }
    expect(isMailwrightError(error, ErrorCodes.INVALID_SETTINGS)).toBe(true);
    const fields = (error as { details: { issues: { field: string; message: string }[] } }).details.issues.map((i) => i.field);
    expect(fields.sort()).toEqual(['authorityHost', 'batchMailbox', 'clientId', 'clientSecret', 'tenantId']);
    expect((error as Error).message).toMatch(/The authority host of the global Microsoft 365 cloud is login\.microsoftonline\.com; for another cloud set cloud/);
    expect(() => exchangeProvider({ settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: 's', certificate: { thumbprintSha256: 'a'.repeat(64), privateKey: '-----BEGIN PRIVATE KEY-----' } } })).toThrow(
      /exactly one credential/,
    );
  });

  it('stored settings: the client secret is encrypted at rest, never shown, and the provider sends with it', async () => {
    // A provider with no inline settings reads them from the store at each send.
    fixture = await exchangeFixture();
    const { mailwright, standIn } = fixture;
    const stored = exchangeProvider({ id: 'exchange-stored', network: { ca: standIn.certificate, connectTo: standIn.connectTo } });
    const view = await mailwright.exchangeSettings.save('exchange-stored', { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, batchMailbox: BATCH });
    expect(view).toEqual({ cloud: 'global', tenantId: TENANT, clientId: CLIENT, batchMailbox: BATCH, saveToSentItems: true, credential: 'clientSecret' });
    const raw = JSON.stringify(await mailwright.store.getSetting('provider:exchange-stored'));
    expect(raw).not.toContain(SECRET);
    expect(raw).toContain('aes-256-gcm');
    stored.init?.({ clock: mailwright.clock, logger: { debug() {}, info() {}, warn() {}, error() {} }, secrets: mailwright.secrets, settings: { get: (k) => mailwright.store.getSetting(k) } });
    const receipt = await stored.send(
      { from: { address: BATCH }, replyTo: [], to: [{ address: 'c@example.com' }], cc: [], bcc: [], subject: 'stored', text: 'x', headers: {}, attachments: [], messageId: '<stored@contoso.com>', date: new Date() },
      { mode: 'batch', emailId: 'e1', attempt: 1 },
    );
    expect(receipt.status).toBe('sent');
    expect(standIn.token.requests[0]?.get('client_secret')).toBe(SECRET);
    await stored.close?.();
  });

  it('a provider without settings says what to configure', async () => {
    fixture = await exchangeFixture();
    const bare = exchangeProvider({ id: 'bare' });
    bare.init?.({ clock: fixture.mailwright.clock, logger: { debug() {}, info() {}, warn() {}, error() {} }, secrets: fixture.mailwright.secrets, settings: { get: async () => undefined } });
    const error = await bare.send({} as never, { mode: 'batch', emailId: 'e', attempt: 1 }).catch((e: unknown) => e);
    expect(isMailwrightError(error, ErrorCodes.PROVIDER_NOT_CONFIGURED)).toBe(true);
    await bare.close?.();
  });

  it('certificate credential: MSAL signs a client assertion the token endpoint verifies with the certificate', async () => {
    const pems = await generate([{ name: 'commonName', value: 'mailwright-app' }], { keySize: 2048, algorithm: 'sha256' });
    const thumbprintSha256 = createHash('sha256').update(new X509Certificate(pems.cert).raw).digest('hex');
    fixture = await exchangeFixture({
      standIn: { clientSecret: undefined as never, certificate: pems.cert },
      settings: { clientSecret: undefined, certificate: { thumbprintSha256, privateKey: pems.private } },
    });
    await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'cert', text: 'x' });
    expect((await fixture.mailwright.distributor.runOnce()).sent).toBe(1);
    const form = fixture.standIn.token.requests[0];
    expect(form?.get('client_secret')).toBeNull();
    expect(form?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('tokens are cached until five minutes before expiry, then renewed', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn } = fixture;
    const send = async (): Promise<void> => {
      await mailwright.enqueue({ to: 'c@example.com', subject: 's', text: 'x' });
      await mailwright.distributor.runOnce();
    };
    await send();
    await send();
    expect(standIn.token.requests).toHaveLength(1);
    // Tokens that live less than MSAL's five-minute renewal margin are renewed at each use.
    await fixture.close();
    fixture = await exchangeFixture({ standIn: { expiresInSeconds: 240 } });
    const again = fixture;
    for (let i = 0; i < 2; i += 1) {
      await again.mailwright.enqueue({ to: 'c@example.com', subject: 's', text: 'x' });
      await again.mailwright.distributor.runOnce();
    }
    expect(again.standIn.token.requests).toHaveLength(2);
    expect(again.standIn.graph.sent).toHaveLength(2);
  });

  it('standard headers Graph JSON cannot carry (Auto-Submitted) go as MIME, Bcc included, Message-ID kept', async () => {
    fixture = await exchangeFixture();
    const id = await fixture.mailwright.enqueue({
      to: 'c@example.com',
      bcc: 'audit@contoso.com',
      subject: 'auto',
      text: 'x',
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
    await fixture.mailwright.distributor.runOnce();
    const [sent] = fixture.standIn.graph.sent;
    expect(sent?.route).toBe('mime');
    expect(sent?.mime?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(sent?.mime?.headers.get('x-auto-response-suppress')).toBe('All');
    expect(sent?.mime?.messageId).toBe((await fixture.mailwright.history.get(id))?.messageId);
    expect(JSON.stringify(sent?.mime?.bcc)).toContain('audit@contoso.com');
  });

  it('the Microsoft 365 limit (30 per minute) applies automatically unless set by hand', async () => {
    fixture = await exchangeFixture();
    const { mailwright } = fixture;
    await Promise.all(Array.from({ length: 35 }, (_, i) => mailwright.enqueue({ to: `c${i}@example.com`, subject: `n${i}`, text: 'x' })));
    const first = await mailwright.distributor.runOnce();
    expect([first.sent, first.deferred]).toEqual([30, 5]);
    await mailwright.parameters.update({ perMinuteLimits: { exchange: 100 } });
    fixture.clock.advance({ seconds: 61 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => mailwright.enqueue({ to: `d${i}@example.com`, subject: `m${i}`, text: 'x' })));
    expect((await mailwright.distributor.runOnce()).sent).toBe(65);
  });
});

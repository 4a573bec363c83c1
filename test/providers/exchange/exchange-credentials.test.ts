import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { isMailwrightError } from '../../../src/errors/mailwright-error.js';
import { exchangeProvider } from '../../../src/providers/exchange/exchange-provider.js';
import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from '../../support/microsoft-stand-in/managed-identity-endpoint.js';
import { jwtClaims } from '../../support/microsoft-stand-in/wire.js';
import { BATCH, CLIENT, exchangeFixture, TENANT, type ExchangeFixture } from './exchange-fixture.js';

const run = promisify(execFile);
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Exchange credentials: certificate as PFX, a client-assertion callback, managed identity', () => {
  let fixture: ExchangeFixture | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cred-'));
  });
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function sendOne(f: ExchangeFixture) {
    const id = await f.mailwright.enqueue({ to: 'c@example.com', subject: 'credential', text: 'x' });
    await f.mailwright.distributor.runOnce();
    return f.mailwright.history.get(id);
  }

  it.each([
    ['OpenSSL 3 defaults (AES-256, PBKDF2)', []],
    ['legacy Windows export (3DES, SHA-1 MAC)', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
  ])('a PFX made by openssl (%s) signs the client assertion; the password is checked when the settings are saved', async (_name, flags) => {
    const pems = await generate([{ name: 'commonName', value: 'mailwright-app' }], { keySize: 2048, algorithm: 'sha256' });
    await writeFile(join(dir, 'key.pem'), pems.private);
    await writeFile(join(dir, 'cert.pem'), pems.cert);
    await run('openssl', ['pkcs12', '-export', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'cert.pem'), '-out', join(dir, 'app.pfx'), '-passout', 'pass:Pfx-Pass', ...flags]);
    const pfx = (await readFile(join(dir, 'app.pfx'))).toString('base64');
    fixture = await exchangeFixture({ standIn: { clientSecret: undefined as never, certificate: pems.cert }, settings: { clientSecret: undefined, certificate: { pfx, pfxPassword: 'Pfx-Pass' } } });
    expect((await sendOne(fixture))?.status).toBe('sent');
    expect(fixture.standIn.token.requests[0]?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    // Stored: the key from the PFX is sealed like any private key; a wrong password is refused at save.
    const view = await fixture.mailwright.exchangeSettings.save('stored', { tenantId: TENANT, clientId: CLIENT, certificate: { pfx, pfxPassword: 'Pfx-Pass' }, batchMailbox: BATCH });
    expect(view).toMatchObject({ credential: 'certificate', certificateThumbprintSha256: createHash('sha256').update(new X509Certificate(pems.cert).raw).digest('hex') });
    const wrong = await fixture.mailwright.exchangeSettings.save('stored', { tenantId: TENANT, clientId: CLIENT, certificate: { pfx, pfxPassword: 'nope' } }).catch((e: unknown) => e);
    expect(isMailwrightError(wrong, ErrorCodes.INVALID_SETTINGS)).toBe(true);
    expect((wrong as Error).message).toMatch(/PFX cannot be opened: the password is wrong/);
  });

  it('a client-assertion callback (workload identity federation): its token is the credential, called for each new app token', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issuer = 'https://oidc.prod-aks.azure.com/tenant/cluster/';
    const subject = 'system:serviceaccount:erp:mailer';
    let calls = 0;
    const clientAssertion = async (): Promise<string> => {
      calls += 1;
      const header = b64url({ alg: 'RS256', typ: 'JWT' });
      const payload = b64url({ iss: issuer, sub: subject, aud: 'api://AzureADTokenExchange', exp: Math.floor(Date.now() / 1000) + 600 });
      return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
    };
    fixture = await exchangeFixture({
      standIn: { clientSecret: undefined as never, federatedCredentials: [{ issuer, subject, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }] },
      settings: { clientSecret: undefined, clientAssertion: true },
      provider: { clientAssertion },
    });
    expect((await sendOne(fixture))?.status).toBe('sent');
    expect(calls).toBe(1);
    expect(fixture.standIn.token.requests[0]?.get('client_assertion')?.split('.')[1]).toBe(b64url({ iss: issuer, sub: subject, aud: 'api://AzureADTokenExchange', exp: jwtClaims(String(fixture.standIn.token.requests[0]?.get('client_assertion'))).exp }));
  });

  it('settings with clientAssertion and a provider without the callback: MW_PROVIDER_NOT_CONFIGURED before any request (the run stops, the email stays queued)', async () => {
    fixture = await exchangeFixture({ settings: { clientSecret: undefined, clientAssertion: true } });
    const id = await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'credential', text: 'x' });
    await expect(fixture.mailwright.distributor.runOnce()).rejects.toMatchObject({ code: ErrorCodes.PROVIDER_NOT_CONFIGURED });
    expect((await fixture.mailwright.history.get(id))?.status).toBe('queued');
    expect(fixture.standIn.requests).toHaveLength(0);
  });

  it('exactly one credential: two are refused, naming the field', () => {
    expect(() => exchangeProvider({ settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: 's', managedIdentity: true } })).toThrow(/exactly one credential/);
  });

  describe('managed identity (App Service endpoint, as msal-node calls it)', () => {
    let endpoint: ManagedIdentityEndpoint;
    const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
    afterEach(async () => {
      await endpoint.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('no tenant, client or secret in the settings: the identity endpoint issues the Graph token', async () => {
      fixture = await exchangeFixture({ settings: { tenantId: undefined, clientId: undefined, clientSecret: undefined, managedIdentity: true } });
      endpoint = await startManagedIdentityEndpoint(fixture.standIn.token, 'app-service-secret');
      process.env.IDENTITY_ENDPOINT = `${endpoint.origin}/msi/token`;
      process.env.IDENTITY_HEADER = 'app-service-secret';
      expect((await sendOne(fixture))?.status).toBe('sent');
      expect(endpoint.requests).toHaveLength(1);
      expect(endpoint.requests[0]?.query.get('resource')).toBe('https://graph.microsoft.com');
      expect(fixture.standIn.token.requests).toHaveLength(0); // no client credentials grant
      expect(fixture.standIn.graph.sent[0]?.token.kind).toBe('app');
    });
  });
});

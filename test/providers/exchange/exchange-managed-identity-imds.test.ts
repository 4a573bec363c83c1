import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from '../../support/microsoft-stand-in/managed-identity-endpoint.js';
import { exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

// msal-node picks the managed identity source once per process (here, per test file): IMDS, the
// default when no App Service / Arc / Cloud Shell variables are set. AZURE_POD_IDENTITY_AUTHORITY_HOST
// points it at the local stand-in instead of 169.254.169.254.
describe('Exchange with a user-assigned managed identity through IMDS', () => {
  let fixture: ExchangeFixture | undefined;
  let endpoint: ManagedIdentityEndpoint | undefined;
  const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  afterEach(async () => {
    await fixture?.close();
    await endpoint?.close();
    if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
  });

  it('the token comes from IMDS with Metadata: true and the identity\'s client_id; the email is sent', async () => {
    const identity = '0f0f0f0f-1111-2222-3333-444444444444';
    fixture = await exchangeFixture({ settings: { tenantId: undefined, clientId: undefined, clientSecret: undefined, managedIdentity: { clientId: identity } } });
    endpoint = await startManagedIdentityEndpoint(fixture.standIn.token, 'unused');
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = endpoint.origin;
    const id = await fixture.mailwright.enqueue({ to: 'c@example.com', subject: 'imds', text: 'x' });
    await fixture.mailwright.distributor.runOnce();
    expect((await fixture.mailwright.history.get(id))?.status).toBe('sent');
    expect(endpoint.requests.map((r) => [r.path, r.headers.metadata, r.query.get('client_id'), r.query.get('resource')])).toEqual([
      ['/metadata/identity/oauth2/token', 'true', identity, 'https://graph.microsoft.com'],
    ]);
  });
});

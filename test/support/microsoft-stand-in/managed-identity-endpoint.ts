import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenEndpoint } from './token-endpoint.js';

/** One token request to the identity endpoint, as received. */
export interface IdentityRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

/** A running managed identity endpoint. */
export interface ManagedIdentityEndpoint {
  /** `http://127.0.0.1:port` */
  origin: string;
  requests: IdentityRequest[];
  close(): Promise<void>;
}

/**
 * The local identity endpoint of an Azure host, as msal-node's ManagedIdentityApplication calls it:
 * App Service (`GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the
 * `X-IDENTITY-HEADER` secret) and IMDS (`GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…`
 * with `Metadata: true`), plain HTTP. Tokens come from the token endpoint stand-in, so Graph
 * accepts them with the app roles of the identity's service principal.
 */
export async function startManagedIdentityEndpoint(tokens: TokenEndpoint, identityHeader: string): Promise<ManagedIdentityEndpoint> {
  const requests: IdentityRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    url.pathname = url.pathname.replace(/\/$/, ''); // msal-node ends the endpoint with a slash
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const appService = url.pathname === '/msi/token' && url.searchParams.get('api-version') === '2019-08-01' && req.headers['x-identity-header'] === identityHeader;
    const imds = url.pathname === '/metadata/identity/oauth2/token' && url.searchParams.get('api-version') === '2018-02-01' && req.headers.metadata === 'true';
    if (!appService && !imds) return answer(400, { error: 'invalid_request', error_description: 'Required metadata header or API version not specified.' });
    const issued = tokens.issueManagedIdentityToken(url.searchParams.get('resource') ?? '');
    if (issued === undefined) return answer(400, { error: 'invalid_resource', error_description: `AADSTS500011: The resource principal named ${url.searchParams.get('resource')} was not found in the tenant.` });
    const clientId = url.searchParams.get('client_id') ?? 'system-assigned';
    return answer(200, {
      access_token: issued.accessToken,
      expires_on: String(issued.expiresOn),
      resource: url.searchParams.get('resource'),
      token_type: 'Bearer',
      client_id: clientId,
      ...(imds ? { expires_in: String(issued.expiresOn - Math.floor(Date.now() / 1000)) } : {}),
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The only authority host mailwright supports: the Microsoft Entra ID public cloud. */
export const PUBLIC_CLOUD_AUTHORITY_HOST = 'login.microsoftonline.com';

/** The Microsoft Graph endpoint of the public cloud. */
export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/** App-only scope of the client-credentials grant. */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** Delegated scope of the on-behalf-of grant. */
export const GRAPH_MAIL_SEND_SCOPE = 'https://graph.microsoft.com/Mail.Send';

/**
 * The tenant's authority metadata and cloud discovery metadata, given to MSAL
 * so that it contacts no host but the token endpoint (no instance discovery,
 * no OpenID configuration download).
 */
export function authorityMetadata(tenantId: string): { authority: string; authorityMetadata: string; cloudDiscoveryMetadata: string } {
  const base = `https://${PUBLIC_CLOUD_AUTHORITY_HOST}/${tenantId}`;
  return {
    authority: base,
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      issuer: `https://${PUBLIC_CLOUD_AUTHORITY_HOST}/${tenantId}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: PUBLIC_CLOUD_AUTHORITY_HOST,
          preferred_cache: 'login.windows.net',
          aliases: [PUBLIC_CLOUD_AUTHORITY_HOST, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
        },
      ],
    }),
  };
}

import { EXCHANGE_CLOUDS, type ExchangeCloud } from './exchange-clouds.js';

/** The Microsoft Graph v1.0 endpoint of a cloud, e.g. https://graph.microsoft.com/v1.0. */
export const graphBaseUrl = (cloud: ExchangeCloud): string => `https://${EXCHANGE_CLOUDS[cloud].graphHost}/v1.0`;

/** A Graph scope of a cloud: `.default` (app-only) or a delegated permission such as Mail.Send. */
export const graphScope = (cloud: ExchangeCloud, permission: string): string => `https://${EXCHANGE_CLOUDS[cloud].graphHost}/${permission}`;

/**
 * The tenant's authority metadata and cloud discovery metadata in its cloud, given to
 * MSAL so that it contacts no host but the token endpoint (no instance discovery, no
 * OpenID configuration download).
 */
export function authorityMetadata(tenantId: string, cloud: ExchangeCloud): { authority: string; authorityMetadata: string; cloudDiscoveryMetadata: string; knownAuthorities: string[] } {
  const host = EXCHANGE_CLOUDS[cloud].authorityHost;
  const base = `https://${host}/${tenantId}`;
  return {
    authority: base,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      issuer: `https://${host}/${tenantId}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: cloud === 'global' ? [host, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] : [host] }],
    }),
  };
}

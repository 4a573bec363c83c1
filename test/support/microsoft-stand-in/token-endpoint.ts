import { constants, createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { STAND_IN_CLOUDS, type StandInCloud } from './clouds.js';
import { fakeJwt, jwtClaims, sendJson, tokenErrorBody, type RecordedRequest } from './wire.js';

/** A token the stand-in issued: what Graph will allow it to do. */
export interface IssuedToken {
  kind: 'app' | 'delegated';
  /** For delegated tokens: the user's mailbox (UPN). */
  upn?: string;
  /** App-only tokens: the application permissions (`roles` claim). */
  roles: string[];
  /** Delegated tokens: the delegated permissions (`scp` claim). */
  scopes: string[];
  /** The resource the token is for (`aud`), e.g. https://graph.microsoft.com. */
  audience: string;
  expiresAt: number;
}

/** A workload identity federation trust: client assertions from this issuer and subject are accepted. */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** PEM public key that verifies the assertion's RS256 signature. */
  publicKey: string;
}

/** Application permissions granted (admin consent) when none are given. */
export const DEFAULT_APP_ROLES = ['Mail.Send', 'Mail.ReadWrite', 'MailboxSettings.Read'];
/** Delegated permissions consented when none are given. */
export const DEFAULT_DELEGATED_SCOPES = ['Mail.Send', 'Mail.ReadWrite'];

/** A scripted token endpoint failure (the next token request gets it). */
export interface TokenFailure {
  status: number;
  error: string;
  aadsts: number;
  /** The error description; `{client_secret}` and `{client_assertion}` are replaced by the request's (an endpoint that echoes credentials). */
  description: string;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  /** A Conditional Access claims challenge (JSON), as Entra ID returns with `interaction_required`. */
  claims?: string;
}

/** Configuration of the token endpoint stand-in. */
export interface TokenEndpointConfig {
  tenantId: string;
  clientId: string;
  /** Accepted client secret. */
  clientSecret?: string;
  /** PEM certificate whose key signs accepted client assertions. */
  certificate?: string;
  /** `expires_in` of issued tokens. @default 3600 */
  expiresInSeconds?: number;
  /** The cloud whose Entra ID this is (its host and Graph resource). @default 'global' */
  cloud?: StandInCloud;
  /** Application permissions with admin consent (the `roles` of app-only tokens). @default DEFAULT_APP_ROLES */
  appRoles?: string[];
  /** Delegated permissions consented (the `scp` of delegated tokens). @default DEFAULT_DELEGATED_SCOPES */
  delegatedScopes?: string[];
  /** Federated credentials (workload identity federation) of the app registration. */
  federatedCredentials?: FederatedCredential[];
}

/**
 * The Entra ID v2.0 token endpoint (`POST /{tenant}/oauth2/v2.0/token`) for the
 * client-credentials and on-behalf-of grants, with its real JSON answers and
 * AADSTS error bodies.
 */
export class TokenEndpoint {
  readonly issued = new Map<string, IssuedToken>();
  readonly failures: TokenFailure[] = [];
  /** Form bodies of every token request. */
  readonly requests: URLSearchParams[] = [];
  expiresInSeconds: number;
  /** Application permissions with admin consent; change it to take one away. */
  appRoles: string[];
  /** Delegated permissions consented. */
  delegatedScopes: string[];
  /** The Graph resource of this cloud, e.g. https://graph.microsoft.com. */
  readonly resource: string;

  constructor(private readonly config: TokenEndpointConfig) {
    this.expiresInSeconds = config.expiresInSeconds ?? 3600;
    this.appRoles = [...(config.appRoles ?? DEFAULT_APP_ROLES)];
    this.delegatedScopes = [...(config.delegatedScopes ?? DEFAULT_DELEGATED_SCOPES)];
    this.resource = `https://${STAND_IN_CLOUDS[config.cloud ?? 'global'].graph}`;
  }

  handle(req: RecordedRequest, res: ServerResponse): void {
    if (req.method !== 'POST' || req.path !== `/${this.config.tenantId}/oauth2/v2.0/token`) {
      sendJson(res, 404, tokenErrorBody('invalid_request', 90002, `Tenant or endpoint '${req.path}' not found.`));
      return;
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    this.requests.push(form);
    const scripted = this.failures.shift();
    if (scripted !== undefined) {
      const description = scripted.description.replaceAll('{client_secret}', form.get('client_secret') ?? '').replaceAll('{client_assertion}', form.get('client_assertion') ?? '');
      const body = tokenErrorBody(scripted.error, scripted.aadsts, description) as Record<string, unknown>;
      sendJson(res, scripted.status, scripted.claims === undefined ? body : { ...body, claims: scripted.claims }, scripted.headers);
      return;
    }
    if (form.get('client_id') !== this.config.clientId) {
      sendJson(res, 400, tokenErrorBody('unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`));
      return;
    }
    if (!this.clientAuthenticated(form)) {
      sendJson(res, 401, tokenErrorBody('invalid_client', 7000215, 'Invalid client secret provided.'));
      return;
    }
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') {
      if (form.get('scope') !== `${this.resource}/.default`) {
        sendJson(res, 400, tokenErrorBody('invalid_scope', 1002012, 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default.'));
        return;
      }
      sendJson(res, 200, this.tokenResponse({ kind: 'app' }));
      return;
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && form.get('requested_token_use') === 'on_behalf_of') {
      const claims = jwtClaims(form.get('assertion') ?? '');
      const upn = typeof claims.upn === 'string' ? claims.upn : undefined;
      if (upn === undefined || claims.aud !== this.config.clientId) {
        sendJson(res, 400, tokenErrorBody('invalid_grant', 50013, 'Assertion failed signature validation or audience mismatch.'));
        return;
      }
      const missing = requestedScopes(form.get('scope'), this.resource).filter((scope) => !this.delegatedScopes.includes(scope));
      if (missing.length > 0) {
        sendJson(res, 400, tokenErrorBody('invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${this.config.clientId}'. Send an interactive authorization request for this user and resource (missing: ${missing.join(', ')}).`));
        return;
      }
      sendJson(res, 200, { ...this.tokenResponse({ kind: 'delegated', upn }), ...this.idToken(upn, claims) });
      return;
    }
    sendJson(res, 400, tokenErrorBody('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`));
  }

  /** A delegated Graph token as a host would have obtained it by its own sign-in flow. */
  issueDelegatedToken(upn: string): string {
    return String(this.tokenResponse({ kind: 'delegated', upn }).access_token);
  }

  /** An app-only token for a managed identity (its service principal holds `appRoles`), as the identity endpoint issues it. */
  issueManagedIdentityToken(resource: string): { accessToken: string; expiresOn: number } | undefined {
    if (resource !== this.resource) return undefined;
    const response = this.tokenResponse({ kind: 'app' });
    return { accessToken: String(response.access_token), expiresOn: Math.floor(Date.now() / 1000) + this.expiresInSeconds };
  }

  private clientAuthenticated(form: URLSearchParams): boolean {
    const secret = form.get('client_secret');
    if (secret !== null) return secret === this.config.clientSecret;
    const assertion = form.get('client_assertion');
    if (assertion === null) return false;
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return false;
    if (this.federated(assertion)) return true;
    if (this.config.certificate === undefined) return false;
    const [header, payload, signature] = assertion.split('.');
    const { alg, ['x5t#S256']: x5t } = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as { alg: string; 'x5t#S256'?: string };
    const cert = new X509Certificate(this.config.certificate);
    const thumbprint = createHash('sha256').update(cert.raw).digest('base64url');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { iss: string; sub: string; aud: string };
    const signed = Buffer.from(`${header}.${payload}`);
    const key = alg === 'PS256' ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : cert.publicKey;
    return (
      x5t === thumbprint &&
      claims.iss === this.config.clientId &&
      claims.sub === this.config.clientId &&
      claims.aud.endsWith(`/${this.config.tenantId}/oauth2/v2.0/token`) &&
      verify('sha256', signed, key, Buffer.from(signature ?? '', 'base64url'))
    );
  }

  /** A workload identity federation assertion: an RS256 JWT from a trusted issuer and subject, for api://AzureADTokenExchange. */
  private federated(assertion: string): boolean {
    const [header, payload, signature] = assertion.split('.');
    let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
    try {
      claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as typeof claims;
    } catch {
      return false;
    }
    const trust = this.config.federatedCredentials?.find((c) => c.issuer === claims.iss && c.subject === claims.sub);
    if (trust === undefined || claims.aud !== 'api://AzureADTokenExchange' || (claims.exp ?? 0) * 1000 < Date.now()) return false;
    return verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey(trust.publicKey), Buffer.from(signature ?? '', 'base64url'));
  }

  private tokenResponse(token: Pick<IssuedToken, 'kind' | 'upn'>): Record<string, unknown> {
    const expiresAt = Date.now() + this.expiresInSeconds * 1000;
    const roles = token.kind === 'app' ? [...this.appRoles] : [];
    const scopes = token.kind === 'delegated' ? [...this.delegatedScopes] : [];
    const accessToken = fakeJwt({
      aud: this.resource,
      tid: this.config.tenantId,
      appid: this.config.clientId,
      ...(token.kind === 'app' ? { roles } : { scp: scopes.join(' '), upn: token.upn }),
      exp: Math.floor(expiresAt / 1000),
      jti: this.issued.size,
    });
    this.issued.set(accessToken, { ...token, roles, scopes, audience: this.resource, expiresAt });
    return { token_type: 'Bearer', expires_in: this.expiresInSeconds, ext_expires_in: this.expiresInSeconds, access_token: accessToken };
  }

  private idToken(upn: string, assertion: Record<string, unknown>): Record<string, unknown> {
    const oid = String(assertion.oid ?? upn);
    const now = Math.floor(Date.now() / 1000);
    return {
      scope: this.delegatedScopes.map((s) => `${this.resource}/${s}`).join(' '),
      id_token: fakeJwt({
        aud: this.config.clientId,
        iss: `https://${STAND_IN_CLOUDS[this.config.cloud ?? 'global'].login}/${this.config.tenantId}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        oid,
        sub: oid,
        tid: this.config.tenantId,
        preferred_username: upn,
        ver: '2.0',
      }),
      client_info: Buffer.from(JSON.stringify({ uid: oid, utid: this.config.tenantId })).toString('base64url'),
    };
  }
}

/** The permission names of a delegated scope list (`https://graph.microsoft.com/Mail.Send offline_access` → Mail.Send). */
function requestedScopes(scope: string | null, resource: string): string[] {
  const reserved = new Set(['openid', 'profile', 'offline_access', 'email']);
  return (scope ?? '')
    .split(' ')
    .filter((s) => s !== '' && !reserved.has(s))
    .map((s) => (s.startsWith(`${resource}/`) ? s.slice(resource.length + 1) : s));
}

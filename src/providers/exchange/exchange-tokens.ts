import type { ConfidentialClientApplication, Configuration, ManagedIdentityApplication } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import { failureError } from '../../errors/classify-failure.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { rawFailureFromError } from '../../errors/raw-failure-from-error.js';
import type { Logger } from '../../logger.js';
import type { ExchangeSettings } from '../../parameters/exchange-settings.js';
import type { DirectoryUser } from '../../users/user-directory.js';
import { authorityMetadata, graphScope } from './authority-metadata.js';
import { EXCHANGE_CLOUDS } from './exchange-clouds.js';
import type { HttpResponse, HttpTransport } from './https-transport.js';
import { msalNetworkClient } from './msal-network-client.js';

/** MSAL's throttle after a 429 or 5xx without Retry-After, and its longest (msal-common's DEFAULT_THROTTLE_TIME_SECONDS and DEFAULT_MAX_THROTTLE_TIME_SECONDS). */
const MSAL_THROTTLE_SECONDS = 60;
const MSAL_MAX_THROTTLE_SECONDS = 3600;

/** How the host supplies the signed-in user's identity for interactive (delegated) sending. */
export interface DelegatedAuth {
  /**
   * The access token the host received from the signed-in user (for the host's
   * own API); exchanged for a Graph token with MSAL's on-behalf-of flow.
   */
  userAssertion?: (user: DirectoryUser) => Promise<string>;
  /** A Graph access token with delegated Mail.Send that the host already holds (used when no `userAssertion`). */
  userAccessToken?: (user: DirectoryUser) => Promise<string>;
  /**
   * The app's credential as a signed client assertion (a JWT), for settings with
   * `clientAssertion: true`: workload identity federation, e.g. the Kubernetes service
   * account token in AZURE_FEDERATED_TOKEN_FILE, or any token Entra ID trusts for the app.
   * Called whenever MSAL needs a new app token.
   */
  clientAssertion?: () => Promise<string>;
}

function credentialOf(settings: ExchangeSettings, auth: DelegatedAuth): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate' | 'clientAssertion'> {
  if (settings.clientSecret !== undefined) return { clientSecret: settings.clientSecret };
  if (settings.certificate !== undefined) {
    const { thumbprintSha256, privateKey, x5c } = settings.certificate;
    return { clientCertificate: { thumbprintSha256, privateKey, ...(x5c !== undefined ? { x5c } : {}) } };
  }
  const assertion = auth.clientAssertion;
  if (assertion === undefined) {
    throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, 'The Exchange settings say the app authenticates with a client assertion, and exchangeProvider() was given none.', {
      fix: 'Pass exchangeProvider({ clientAssertion: async () => token }) with the signed assertion (e.g. the federated token file of the workload identity), or choose another credential in the settings.',
    });
  }
  return { clientAssertion: async () => assertion() };
}

/** The user-facing error of a Conditional Access claims challenge: the host re-prompts the user with these claims. */
function claimsChallengeError(failure: MailwrightError, claims: string, user: DirectoryUser | undefined): MailwrightError {
  failure.details.claims = claims;
  if (user !== undefined) failure.details.userId = user.id;
  return failure;
}

/**
 * Access tokens for Microsoft Graph from MSAL: app-only (client credentials)
 * for batch sending, delegated (on-behalf-of, or the host's own token) for
 * interactive sending. MSAL caches tokens in memory and renews them five
 * minutes before they expire. Tokens are never logged.
 */
export class ExchangeTokens {
  private app: { fingerprint: string; client: ConfidentialClientApplication | ManagedIdentityApplication } | undefined;
  /** Requests in flight, shared so that concurrent sends make one token request (MSAL's cache serves the rest). */
  private readonly inflight = new Map<string, Promise<string>>();
  /**
   * The token endpoint's last 429 or 5xx answer, and until when MSAL throttles requests after
   * it (epoch ms). On `Date.now()`, not the injected Clock, on purpose: this mirrors MSAL's own
   * throttle, which runs on real time whatever clock the host injects.
   */
  private throttle: { status: number; until: number } | undefined;
  /** The last transport error of a token request (MSAL reports only `network_error`). */
  private networkError: unknown;

  constructor(
    private readonly transport: HttpTransport,
    private readonly logger: Logger,
    private readonly delegated: DelegatedAuth,
  ) {}

  /** An app-only token for the cloud's `https://graph…/.default` (client credentials, or the managed identity). */
  async appToken(settings: ExchangeSettings): Promise<string> {
    return this.acquire('app', undefined, async () => {
      const client = await this.client(settings);
      return 'acquireTokenByClientCredential' in client
        ? client.acquireTokenByClientCredential({ scopes: [graphScope(settings.cloud, '.default')] })
        : client.acquireToken({ resource: `https://${EXCHANGE_CLOUDS[settings.cloud].graphHost}` });
    });
  }

  /**
   * A delegated token for the user: Mail.Send for their own mailbox, Mail.Send.Shared to send
   * with a From of a shared mailbox (or another user) they hold Send As or Send on Behalf for.
   */
  async userToken(settings: ExchangeSettings, user: DirectoryUser, permission: 'Mail.Send' | 'Mail.Send.Shared' = 'Mail.Send'): Promise<string> {
    if (this.delegated.userAssertion !== undefined) {
      const oboAssertion = await this.delegated.userAssertion(user);
      const key = `obo:${permission}:${createHash('sha256').update(oboAssertion).digest('hex')}`;
      return this.acquire(key, user, async () => {
        const client = await this.client(settings);
        if (!('acquireTokenOnBehalfOf' in client)) throw this.noOnBehalfOf();
        return client.acquireTokenOnBehalfOf({ oboAssertion, scopes: [graphScope(settings.cloud, permission)] });
      });
    }
    if (this.delegated.userAccessToken !== undefined) return this.delegated.userAccessToken(user);
    throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, 'Interactive Exchange sending needs the signed-in user\'s token, and none can be obtained.', {
      fix: 'Configure exchangeProvider({ userAssertion }) (on-behalf-of) or exchangeProvider({ userAccessToken }) with a Graph token that has delegated Mail.Send.',
      details: { userId: user.id },
    });
  }

  private noOnBehalfOf(): MailwrightError {
    return new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, 'A managed identity cannot exchange a user\'s token on their behalf (on-behalf-of needs an app registration).', {
      fix: 'For interactive sending use an app registration credential (client secret, certificate or client assertion), or exchangeProvider({ userAccessToken }).',
    });
  }

  private acquire(key: string, user: DirectoryUser | undefined, request: () => Promise<{ accessToken: string } | null>): Promise<string> {
    const pending = this.inflight.get(key);
    if (pending !== undefined) return pending;
    // Started on a microtask, after it is registered, so even a synchronous throw is cleaned up.
    const started = Promise.resolve().then(async () => {
      try {
        const result = await request();
        if (result === null || result.accessToken === '') throw new Error('The token endpoint returned no access token.');
        return result.accessToken;
      } catch (error) {
        if (error instanceof MailwrightError) throw error;
        if ((error as { errorCode?: unknown }).errorCode === 'network_error' && this.networkError !== undefined) {
          throw failureError({ ...rawFailureFromError(this.networkError), protocol: 'token' }, this.networkError);
        }
        const claims = (error as { claims?: unknown }).claims;
        if (typeof claims === 'string' && claims !== '') {
          throw claimsChallengeError(failureError({ ...rawFailureFromError(error), protocol: 'token', serviceCode: 'interaction_required' }, error), claims, user);
        }
        throw failureError({ ...rawFailureFromError(error), protocol: 'token', ...this.throttleFacts(error) }, error);
      } finally {
        this.inflight.delete(key);
      }
    });
    this.inflight.set(key, started);
    return started;
  }

  /**
   * MSAL's throttling, mirrored: after a 429 or 5xx from the token endpoint, MSAL refuses
   * the same token request itself, without calling the endpoint, until Retry-After (60 s
   * when absent, at most an hour) has passed.
   */
  private noteResponse(response: HttpResponse): void {
    if (response.status !== 429 && (response.status < 500 || response.status > 599)) return;
    const header = Number.parseInt(response.headers['retry-after'] ?? '', 10);
    const seconds = Math.min(Number.isFinite(header) && header > 0 ? header : MSAL_THROTTLE_SECONDS, MSAL_MAX_THROTTLE_SECONDS);
    this.throttle = { status: response.status, until: Date.now() + seconds * 1000 };
  }

  /**
   * A token failure's transient facts: the throttle time after a 429 or 5xx, and for MSAL's
   * own refusal (a ServerError with no HTTP status, thrown while its throttle lasts) the
   * status that started the throttle, so it is retried like that answer instead of failing
   * the email permanently.
   */
  private throttleFacts(error: unknown): { httpStatus?: number; retryAfterSeconds?: number; message?: string } {
    const e = error as { name?: unknown; status?: unknown; message?: unknown };
    const refusedByMsal = typeof error === 'object' && error !== null && e.name === 'ServerError' && e.status === undefined;
    const httpStatus = typeof e.status === 'number' ? e.status : undefined;
    if (!refusedByMsal && (httpStatus === undefined || (httpStatus !== 429 && httpStatus < 500))) return {};
    const remaining = this.throttle !== undefined ? Math.ceil((this.throttle.until - Date.now()) / 1000) : 0;
    const retryAfterSeconds = remaining > 0 ? remaining : refusedByMsal ? MSAL_THROTTLE_SECONDS : undefined;
    if (!refusedByMsal) return retryAfterSeconds !== undefined ? { retryAfterSeconds } : {};
    const status = this.throttle?.status ?? 503;
    return {
      httpStatus: status,
      retryAfterSeconds: retryAfterSeconds!,
      message: `MSAL did not call the token endpoint: it holds back token requests for ${retryAfterSeconds} s after the endpoint answered HTTP ${status}. ${String(e.message ?? '')}`.trim(),
    };
  }

  /**
   * MSAL's client for these settings: a ConfidentialClientApplication for an app registration,
   * a ManagedIdentityApplication for a managed identity. msal-node is loaded on first use, so an
   * application without Exchange does not carry it.
   */
  private async client(settings: ExchangeSettings): Promise<ConfidentialClientApplication | ManagedIdentityApplication> {
    const fingerprint = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
    if (this.app?.fingerprint === fingerprint) return this.app.client;
    const { ConfidentialClientApplication, ManagedIdentityApplication, LogLevel } = await import('@azure/msal-node');
    if (this.app?.fingerprint === fingerprint) return this.app.client; // made by a concurrent first call
    const system = {
      networkClient: msalNetworkClient(
        this.transport,
        (response) => this.noteResponse(response),
        (error) => (this.networkError = error),
      ),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level: unknown, message: string) => this.logger.warn({ message }, 'msal'),
      },
    };
    const identity = settings.managedIdentity;
    const client =
      identity !== undefined
        ? new ManagedIdentityApplication({ ...(identity === true ? {} : { managedIdentityIdParams: { userAssignedClientId: identity.clientId } }), system })
        : new ConfidentialClientApplication({
            auth: { clientId: settings.clientId as string, ...authorityMetadata(settings.tenantId as string, settings.cloud), ...credentialOf(settings, this.delegated) },
            system,
          });
    this.app = { fingerprint, client };
    return client;
  }
}

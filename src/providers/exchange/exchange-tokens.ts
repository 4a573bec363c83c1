import type { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import { failureError } from '../../errors/classify-failure.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { rawFailureFromError } from '../../errors/raw-failure-from-error.js';
import type { Logger } from '../../logger.js';
import type { ExchangeSettings } from '../../parameters/exchange-settings.js';
import type { DirectoryUser } from '../../users/user-directory.js';
import { authorityMetadata, GRAPH_DEFAULT_SCOPE, GRAPH_MAIL_SEND_SCOPE, PUBLIC_CLOUD_AUTHORITY_HOST } from './authority-metadata.js';
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
}

const credentialOf = (settings: ExchangeSettings): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'> =>
  settings.clientSecret !== undefined
    ? { clientSecret: settings.clientSecret }
    : {
        clientCertificate: {
          thumbprintSha256: settings.certificate!.thumbprintSha256,
          privateKey: settings.certificate!.privateKey,
          ...(settings.certificate!.x5c !== undefined ? { x5c: settings.certificate!.x5c } : {}),
        },
      };

/**
 * Access tokens for Microsoft Graph from MSAL: app-only (client credentials)
 * for batch sending, delegated (on-behalf-of, or the host's own token) for
 * interactive sending. MSAL caches tokens in memory and renews them five
 * minutes before they expire. Tokens are never logged.
 */
export class ExchangeTokens {
  private app: { fingerprint: string; client: ConfidentialClientApplication } | undefined;
  /** Requests in flight, shared so that concurrent sends make one token request (MSAL's cache serves the rest). */
  private readonly inflight = new Map<string, Promise<string>>();
  /**
   * The token endpoint's last 429 or 5xx answer, and until when MSAL throttles requests after
   * it (epoch ms). On `Date.now()`, not the injected Clock, on purpose: this mirrors MSAL's own
   * throttle, which runs on real time whatever clock the host injects.
   */
  private throttle: { status: number; until: number } | undefined;

  constructor(
    private readonly transport: HttpTransport,
    private readonly logger: Logger,
    private readonly delegated: DelegatedAuth,
  ) {}

  /** An app-only token for `https://graph.microsoft.com/.default`. */
  async appToken(settings: ExchangeSettings): Promise<string> {
    return this.acquire('app', async () => (await this.client(settings)).acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }));
  }

  /** A delegated token for the user's own mailbox. */
  async userToken(settings: ExchangeSettings, user: DirectoryUser): Promise<string> {
    if (this.delegated.userAssertion !== undefined) {
      const oboAssertion = await this.delegated.userAssertion(user);
      const key = `obo:${createHash('sha256').update(oboAssertion).digest('hex')}`;
      return this.acquire(key, async () => (await this.client(settings)).acquireTokenOnBehalfOf({ oboAssertion, scopes: [GRAPH_MAIL_SEND_SCOPE] }));
    }
    if (this.delegated.userAccessToken !== undefined) return this.delegated.userAccessToken(user);
    throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, 'Interactive Exchange sending needs the signed-in user\'s token, and none can be obtained.', {
      fix: 'Configure exchangeProvider({ userAssertion }) (on-behalf-of) or exchangeProvider({ userAccessToken }) with a Graph token that has delegated Mail.Send.',
      details: { userId: user.id },
    });
  }

  private acquire(key: string, request: () => Promise<{ accessToken: string } | null>): Promise<string> {
    const pending = this.inflight.get(key);
    if (pending !== undefined) return pending;
    // Started on a microtask, after it is registered, so even a synchronous throw is cleaned up.
    const started = Promise.resolve().then(async () => {
      try {
        const result = await request();
        if (result === null || result.accessToken === '') throw new Error('The token endpoint returned no access token.');
        return result.accessToken;
      } catch (error) {
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

  /** MSAL's client for these settings; msal-node is loaded on first use, so an application without Exchange does not carry it. */
  private async client(settings: ExchangeSettings): Promise<ConfidentialClientApplication> {
    const fingerprint = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
    if (this.app?.fingerprint === fingerprint) return this.app.client;
    const { ConfidentialClientApplication, LogLevel } = await import('@azure/msal-node');
    if (this.app?.fingerprint === fingerprint) return this.app.client; // made by a concurrent first call
    const client = new ConfidentialClientApplication({
      auth: {
        clientId: settings.clientId,
        ...authorityMetadata(settings.tenantId),
        knownAuthorities: [PUBLIC_CLOUD_AUTHORITY_HOST],
        ...credentialOf(settings),
      },
      system: {
        networkClient: msalNetworkClient(this.transport, (response) => this.noteResponse(response)),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => this.logger.warn({ message }, 'msal'),
        },
      },
    });
    this.app = { fingerprint, client };
    return client;
  }
}

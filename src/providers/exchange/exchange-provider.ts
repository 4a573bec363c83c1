import type { Client } from '@microsoft/microsoft-graph-client';
import PQueue from 'p-queue';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { MailboxInboxRules } from '../../forwarding/policy/mailbox-inbox-rules.js';
import { parseAddress } from '../../message/address.js';
import type { Address, EmailMessage } from '../../message/message.js';
import type { ExchangeSettings, ExchangeSettingsInput, StoredExchangeSettings } from '../../parameters/exchange-settings.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import type { DirectoryUser, SenderMode } from '../../users/user-directory.js';
import type { MailboxContext, Provider, ProviderRuntime, SendContext, SendReceipt } from '../provider.js';
import { providerCountOption } from '../provider-count-option.js';
import { refuseRedirect } from '../redirect-not-supported.js';
import { providerSettingsKey } from '../sealed-settings-service.js';
import type { VerifyConnectionOptions } from '../connection-check.js';
import { graphBaseUrl } from './authority-metadata.js';
import { checkExchangeConnection } from './exchange-connection-check.js';
import { sendWithGraph } from './exchange-send.js';
import { completeExchangeSettings, openExchangeSettings } from './exchange-settings-store.js';
import { ExchangeTokens, type DelegatedAuth } from './exchange-tokens.js';
import { graphFailure } from './graph-failure.js';
import { GraphHttpHandler, GraphTranscript } from './graph-http-handler.js';
import { readInboxRule } from './graph-inbox-rules.js';
import { fetchGraphInboxRules, inboxRulesFailure } from './graph-inbox-rules-reader.js';
import { createHttpsTransport, type HttpsTransportOptions, type HttpTransport } from './https-transport.js';

/** Options of {@link exchangeProvider}. */
export interface ExchangeProviderOptions extends DelegatedAuth {
  /** Unique provider id. @default 'exchange' */
  id?: string;
  /** Label for choice lists. @default 'Use Exchange' */
  displayName?: string;
  /** May be chosen for interactive sending (the user's own mailbox). @default true */
  interactive?: boolean;
  /** May be the batch provider (the batch account mailbox). @default true */
  batch?: boolean;
  /**
   * Settings given in code (secret in clear, never persisted). When absent the
   * provider reads the settings stored under `provider:<id>` at each send.
   */
  settings?: ExchangeSettingsInput;
  /** How a user's address is represented when it is not the mailbox. @default 'sendAs' */
  senderMode?: SenderMode;
  /** HTTPS options for the token endpoint and Graph (extra CA, proxy, `connectTo`, timeout). @default {} (proxy from HTTPS_PROXY / NO_PROXY) */
  network?: HttpsTransportOptions;
  /**
   * Sends in progress at once from one mailbox, in this process; more wait
   * their turn. Outlook lets an app make 4 concurrent Graph requests on a
   * mailbox and throttles the rest (429 "MailboxConcurrency"); a send makes its
   * requests one after another, so this keeps a distributor with a higher
   * concurrency within it. Several processes sending from one mailbox share
   * Outlook's 4 between them: lower it there (the 429s are retried anyway).
   * @default 4
   */
  mailboxConcurrency?: number;
  /**
   * Seconds a copy of an earlier attempt found in Drafts may still be in transit (Exchange keeps
   * an accepted message there until transport moves it to Sent Items). A retry that finds one
   * younger waits; an older one never left, and is deleted before the email is sent again.
   * @default 600
   */
  inTransitGraceSeconds?: number;
}

const EXCHANGE_OPTIONS = optionNames<ExchangeProviderOptions>({
  id: true,
  displayName: true,
  interactive: true,
  batch: true,
  settings: true,
  senderMode: true,
  network: true,
  mailboxConcurrency: true,
  inTransitGraceSeconds: true,
  userAssertion: true,
  userAccessToken: true,
  clientAssertion: true,
});

/**
 * "Use Exchange": email sent through Exchange Online with Microsoft Graph, in the
 * settings' cloud. Batch mode sends from the batch account with an app-only token
 * (client credentials with a secret, certificate or client assertion, or a managed
 * identity); interactive mode sends from the user's own mailbox with a delegated
 * token (on-behalf-of, or the host's token). External users are refused before any
 * request. A retry of a send that may have been accepted looks for it in the mailbox
 * first. `readInboxRules` reads a mailbox's inbox rules with the app-only token
 * (MailboxSettings.Read); `verifyConnection` checks token, permissions and batch
 * mailbox without sending. Failures are classified by the failure catalogue with a
 * redacted request transcript.
 */
export function exchangeProvider(options: ExchangeProviderOptions = {}): Provider {
  refuseUnknownOptions(options, EXCHANGE_OPTIONS, 'exchangeProvider options');
  const id = options.id ?? 'exchange';
  const displayName = options.displayName ?? 'Use Exchange';
  const inline = options.settings === undefined ? undefined : completeExchangeSettings(options.settings);
  const transport: HttpTransport = createHttpsTransport(options.network);
  const mailboxConcurrency = providerCountOption({ label: 'Exchange', id }, 'mailboxConcurrency', options.mailboxConcurrency, 4, ' (Outlook allows 4 concurrent requests per mailbox)');
  const graceMs = providerCountOption({ label: 'Exchange', id }, 'inTransitGraceSeconds', options.inTransitGraceSeconds, 600) * 1000;
  const interactive = options.interactive ?? true;
  const batch = options.batch ?? true;
  // One queue per mailbox while it has sends waiting or in progress.
  const mailboxQueues = new Map<string, PQueue>();
  const inMailboxTurn = <T>(mailbox: string, task: () => Promise<T>): Promise<T> => {
    const key = mailbox.toLowerCase();
    let queue = mailboxQueues.get(key);
    if (queue === undefined) {
      const created = new PQueue({ concurrency: mailboxConcurrency });
      created.on('idle', () => mailboxQueues.delete(key));
      mailboxQueues.set(key, created);
      queue = created;
    }
    return queue.add(task);
  };
  let runtime: ProviderRuntime | undefined;
  let tokens: ExchangeTokens | undefined;

  /** The runtime and token source `init()` set up; a call before it is a programming error. */
  function started(): { runtime: ProviderRuntime; tokenSource: ExchangeTokens } {
    if (tokens === undefined || runtime === undefined) throw new Error(`Provider "${id}" was used before init()`);
    return { runtime, tokenSource: tokens };
  }

  async function currentSettings(): Promise<ExchangeSettings> {
    if (inline !== undefined) return inline;
    const stored = runtime === undefined ? undefined : await runtime.settings.get<StoredExchangeSettings>(providerSettingsKey(id));
    if (stored === undefined || runtime === undefined) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, `The Exchange provider "${id}" has no settings.`, {
        fix: `Save the Exchange settings for "${id}" (tenant ID, client ID, client secret or certificate, batch account), then send a test email.`,
        details: { providerId: id },
      });
    }
    return openExchangeSettings(stored, runtime.secrets, id);
  }

  function mailboxFor(settings: ExchangeSettings, mode: SendContext['mode'], user: DirectoryUser | undefined): string {
    if (mode === 'interactive') {
      if (user === undefined) {
        throw new MailwrightError(ErrorCodes.USER_NOT_FOUND, 'Interactive Exchange sending needs the signed-in user.', {
          fix: 'Send with { userId } so the email goes out from that user\'s mailbox.',
        });
      }
      return user.email;
    }
    if (settings.batchMailbox === undefined) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, `The Exchange provider "${id}" has no batch account mailbox.`, {
        fix: 'Set batchMailbox in the Exchange settings to the mailbox batch email is sent from.',
        details: { providerId: id, field: 'batchMailbox' },
      });
    }
    return settings.batchMailbox;
  }

  /** A Graph client of the settings' cloud sending with `token`; the Graph SDK is loaded on first use, so an application without Exchange does not carry it. */
  async function graphClient(settings: ExchangeSettings, token: string, transcript: GraphTranscript): Promise<Client> {
    const { AuthenticationHandler, Client } = await import('@microsoft/microsoft-graph-client');
    return Client.initWithMiddleware({
      baseUrl: graphBaseUrl(settings.cloud).replace(/\/v1\.0$/, ''),
      defaultVersion: 'v1.0',
      middleware: [new AuthenticationHandler({ getAccessToken: async () => token }), new GraphHttpHandler(transport, transcript)],
    });
  }

  return {
    id,
    kind: 'exchange',
    displayName,
    interactive,
    batch,
    microsoft365: true,
    senderMode: options.senderMode ?? 'sendAs',
    init(value: ProviderRuntime): void {
      runtime = value;
      tokens = new ExchangeTokens(transport, value.logger, options);
    },
    async mailbox(context?: MailboxContext): Promise<Address | undefined> {
      if (context?.mode === 'interactive' && context.user !== undefined) {
        const { email, displayName } = context.user;
        return displayName === undefined ? { address: email } : { name: displayName, address: email };
      }
      const settings = await currentSettings();
      return settings.batchMailbox === undefined ? undefined : { address: settings.batchMailbox };
    },
    async send(message: EmailMessage, context: SendContext): Promise<SendReceipt> {
      refuseRedirect(message, { id, displayName });
      if (context.user?.external === true) {
        throw new MailwrightError(ErrorCodes.EXCHANGE_EXTERNAL_USER, `External user "${context.user.id}" cannot send with Exchange.`, {
          fix: 'Choose another provider for external users (e.g. "Use an email app" or SMTP).',
          details: { userId: context.user.id, providerId: id },
        });
      }
      const { runtime: ready, tokenSource } = started();
      const settings = await currentSettings();
      const mailbox = mailboxFor(settings, context.mode, context.user);
      const transcript = new GraphTranscript();
      // Interactive, with a From other than the user's own mailbox (a shared mailbox): Mail.Send.Shared.
      const shared = context.mode === 'interactive' && message.from.address.toLowerCase() !== mailbox.toLowerCase();
      return sendWithGraph({
        message,
        context,
        settings,
        mailbox,
        transcript,
        graceMs,
        nowMs: () => ready.clock.now().toMillis(),
        inTurn: (run) =>
          inMailboxTurn(mailbox, async () => {
            // The token is taken in the mailbox's turn, so that a long wait cannot leave it expired.
            const token = context.mode === 'interactive' ? await tokenSource.userToken(settings, context.user!, shared ? 'Mail.Send.Shared' : 'Mail.Send') : await tokenSource.appToken(settings);
            return run(await graphClient(settings, token, transcript));
          }),
      });
    },
    async readInboxRules(mailbox: string): Promise<MailboxInboxRules> {
      const address = parseAddress(mailbox, 'mailbox').address;
      const { runtime: ready, tokenSource } = started();
      const settings = await currentSettings();
      const transcript = new GraphTranscript();
      try {
        const rules = await inMailboxTurn(address, async () => fetchGraphInboxRules(await graphClient(settings, await tokenSource.appToken(settings), transcript), address, graphBaseUrl(settings.cloud)));
        return { mailbox: address, rules: rules.map(readInboxRule) };
      } catch (error) {
        const nowMs = ready.clock.now().toMillis();
        throw inboxRulesFailure(graphFailure(error, { transcript, sendPosted: false, canCheckSentItems: false, nowMs }), address);
      }
    },
    async verifyConnection(verifyOptions?: VerifyConnectionOptions) {
      const { runtime: ready, tokenSource } = started();
      return checkExchangeConnection(
        {
          providerId: id,
          batch,
          interactive,
          delegatedConfigured: options.userAssertion !== undefined || options.userAccessToken !== undefined,
          settings: currentSettings,
          appToken: (settings) => tokenSource.appToken(settings),
          client: graphClient,
          nowMs: () => ready.clock.now().toMillis(),
        },
        verifyOptions,
      );
    },
    close: async () => transport.close(),
  };
}

import type { Clock } from './clock/clock.js';
import { systemClock } from './clock/clock.js';
import { HistoryService } from './history/history-service.js';
import { silentLogger } from './logger.js';
import { ParametersService } from './parameters/parameters-service.js';
import { verifyProviderConnection, type ConnectionCheckResult, type VerifyConnectionOptions } from './providers/connection-check.js';
import type { Provider, ProviderInfo } from './providers/provider.js';
import { ProviderRegistry } from './providers/provider-registry.js';
import { createSecretBox } from './secrets/aes-gcm-secret-box.js';
import type { SecretBox } from './secrets/secret-box.js';
import { ImmediateSender, type TestEmailOptions } from './send/immediate-sender.js';
import { smtpSettingsService, type SmtpSettingsService } from './providers/smtp/smtp-settings-service.js';
import { exchangeSettingsService, type ExchangeSettingsService } from './providers/exchange/exchange-settings-service.js';
import type { Draft } from './send/draft.js';
import type { SendOptions } from './send/send-options.js';
import type { SendResult, TestEmailResult } from './send/send-result.js';
import type { MessageInput } from './message/message.js';
import { createSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import { Distributor } from './queue/distributor.js';
import type { DistributorOptions } from './queue/distributor-options.js';
import type { EnqueueOptions } from './queue/enqueue-options.js';
import { Enqueuer, type EnqueueItem } from './queue/enqueuer.js';
import { QueueEventEmitter } from './queue/queue-events.js';
import { TemplateCatalog } from './templates/template-catalog.js';
import { InMemoryTemplateSource } from './templates/template-source.js';
import { layeredTemplateSource } from './templates/layered-template-source.js';
import { Notifier, type NotifyOptions, type NotifyResult } from './templates/notifier.js';
import { defaultForwardTheme } from './forwarding/default-forward-theme.js';
import { ForwardEventEmitter } from './forwarding/forward-events.js';
import { RecordForwarder, type ForwardResult } from './forwarding/record-forwarder.js';
import { journalQueuedForwards } from './forwarding/queued-forward-journal.js';
import type { ForwardRecordOptions } from './forwarding/forward-record-options.js';
import { ForwardingPolicyService, type ForwardingAuditOptions } from './forwarding/policy/forwarding-policy-service.js';
import { AutoForwarder, type InboundDelivery, type InboundResult } from './forwarding/policy/auto-forwarder.js';
import type { ForwardingAuditEntry } from './forwarding/policy/forwarding-audit.js';
import type { ForwardingPlan } from './forwarding/policy/plan-forwards.js';
import { checkMailwrightOptions, type MailwrightOptions } from './mailwright-options.js';
import { ErrorCodes } from './errors/error-codes.js';
import type { UserDirectory } from './users/user-directory.js';
import { MailwrightError } from './errors/mailwright-error.js';
import { loadOpenTelemetry } from './observe/opentelemetry.js';
import { SendObserver } from './observe/send-observer.js';

/** One mailwright instance: the email subsystem of a host application. */
export interface Mailwright {
  /** The store (history, queue, settings), migrated. */
  readonly store: Store;
  /** The source of time of this instance. */
  readonly clock: Clock;
  /** Encrypts and decrypts the secrets kept in stored settings. */
  readonly secrets: SecretBox;
  /** Email parameters (batch provider, size limit, retention, throttling). */
  readonly parameters: ParametersService;
  /** Email history: list, get, retry failed email, cancel waiting email, purge. */
  readonly history: HistoryService;
  /** Stored SMTP settings (password encrypted) of providers created with `smtpProvider({ id })`. */
  readonly smtpSettings: SmtpSettingsService;
  /** Stored Exchange settings (client secret or private key encrypted) of providers created with `exchangeProvider({ id })`. */
  readonly exchangeSettings: ExchangeSettingsService;
  /** Registered providers. */
  providers(): ProviderInfo[];
  /** A registered provider itself (to use its optional abilities, e.g. reading inbox rules); MW_PROVIDER_NOT_FOUND naming the registered ids. */
  provider(id: string): Provider;
  /** The host's user directory, as given to `createMailwright()` (the admin console's Users page reads and updates it). */
  readonly users: UserDirectory;
  /** Composes a draft for a user, with their resolved From. */
  compose(message: MessageInput, userId: string): Promise<Draft>;
  /**
   * Sends a draft interactively with the user's provider (the `provider` option, else the
   * user's "Email provider ID"). Throws `ProviderSelectionRequired` when the user has none.
   */
  send(draft: Draft | MessageInput, options?: SendOptions): Promise<SendResult>;
  /** Queues a non-interactive email for the distributor; returns its id. */
  enqueue(message: MessageInput, options?: EnqueueOptions): Promise<string>;
  /** Queues many emails in one transaction, all or nothing; returns their ids in order. */
  enqueueMany(items: readonly EnqueueItem[]): Promise<string[]>;
  /** Typed queue events: queued, sending, sent, deferred, retrying, failed, forced. */
  readonly events: QueueEventEmitter;
  /** The email distributor with default options (`runOnce()`, `start()`, `stop()`). */
  readonly distributor: Distributor;
  /** A distributor with its own options (concurrency, lease, back-off). */
  createDistributor(options?: DistributorOptions): Distributor;
  /** System and organization templates, localized, rendered strictly. */
  readonly templates: TemplateCatalog;
  /** Queues one workflow notification per opted-in user, in their language; reports the others as skipped. */
  notify(options: NotifyOptions): Promise<NotifyResult>;
  /** Forwards a record through the default outbound mailbox (needs the `forwarding` option). */
  forwardRecord(options: ForwardRecordOptions): Promise<ForwardResult>;
  /** Typed forwarding events: forwarded, forward-failed, auto-forward-queued, auto-forward-blocked. */
  readonly forwardingEvents: ForwardEventEmitter;
  /** The automatic forwarding policy (Exchange style): remote domains, mailbox forwarding, inbox rules. */
  readonly forwardingPolicy: ForwardingPolicyService;
  /**
   * Applies the forwarding policy to a message that arrived in a mailbox: queues
   * its forwards, records blocked ones, says whether to keep it in the mailbox.
   */
  processInbound(delivery: InboundDelivery): Promise<InboundResult>;
  /** What `processInbound` would do with the message, queuing and recording nothing (a dry run). */
  previewInbound(delivery: InboundDelivery): Promise<ForwardingPlan & { mailbox: string }>;
  /** Every mailbox and inbox rule that forwards outside the organization (admin discovery). */
  auditForwarding(options?: ForwardingAuditOptions): Promise<ForwardingAuditEntry[]>;
  /** Sends a test email with one provider; returns the classified result. */
  sendTestEmail(options: TestEmailOptions): Promise<TestEmailResult>;
  /**
   * Checks a provider's connection without sending any email (`Provider.verifyConnection`):
   * each step ok, a warning or a problem with its code and fix. A provider without the check
   * answers with one warning saying so. Throws MW_PROVIDER_NOT_FOUND for an unknown id.
   */
  verifyConnection(providerId: string, options?: VerifyConnectionOptions): Promise<ConnectionCheckResult>;
  /** Stops every distributor made by this instance, waits for the sends and other calls in flight, then closes providers and the store. */
  close(): Promise<void>;
}

/**
 * Creates the email subsystem: wires the store (migrated), providers,
 * parameters, user directory and clock. The one entry point.
 */
export async function createMailwright(options: MailwrightOptions): Promise<Mailwright> {
  checkMailwrightOptions(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? createSqliteStore({});
  await store.migrate();
  const secrets = createSecretBox(options.secretKey === undefined ? {} : { key: options.secretKey });
  const registry = new ProviderRegistry(options.providers, {
    clock,
    logger,
    secrets,
    settings: { get: (key) => store.getSetting(key) },
  });
  const parameters = new ParametersService({ store, providers: () => registry.all() });
  const events = new QueueEventEmitter({ logger });
  const history = new HistoryService(store, parameters, clock, events);
  // Email not finished: due or not, or being sent (every lease expires before the end of time).
  const telemetry = await loadOpenTelemetry({ logger, queueDepth: () => store.countDue(Number.MAX_SAFE_INTEGER) });
  const observer = new SendObserver(events, logger, telemetry);
  const sender = new ImmediateSender({
    store,
    clock,
    logger,
    observer,
    users: options.users,
    providers: registry,
    parameters,
    ...(options.messageIdDomain !== undefined ? { messageIdDomain: options.messageIdDomain } : {}),
    ...(options.attachmentRoot !== undefined ? { attachmentRoot: options.attachmentRoot } : {}),
  });

  const enqueuer = new Enqueuer({
    store,
    clock,
    users: options.users,
    providers: registry,
    parameters,
    events,
    ...(options.messageIdDomain !== undefined ? { messageIdDomain: options.messageIdDomain } : {}),
    ...(options.attachmentRoot !== undefined ? { attachmentRoot: options.attachmentRoot } : {}),
  });
  // close() stops every distributor made here, and waits for the calls in flight (a send half
  // done must end recorded, not cut off by a closing store or a provider's closed connections).
  const distributors = new Set<Distributor>();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };
  const createDistributor = (distributorOptions?: DistributorOptions): Distributor => {
    const made = new Distributor({ store, clock, logger, observer, users: options.users, providers: registry, parameters, history }, distributorOptions);
    distributors.add(made);
    return made;
  };
  const distributor = createDistributor();
  const templates = new TemplateCatalog(
    {
      system: layeredTemplateSource(options.templates?.system, new InMemoryTemplateSource([defaultForwardTheme])),
      ...(options.templates?.organization !== undefined ? { organization: options.templates.organization } : {}),
    },
    options.templateLimits,
  );
  const notifier = new Notifier({ users: options.users, templates, enqueue: (message, enqueueOptions) => enqueuer.enqueue(message, enqueueOptions) });
  const forwardingEvents = new ForwardEventEmitter({ logger });
  const forwarding = options.forwarding;
  if (forwarding !== undefined) registry.get(forwarding.providerId); // MW_PROVIDER_NOT_FOUND now, not at the first forward
  const forwarder =
    forwarding === undefined
      ? undefined
      : new RecordForwarder({
          clock,
          users: options.users,
          providers: registry,
          templates,
          sender,
          events: forwardingEvents,
          config: forwarding,
          store,
          parameters,
          enqueue: (message, enqueueOptions) => enqueuer.enqueue(message, enqueueOptions),
          ...(options.messageIdDomain !== undefined ? { messageIdDomain: options.messageIdDomain } : {}),
        });
  // A forward retried through the queue: each attempt the distributors of this instance make is journaled.
  if (forwarding !== undefined) {
    journalQueuedForwards({ queueEvents: events, forwardingEvents, store, journal: forwarding.journal, clock, logger, track: (work) => void track(work) });
  }

  const forwardingPolicy = new ForwardingPolicyService({
    store,
    clock,
    users: options.users,
    providers: registry,
    ...(options.contacts !== undefined ? { contacts: options.contacts } : {}),
  });
  const autoForwarder = new AutoForwarder({
    policy: forwardingPolicy,
    store,
    clock,
    enqueue: (message, enqueueOptions) => enqueuer.enqueue(message, enqueueOptions),
    events: forwardingEvents,
  });

  return {
    store,
    clock,
    secrets,
    parameters,
    history,
    smtpSettings: smtpSettingsService(store, secrets),
    exchangeSettings: exchangeSettingsService(store, secrets),
    providers: () => registry.list(),
    provider: (id) => registry.get(id),
    users: options.users,
    compose: (message, userId) => sender.compose(message, userId),
    send: (draft, sendOptions) => track(sender.send(draft, sendOptions)),
    sendTestEmail: (testOptions) => track(sender.sendTestEmail(testOptions)),
    enqueue: (message, enqueueOptions) => track(enqueuer.enqueue(message, enqueueOptions)),
    enqueueMany: (items) => track(enqueuer.enqueueMany(items)),
    events,
    distributor,
    createDistributor,
    templates,
    notify: (notifyOptions) => track(notifier.notify(notifyOptions)),
    forwardRecord: (forwardOptions) => track(forwardRecord(forwardOptions)),
    forwardingEvents,
    forwardingPolicy,
    processInbound: (delivery) => track(autoForwarder.process(delivery)),
    previewInbound: (delivery) => autoForwarder.preview(delivery),
    auditForwarding: (auditOptions) => forwardingPolicy.audit(auditOptions),
    verifyConnection: async (providerId, verifyOptions) => track(verifyProviderConnection(registry.get(providerId), verifyOptions)),
    close: async () => {
      await Promise.all([...distributors].map((d) => d.stop()));
      await Promise.allSettled([...inFlight]);
      telemetry.close();
      await registry.closeAll();
      await store.close();
    },
  };

  async function forwardRecord(forwardOptions: ForwardRecordOptions): Promise<ForwardResult> {
    if (forwarder === undefined) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, 'Record forwarding is not configured.', {
        fix: 'Pass forwarding: { providerId, journal } to createMailwright() (the default outbound mailbox and the record journal).',
      });
    }
    return forwarder.forward(forwardOptions);
  }
}

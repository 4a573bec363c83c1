import type { Clock } from '../clock/clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Logger } from '../logger.js';
import type { SendObserver } from '../observe/send-observer.js';
import { domainOf, parseAddress } from '../message/address.js';
import { assertWithinSizeLimit } from '../message/encode-message.js';
import type { Address, AddressInput, EmailMessage, MessageInput } from '../message/message.js';
import { validateMessage } from '../message/validate-message.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import type { Provider, SendMode } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { ProviderSelectionRequired } from '../providers/provider-selection-required.js';
import type { Store } from '../store/store.js';
import { requireUser } from '../users/require-user.js';
import { userFromAddress } from '../users/sender-identity.js';
import type { DirectoryUser, UserDirectory } from '../users/user-directory.js';
import { attemptIdentity, attemptTranscript, deliverAttempt, failurePatch, successPatch } from './deliver-attempt.js';
import type { Draft } from './draft.js';
import { parseSendOptions, type SendOptions } from './send-options.js';
import { newEmailRecord } from './new-email-record.js';
import type { SendResult, TestEmailResult } from './send-result.js';

/** Dependencies of {@link ImmediateSender}. */
export interface ImmediateSenderDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Spans, latency, events and logs of each attempt and outcome. */
  observer: SendObserver;
  users: UserDirectory;
  providers: ProviderRegistry;
  parameters: ParametersService;
  /** Domain of generated Message-IDs. @default the From address's domain */
  messageIdDomain?: string;
  /** Folder attachment paths must be inside. @default any */
  attachmentRoot?: string;
}

/** How {@link ImmediateSender.sendNow} sends one email. */
export interface ImmediateSendContext {
  mode: SendMode;
  /** The user on whose behalf it is sent. */
  user?: DirectoryUser;
  /** Host facts stored with the history record. */
  meta: Record<string, unknown>;
}

/** Options of `sendTestEmail()`. */
export interface TestEmailOptions {
  /** Provider to test. */
  provider: string;
  /** Recipient of the test message. */
  to: AddressInput;
  /** From address. @default the user's identity (userId), else the provider's mailbox */
  from?: AddressInput;
  /** Send as this user (interactive mode). */
  userId?: string;
}

/**
 * Sends email now, without the queue: interactive `send()` and `sendTestEmail()`.
 * Validates everything before any provider is called; records one history
 * entry per email with the attempt and its classified failure.
 */
export class ImmediateSender {
  constructor(private readonly deps: ImmediateSenderDeps) {}

  /** Composes a draft for a user: From = "Sender email" override, else the directory email. */
  async compose(input: MessageInput, userId: string): Promise<Draft> {
    const user = await requireUser(this.deps.users, userId);
    return { ...input, from: userFromAddress(user), userId };
  }

  /**
   * Sends a draft interactively with the user's provider. Throws
   * {@link ProviderSelectionRequired} when the user has none and none is given.
   */
  async send(draft: Draft | MessageInput, given: SendOptions = {}): Promise<SendResult> {
    const options = parseSendOptions(given);
    const userId = options.userId ?? ('userId' in draft ? draft.userId : undefined);
    if (userId === undefined) {
      throw new MailwrightError(ErrorCodes.USER_NOT_FOUND, 'send() needs the sending user: pass { userId } or a draft from compose().', {
        fix: 'Call compose(message, userId) first, or pass options.userId.',
      });
    }
    const user = await requireUser(this.deps.users, userId);
    const from = draft.from === undefined ? userFromAddress(user) : parseAddress(draft.from, 'from');
    // A message the user must correct is reported before they are asked to choose a provider.
    const message = await this.validated(draft, from);
    const provider = await this.chooseProvider(user, options);
    return this.deliverNow(message, provider, { mode: 'interactive', user, meta: options.meta ?? {} });
  }

  /** Sends a test message with one provider and returns the classified result (also in history). */
  async sendTestEmail(options: TestEmailOptions): Promise<TestEmailResult> {
    const provider = this.deps.providers.get(options.provider);
    const user = options.userId === undefined ? undefined : await requireUser(this.deps.users, options.userId);
    const from = await this.testFrom(options, provider, user);
    const message: MessageInput = {
      to: options.to,
      subject: `mailwright test email (${provider.displayName})`,
      text: `This is a test email sent by mailwright with the provider "${provider.id}" to check its settings.\nNo action is needed.`,
    };
    try {
      const result = await this.sendNow(message, provider, from, {
        mode: user === undefined ? 'batch' : 'interactive',
        ...(user !== undefined ? { user } : {}),
        meta: { testEmail: true },
      });
      return { ok: true, providerId: provider.id, ...result };
    } catch (error) {
      const emailId = error instanceof MailwrightError ? error.details.emailId : undefined;
      if (error instanceof MailwrightError && error.failure !== undefined && typeof emailId === 'string') {
        return { ok: false, emailId, providerId: provider.id, failure: error.failure };
      }
      throw error;
    }
  }

  private async testFrom(options: TestEmailOptions, provider: Provider, user: DirectoryUser | undefined): Promise<Address> {
    if (options.from !== undefined) return parseAddress(options.from, 'from');
    if (user !== undefined) return userFromAddress(user);
    const mailbox = await provider.mailbox?.();
    if (mailbox !== undefined) return mailbox;
    throw new MailwrightError(ErrorCodes.INVALID_ADDRESS, `The provider "${provider.id}" has no mailbox address to send the test email from.`, {
      fix: 'Pass { from } or { userId } to sendTestEmail(), or set the provider mailbox.',
      details: { field: 'from' },
    });
  }

  /**
   * Validates, checks the size limit, records and sends one email now with a
   * given provider and From (used by `send()`, `sendTestEmail()` and record
   * forwarding). Throws the classified MailwrightError (with `details.emailId`)
   * when the provider fails; the history has the failure either way.
   */
  async sendNow(input: MessageInput, provider: Provider, from: Address, context: ImmediateSendContext): Promise<SendResult> {
    return this.deliverNow(await this.validated(input, from), provider, context);
  }

  /** The message checked and normalized, with this From (typed input errors; nothing recorded). */
  private validated(input: MessageInput, from: Address): Promise<EmailMessage> {
    return validateMessage(input, {
      from,
      messageIdDomain: this.deps.messageIdDomain ?? domainOf(from.address),
      now: this.deps.clock.now().toJSDate(),
      ...(this.deps.attachmentRoot !== undefined ? { attachmentRoot: this.deps.attachmentRoot } : {}),
    });
  }

  /** {@link ImmediateSender.sendNow} for a message already validated. */
  private async deliverNow(checked: EmailMessage, provider: Provider, context: ImmediateSendContext): Promise<SendResult> {
    const { store, clock, parameters } = this.deps;
    // A provider that cannot say its mailbox fails this email like a delivery would: recorded, then thrown.
    const { identity, failed } = await attemptIdentity(clock, checked.from, provider, { mode: context.mode, ...(context.user ? { user: context.user } : {}) });
    const message = identity.sender === undefined ? checked : { ...checked, sender: identity.sender };
    const sizeBytes = await assertWithinSizeLimit(message, (await parameters.get()).attachmentSizeLimitBytes);
    const record = await store.insertEmail(
      newEmailRecord(message, clock, {
        status: 'sending',
        mode: context.mode,
        providerId: provider.id,
        sizeBytes,
        ...(context.user ? { userId: context.user.id } : {}),
        meta: context.meta,
      }),
    );
    const outcome =
      failed ??
      (await deliverAttempt(this.deps, provider, message, { mode: context.mode, emailId: record.id, attempt: 1, ...(context.user ? { user: context.user } : {}) }));
    const attempt = {
      emailId: record.id,
      attempt: 1,
      providerId: provider.id,
      startedAt: outcome.startedAt,
      finishedAt: outcome.finishedAt,
      outcome: outcome.ok ? outcome.receipt.status : ('failed' as const),
      ...(outcome.ok ? {} : { failure: outcome.failure }),
      ...attemptTranscript(outcome),
    };
    const observed = { emailId: record.id, providerId: provider.id, attempt: 1, mode: context.mode };
    if (!outcome.ok) {
      await store.finishAttempt(record.id, { status: 'failed', attempts: 1, failure: outcome.failure, ...failurePatch(record, outcome) }, attempt);
      this.deps.observer.failed({ ...observed, failure: outcome.failure });
      outcome.error.details.emailId = record.id;
      throw outcome.error.failure === undefined ? Object.assign(outcome.error, { failure: outcome.failure }) : outcome.error;
    }
    await store.finishAttempt(record.id, { ...successPatch(record, outcome), attempts: 1 }, attempt);
    this.deps.observer.sent({ ...observed, forced: false }, outcome.receipt.response);
    return { emailId: record.id, status: outcome.receipt.status, receipt: outcome.receipt };
  }

  private async chooseProvider(user: DirectoryUser, options: SendOptions): Promise<Provider> {
    const { providers, users } = this.deps;
    const choices = providers.interactiveChoices(user.external === true);
    const offered = (id: string): boolean => choices.some((choice) => choice.id === id);
    // A stored choice the user could not make today (a provider since removed, no longer
    // interactive, or Exchange for an external user) is no choice: the user is asked again.
    const stored = user.options?.providerId?.trim() || undefined;
    const chosen = options.provider ?? (stored !== undefined && offered(stored) ? stored : undefined);
    if (chosen === undefined) throw new ProviderSelectionRequired(user.id, choices);
    const provider = providers.get(chosen);
    if (!provider.interactive) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_ALLOWED, `The provider "${provider.id}" cannot be used for interactive sending.`, {
        fix: `Choose one of: ${choices.map((c) => c.id).join(', ')}.`,
        details: { providerId: provider.id },
      });
    }
    if (options.provider !== undefined && options.rememberChoice === true && offered(provider.id)) {
      await users.updateOptions(user.id, { providerId: provider.id, doNotAskAgain: true });
    }
    return provider;
  }
}

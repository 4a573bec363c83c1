import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../errors/mailwright-error.js';
import type { Clock } from '../clock/clock.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { toIso } from '../clock/clock.js';
import { domainOf, formatAddress, parseAddressList } from '../message/address.js';
import { attachmentSize } from '../message/encode-message.js';
import type { Address, Attachment, MessageInput } from '../message/message.js';
import { newMessageId } from '../message/message-id.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import type { EnqueueOptions } from '../queue/enqueue-options.js';
import type { ImmediateSender } from '../send/immediate-sender.js';
import type { SendResult } from '../send/send-result.js';
import type { Store } from '../store/store.js';
import type { TemplateCatalog } from '../templates/template-catalog.js';
import { requireUser } from '../users/require-user.js';
import { userFromAddress } from '../users/sender-identity.js';
import type { UserDirectory } from '../users/user-directory.js';
import { DEFAULT_FORWARD_THEME_ID } from './default-forward-theme.js';
import type { ForwardEventEmitter } from './forward-events.js';
import { forwardHeaders } from './forward-headers.js';
import { forwardingMac } from './forwarding-key.js';
import { MARK_HEADER, writeMark } from './forwarding-mark.js';
import type { ForwardableRecord } from './forwardable-record.js';
import { checkForwardOptions, type ForwardRecordOptions } from './forward-record-options.js';
import { retryThroughQueue, type QueuedRetryDeps, type RetryDecision } from './queued-forward-retry.js';
import type { RecordJournal } from './record-journal.js';

/** What a forward did. */
export interface ForwardResult {
  /** The history id of the forwarded email; for `queued`, of the queued email that makes the next attempts. */
  emailId: string;
  /**
   * `sent`; `exported` when the provider writes a file instead of sending; `queued` when the
   * first attempt failed temporarily and the queue tries again (the journal shows each attempt).
   */
  status: 'sent' | 'exported' | 'queued';
  /** The forward theme (template) id used. */
  themeId: string;
  /** Attachments sent as links (oversize: 'link'), else empty. */
  linkedAttachments: string[];
  /** `queued`: the temporary failure of the first attempt. */
  failure?: FailureDetail;
}

/** Record forwarding configuration: the one default outbound mailbox. */
export interface ForwardingConfig {
  /** The provider of the default outbound mailbox (not chosen per call). */
  providerId: string;
  /** Where notes, timeline entries and errors are written. */
  journal: RecordJournal;
  /**
   * Try a forward whose first attempt failed temporarily (421, 4.x.x, a connection error)
   * again through the batch queue, when the batch provider is the outbound mailbox's.
   * @default true
   */
  retryTemporaryFailures?: boolean;
}

/** Dependencies of {@link RecordForwarder}. */
export interface RecordForwarderDeps {
  clock: Clock;
  users: UserDirectory;
  providers: ProviderRegistry;
  templates: TemplateCatalog;
  sender: ImmediateSender;
  events: ForwardEventEmitter;
  config: ForwardingConfig;
  /** Where the organization's forwarding key is kept (the forward's signed mark). */
  store: Pick<Store, 'getSetting' | 'putSetting'>;
  /** Domain of the forward's Message-ID. @default the From address's domain */
  messageIdDomain?: string;
  /** The email parameters (the batch provider decides whether a temporary failure goes to the queue). */
  parameters: Pick<ParametersService, 'get'>;
  /** Queues a forward to try again. */
  enqueue(message: MessageInput, options: EnqueueOptions): Promise<string>;
}

interface AttachmentLink {
  filename: string;
  url: string;
  size: string;
}

const sizeLabel = (bytes: number): string => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/**
 * Forwards a record (case, ticket) to third parties through the default
 * outbound mailbox, From the agent, with every attachment, laid out by a forward
 * theme. Writes the forwarded body as a note and each recipient to the
 * record's timeline; a failure is written to the journal with its explanation,
 * fix and transcript. Nothing here triggers the host's automation rules.
 */
export class RecordForwarder {
  constructor(private readonly deps: RecordForwarderDeps) {}

  /** Sends the forward now and writes it to the record's journal; a delivery failure is journaled, then thrown. */
  async forward(options: ForwardRecordOptions): Promise<ForwardResult> {
    checkForwardOptions(options);
    const { record } = options;
    const agent = await requireUser(this.deps.users, options.agentUserId);
    const provider = this.deps.providers.get(this.deps.config.providerId);
    const themeId = options.theme ?? DEFAULT_FORWARD_THEME_ID;
    const to = parseAddressList(options.to, 'to');
    const cc = parseAddressList(options.cc, 'cc');
    const language = options.language ?? agent.options?.language;
    const agentAddress = userFromAddress(agent);

    const compose = async (attachments: Attachment[], links: AttachmentLink[]): Promise<{ input: MessageInput; text: string; from: Address }> => {
      const content = await this.deps.templates.renderContent(themeId, {
        ...(language !== undefined ? { language } : {}),
        ...(options.organizationId !== undefined ? { organizationId: options.organizationId } : {}),
        data: {
          record: { id: record.id, subject: record.subject, conversation: record.conversation },
          comment: options.comment ?? '',
          agent: { name: agentAddress.name ?? '', email: agentAddress.address },
          links,
        },
      });
      const from = content.template.fromMailbox === true ? await this.mailbox() : agentAddress;
      // Signed for this Message-ID, so the organization's own inbound processing knows its record forward (no inbox rules run on it).
      const messageId = newMessageId(this.deps.messageIdDomain ?? domainOf(from.address));
      const mark = writeMark(await forwardingMac(this.deps.store), Math.floor(this.deps.clock.now().toSeconds()), { messageId, recordId: record.id });
      const input: MessageInput = {
        to,
        cc,
        subject: content.subject,
        ...(content.html !== undefined ? { html: content.html } : {}),
        ...(content.text !== undefined ? { text: content.text } : {}),
        headers: { ...forwardHeaders(record.id), [MARK_HEADER]: mark },
        attachments,
        messageId,
      };
      return { input, text: content.text ?? content.html ?? '', from };
    };

    const context = { mode: 'batch' as const, user: agent, meta: { recordId: record.id, themeId, forward: true } };
    let composed = await compose(record.attachments, []);
    let linkedAttachments: string[] = [];
    let result: SendResult;
    try {
      try {
        result = await this.deps.sender.sendNow(composed.input, provider, composed.from, context);
      } catch (error) {
        if (!isMailwrightError(error, ErrorCodes.ATTACHMENT_TOO_LARGE) || options.oversize !== 'link') throw error;
        const links = await this.links(record);
        linkedAttachments = links.map((l) => l.filename);
        composed = await compose([], links);
        result = await this.deps.sender.sendNow(composed.input, provider, composed.from, context);
      }
    } catch (error) {
      const headers = {
        From: formatAddress(composed.from),
        To: to.map(formatAddress).join(', '),
        ...(cc.length > 0 ? { Cc: cc.map(formatAddress).join(', ') } : {}),
        Subject: composed.input.subject,
        ...composed.input.headers,
      };
      return this.afterFailure(error, { record, themeId, composed, headers, linkedAttachments });
    }

    const at = toIso(this.deps.clock.now());
    const { emailId } = result;
    await this.deps.config.journal.append({ kind: 'note', recordId: record.id, emailId, text: composed.text, themeId, triggersAutomation: false, at });
    for (const [role, list] of [['to', to], ['cc', cc]] as const) {
      for (const recipient of list) {
        await this.deps.config.journal.append({ kind: 'timeline', recordId: record.id, emailId, recipient: { ...recipient, role }, triggersAutomation: false, at });
      }
    }
    this.deps.events.emit('forwarded', { recordId: record.id, emailId, recipients: [...to, ...cc].map((a) => a.address), themeId, triggersAutomation: false });
    return { emailId, status: result.status, themeId, linkedAttachments };
  }

  /**
   * A failed first attempt: journaled with what happens next; a temporary failure is tried
   * again through the queue when it can be (the forward is then `queued`), else thrown.
   */
  private async afterFailure(
    error: unknown,
    attempt: { record: ForwardableRecord; themeId: string; composed: { input: MessageInput; text: string; from: Address }; headers: Record<string, string>; linkedAttachments: string[] },
  ): Promise<ForwardResult> {
    const { record, themeId, composed, headers, linkedAttachments } = attempt;
    const emailId = isMailwrightError(error) ? error.details.emailId : undefined;
    if (!isMailwrightError(error) || error.failure === undefined || typeof emailId !== 'string') throw error;
    const { failure } = error;
    const next: RetryDecision = failure.permanent
      ? { retry: 'will not be retried' }
      : await retryThroughQueue(this.retryDeps(), { message: composed.input, from: composed.from, recordId: record.id, themeId, emailId, failure, facts: { note: composed.text, headers } });
    const retryEmailId = next.emailId !== undefined ? { retryEmailId: next.emailId } : {};
    const at = toIso(this.deps.clock.now());
    await this.deps.config.journal.append({ kind: 'error', recordId: record.id, emailId, themeId, failure, headers, attempt: 1, retry: next.retry, ...retryEmailId, triggersAutomation: false, at });
    this.deps.events.emit('forward-failed', { recordId: record.id, emailId, failure, attempt: 1, willRetry: next.emailId !== undefined, triggersAutomation: false });
    if (next.emailId === undefined) throw error;
    return { emailId: next.emailId, status: 'queued', themeId, linkedAttachments, failure };
  }

  private retryDeps(): QueuedRetryDeps {
    const { clock, parameters, config } = this.deps;
    return {
      clock,
      parameters,
      enqueue: (message, options) => this.deps.enqueue(message, options),
      providerId: config.providerId,
      ...(config.retryTemporaryFailures !== undefined ? { retryTemporaryFailures: config.retryTemporaryFailures } : {}),
    };
  }

  private async mailbox(): Promise<Address> {
    const mailbox = await this.deps.providers.get(this.deps.config.providerId).mailbox?.({ mode: 'batch' });
    if (mailbox !== undefined) return mailbox;
    throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, `The forward theme sends From the outbound mailbox, but the provider "${this.deps.config.providerId}" has no mailbox address.`, {
      fix: 'Set the provider\'s mailbox address, or use a theme that sends From the agent.',
      details: { providerId: this.deps.config.providerId },
    });
  }

  private async links(record: ForwardableRecord): Promise<AttachmentLink[]> {
    const link = record.attachmentLink?.bind(record);
    if (link === undefined) {
      throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `The record "${record.id}" provides no attachment links, so the oversize "link" policy cannot be used.`, {
        fix: 'Implement attachmentLink(attachment) on the record, or use oversize: "refuse" and remove attachments.',
        details: { recordId: record.id },
      });
    }
    return Promise.all(record.attachments.map(async (a) => ({ filename: a.filename, url: await link(a), size: sizeLabel(await attachmentSize(a)) })));
  }
}

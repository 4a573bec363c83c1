import type { Clock } from '../../clock/clock.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import type { FailureDetail } from '../../errors/failure-detail.js';
import { explainFailure } from '../../errors/explain-failure.js';
import { isMailwrightError, MailwrightError } from '../../errors/mailwright-error.js';
import { domainOf, formatAddress, parseAddress } from '../../message/address.js';
import type { Address, EmailMessage, MessageInput } from '../../message/message.js';
import { newMessageId } from '../../message/message-id.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import type { EnqueueOptions } from '../../queue/enqueue-options.js';
import { toDeliveryFailure } from '../../send/delivery-failure.js';
import { newEmailRecord } from '../../send/new-email-record.js';
import type { EmailStatus } from '../../store/email-record.js';
import type { Store } from '../../store/store.js';
import type { ForwardEventEmitter } from '../forward-events.js';
import { forwardingMac, type ForwardingMac } from '../forwarding-key.js';
import { hopToken, MARK_HEADER, readMark, writeMark } from '../forwarding-mark.js';
import { AUTO_FORWARDED_HEADER, autoForwardMessage, INBOX_RULES_LOOP_HEADER, type ForwardEnvelope } from './auto-forward-message.js';
import { writableMessageId } from './clean-inbound.js';
import { mailboxKey, type ForwardingPolicy } from './forwarding-policy.js';
import { findMailbox, type ForwardingPolicyService } from './forwarding-policy-service.js';
import { parseInboundEmail, type InboundEmail } from './inbound-email.js';
import { planForwards, recipientVerdict, type BlockedRecipients, type ForwardingPlan, type ForwardSource, type ForwardStyle, type MarkFacts, type PlannedForward } from './plan-forwards.js';
import { srsAddress } from './srs.js';

/** A message that arrived in a mailbox. */
export interface InboundDelivery {
  /** The mailbox it arrived in. */
  mailbox: string;
  /** The message as received (RFC 5322 bytes). */
  message: Buffer | string;
}

const DELIVERY_FIELDS = optionNames<InboundDelivery>({ mailbox: true, message: true });

/** Refuses a delivery without its message (or with a misspelt field): it would be "kept, nothing forwarded" without a look. */
function checkDelivery(delivery: InboundDelivery): void {
  if (typeof delivery !== 'object' || delivery === null) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'processInbound() and previewInbound() take { mailbox, message }.', {
      fix: 'Pass the mailbox the message arrived in and the message as received (RFC 5322 bytes).',
      details: { field: 'delivery' },
    });
  }
  refuseUnknownOptions(delivery, DELIVERY_FIELDS, 'inbound delivery', { code: ErrorCodes.INVALID_MESSAGE, noun: 'field' });
  const { message } = delivery;
  if (!(typeof message === 'string' || Buffer.isBuffer(message)) || message.length === 0) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'The inbound delivery has no message.', {
      fix: 'Pass the message as received (RFC 5322 bytes, a Buffer or string) as `message`, with the `mailbox` it arrived in.',
      details: { field: 'message' },
    });
  }
}

/** What happened to one automatic forward. */
export interface AutoForwardOutcome {
  /** What asked for the forward (mailbox forwarding or an inbox rule). */
  source: ForwardSource;
  /** How the forward is made (redirect, forward or forward as attachment). */
  style: ForwardStyle;
  /** Stamped as automatically forwarded (remote domain policy applies). */
  stamped: boolean;
  /** queued: in the batch queue; blocked: stopped by the policy; failed: refused before queuing (too large…). */
  status: Extract<EmailStatus, 'queued' | 'blocked' | 'failed'>;
  /** Its history record. */
  emailId: string;
  /** Its recipients, formatted as in headers (`Name <address>`). */
  recipients: string[];
  /** Why it was blocked or failed. */
  reason?: string;
}

/** What the forwarding policy did with one received message. */
export interface InboundResult {
  /** The address of the mailbox the message arrived in. */
  mailbox: string;
  /** Keep the message in the mailbox (false only when it was forwarded without DeliverToMailboxAndForward). */
  deliverToMailbox: boolean;
  /** One outcome per forward queued, blocked or failed; empty when nothing forwards. */
  forwards: AutoForwardOutcome[];
}

/** Dependencies of {@link AutoForwarder}. */
export interface AutoForwarderDeps {
  policy: ForwardingPolicyService;
  store: Pick<Store, 'findByIdempotencyKey' | 'insertEmail' | 'getSetting' | 'putSetting'>;
  clock: Clock;
  enqueue(message: MessageInput, options: EnqueueOptions): Promise<string>;
  events: ForwardEventEmitter;
}

const sourceKey = (source: ForwardSource): string =>
  source.kind === 'inbox-rule' ? `rule:${source.rule}` : source.kind === 'forwarding-contact' ? `contact:${source.contactId}` : 'smtp';

/** What the forwards of one received message share. */
interface Forwarding {
  policy: ForwardingPolicy;
  inbound: InboundEmail;
  mailbox: Address;
  mac: ForwardingMac;
  /** The hops the forwards' marks carry: the trusted ones of the message, this mailbox's added. */
  hops: string[];
}

/** The recipients of one forward split by whether they are inside the organization (accepted domains): each group is its own email. */
function byOrganization(recipients: readonly Address[], policy: ForwardingPolicy): { internal: boolean; to: Address[] }[] {
  const internal = recipients.filter((r) => recipientVerdict(r.address, policy).internal);
  const external = recipients.filter((r) => !internal.includes(r));
  return [
    { internal: true, to: internal },
    { internal: false, to: external },
  ].filter((group) => group.to.length > 0);
}

/**
 * Applies the forwarding policy to messages that arrive in the host's
 * mailboxes. Forwards go through the batch queue (throttled, retried,
 * persisted); a forward the policy stops is recorded in the history as
 * `blocked` with the reason, never dropped. Processing the same message again
 * queues and records nothing new (idempotency keys from its Message-ID).
 *
 * Only the organization's own signed mark (`X-Mailwright-Mark`) says whether a message
 * already went round or is a record forward; the other headers of a received message,
 * forged or not, decide nothing and are not copied. Exchange's internal headers
 * (`X-MS-Exchange-Organization-AutoForwarded`, `X-MS-Exchange-Inbox-Rules-Loop`) go
 * only to recipients inside the organization.
 */
export class AutoForwarder {
  constructor(private readonly deps: AutoForwarderDeps) {}

  /** Applies the forwarding policy to a received message: queues its forwards, records blocked ones, says whether to keep it. */
  async process(delivery: InboundDelivery): Promise<InboundResult> {
    const prepared = await this.prepare(delivery, true);
    if (prepared === undefined) return { mailbox: delivery.mailbox, deliverToMailbox: true, forwards: [] };
    const { settings, plan, mark, forwarding } = prepared;
    const { mailbox } = forwarding;
    const forwards = await this.carryOut(plan.forwards, forwarding);
    const result = { mailbox: mailbox.address, deliverToMailbox: plan.deliverToMailbox, forwards };
    if (plan.deliverToMailbox || forwards.some((f) => f.status === 'queued') || !forwards.some((f) => f.status === 'failed')) return result;
    // The mailbox forward could not even be queued (too large…): the message stays, and its inbox rules run as on any kept message.
    const rules = planForwards({ policy: forwarding.policy, mailbox: { ...settings, forwardingSmtpAddress: undefined, forwardingContactId: undefined }, message: forwarding.inbound, mark });
    return { ...result, deliverToMailbox: true, forwards: [...forwards, ...(await this.carryOut(rules.forwards, forwarding))] };
  }

  /** What the policy would do with the message, without queuing or recording anything (an administrator's dry run). */
  async preview(delivery: InboundDelivery): Promise<ForwardingPlan & { mailbox: string }> {
    const prepared = await this.prepare(delivery, false);
    return prepared === undefined ? { mailbox: delivery.mailbox, deliverToMailbox: true, forwards: [] } : { mailbox: prepared.forwarding.mailbox.address, ...prepared.plan };
  }

  /** Parses the message and plans its forwards; `forwarding` makes the organization's key if it has none yet (a dry run does not). */
  private async prepare(delivery: InboundDelivery, forwarding: boolean) {
    checkDelivery(delivery);
    const policy = await this.deps.policy.get();
    const settings = findMailbox(policy, delivery.mailbox);
    if (settings === undefined) return undefined;
    const inbound = await parseInboundEmail(delivery.message, policy.inbound);
    const mac = await forwardingMac(this.deps.store, { create: forwarding });
    const trusted = readMark(mac, this.nowSeconds(), inbound.marks, inbound.messageId);
    const token = hopToken(mac, mailboxKey(settings.address));
    const mark: MarkFacts = { alreadyForwarded: trusted.hops.includes(token), hops: trusted.hops.length, recordForward: trusted.recordId !== undefined };
    const contactId = settings.forwardingContactId;
    const contact = contactId === undefined ? undefined : ((await this.deps.policy.resolveContact(contactId)) ?? null);
    const plan = planForwards({ policy, mailbox: settings, message: inbound, mark, ...(contact !== undefined ? { contact } : {}) });
    const parsed = parseAddress(settings.address, 'mailbox');
    const mailbox: Address = settings.displayName === undefined ? parsed : { name: settings.displayName, address: parsed.address };
    return { settings, plan, mark, forwarding: { policy, inbound, mailbox, mac, hops: [...trusted.hops, token] } satisfies Forwarding };
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().toSeconds());
  }

  /** Queues each planned forward to its allowed recipients (one email inside the organization, one outside), and records its blocked ones. */
  private async carryOut(planned: readonly PlannedForward[], forwarding: Forwarding): Promise<AutoForwardOutcome[]> {
    const { inbound, mailbox, policy } = forwarding;
    const forwards: AutoForwardOutcome[] = [];
    for (const forward of planned) {
      const key = `auto-forward:${mailbox.address.toLowerCase()}:${inbound.identity}:${inbound.digest}:${sourceKey(forward.source)}:${forward.style}`;
      const groups = byOrganization(forward.to, policy);
      for (const group of groups) {
        forwards.push(await this.queue(forward, group, forwarding, groups.length > 1 ? `${key}:${group.internal ? 'internal' : 'external'}` : key));
      }
      for (const [index, blocked] of forward.blocked.entries()) forwards.push(await this.block(forward, blocked, inbound, mailbox, `${key}:blocked:${index}`));
    }
    return forwards;
  }

  /**
   * The Message-ID, headers and envelope of a forward to one group of recipients: the signed
   * mark always; Exchange's own stamp and loop header only inside the organization; for a
   * redirect, the Sender and envelope sender the policy asks for (SRS only outside).
   */
  private envelope(forward: PlannedForward, internal: boolean, { policy, inbound, mailbox, mac, hops }: Forwarding): ForwardEnvelope {
    const now = this.nowSeconds();
    const messageId = (forward.style === 'redirect' ? writableMessageId(inbound.messageId) : undefined) ?? newMessageId(domainOf(mailbox.address));
    const headers: Record<string, string> = { [MARK_HEADER]: writeMark(mac, now, { messageId, hops }) };
    if (forward.stamped && internal) {
      headers[AUTO_FORWARDED_HEADER] = 'true';
      headers[INBOX_RULES_LOOP_HEADER] = mailboxKey(mailbox.address);
    }
    if (forward.style !== 'redirect') return { messageId, headers };
    const original = inbound.returnPath ?? inbound.from?.address;
    const srs = policy.redirect.envelopeFrom === 'srs' && !internal && original !== undefined ? srsAddress(mac, now, original, domainOf(mailbox.address)) : undefined;
    const bounceTo: Address = srs !== undefined ? { address: srs } : { address: mailbox.address };
    return {
      messageId,
      headers,
      ...(policy.redirect.senderHeader === 'mailbox' ? { sender: mailbox } : {}),
      ...(policy.redirect.senderHeader === 'none' || srs !== undefined ? { envelopeFrom: bounceTo } : {}),
    };
  }

  private meta(forward: PlannedForward, mailbox: Address, inbound: InboundEmail, envelopeFrom?: Address): Record<string, unknown> {
    return {
      autoForward: {
        mailbox: mailbox.address,
        source: forward.source,
        style: forward.style,
        stamped: forward.stamped,
        original: inbound.identity,
        ...(envelopeFrom !== undefined ? { envelopeFrom: envelopeFrom.address } : {}),
      },
    };
  }

  private async queue(forward: PlannedForward, group: { internal: boolean; to: Address[] }, forwarding: Forwarding, key: string): Promise<AutoForwardOutcome> {
    const { inbound, mailbox } = forwarding;
    const outcome = { source: forward.source, style: forward.style, stamped: forward.stamped, recipients: group.to.map(formatAddress) };
    try {
      const envelope = this.envelope(forward, group.internal, forwarding);
      const message: MessageInput = autoForwardMessage(forward, group.to, inbound, mailbox, envelope);
      const emailId = await this.deps.enqueue(message, { idempotencyKey: key, meta: this.meta(forward, mailbox, inbound, envelope.envelopeFrom) });
      this.deps.events.emit('auto-forward-queued', { mailbox: mailbox.address, emailId, source: forward.source, style: forward.style, recipients: outcome.recipients });
      return { ...outcome, status: 'queued', emailId };
    } catch (error) {
      // A forward the message itself makes impossible (too large, unreadable address) is kept as failed; store errors are not caught.
      if (!isMailwrightError(error) || error.code === ErrorCodes.STORE_FAILED) throw error;
      const { failure } = toDeliveryFailure(error);
      const emailId = await this.record('failed', group.to, forward, inbound, mailbox, `${key}:failed`, { failure });
      return { ...outcome, status: 'failed', emailId, reason: error.message };
    }
  }

  private async block(forward: PlannedForward, blocked: BlockedRecipients, inbound: InboundEmail, mailbox: Address, key: string): Promise<AutoForwardOutcome> {
    const failure: FailureDetail = { ...explainFailure(new MailwrightError(blocked.code, blocked.reason, { fix: blocked.fix })), message: blocked.reason };
    const emailId = await this.record('blocked', blocked.recipients, forward, inbound, mailbox, key, { failure, blockedReason: blocked.reason });
    const recipients = blocked.recipients.map(formatAddress);
    this.deps.events.emit('auto-forward-blocked', { mailbox: mailbox.address, emailId, source: forward.source, reason: blocked.reason, recipients });
    return { source: forward.source, style: forward.style, stamped: forward.stamped, status: 'blocked', emailId, recipients, reason: blocked.reason };
  }

  /** Inserts a final history record (blocked, or failed before queuing) once per key. */
  private async record(
    status: 'blocked' | 'failed',
    recipients: Address[],
    forward: PlannedForward,
    inbound: InboundEmail,
    mailbox: Address,
    key: string,
    facts: { failure: FailureDetail; blockedReason?: string },
  ): Promise<string> {
    const existing = await this.deps.store.findByIdempotencyKey(key);
    if (existing !== undefined) return existing.id;
    const { clock } = this.deps;
    const message: EmailMessage = {
      from: forward.style === 'redirect' ? (inbound.from ?? mailbox) : mailbox,
      replyTo: [],
      to: recipients,
      cc: [],
      bcc: [],
      subject: inbound.subject,
      headers: {},
      attachments: [],
      messageId: inbound.messageId ?? newMessageId(domainOf(mailbox.address)),
      date: clock.now().toJSDate(),
    };
    const record = newEmailRecord(message, clock, {
      status,
      mode: 'batch',
      providerId: null,
      sizeBytes: inbound.raw.length,
      idempotencyKey: key,
      meta: this.meta(forward, mailbox, inbound),
    });
    return (await this.deps.store.insertEmail({ ...record, ...facts })).id;
  }
}

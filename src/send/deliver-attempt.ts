import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { isMailwrightError, type MailwrightError } from '../errors/mailwright-error.js';
import type { Logger } from '../logger.js';
import type { SendObserver } from '../observe/send-observer.js';
import type { Address, EmailMessage } from '../message/message.js';
import type { MailboxContext, Provider, RecipientResult, SendContext, SendReceipt } from '../providers/provider.js';
import type { EmailPatch, EmailRecord, RecipientRecord } from '../store/email-record.js';
import type { Store } from '../store/store.js';
import { applySenderMode, type SenderIdentity } from '../users/sender-identity.js';
import { toDeliveryFailure, type DeliveryFailure } from './delivery-failure.js';

/** What a delivery attempt needs. */
export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Spans, latency, events and logs of each attempt and outcome. */
  observer: SendObserver;
}

/** The redacted transcript of an attempt, from its receipt or its failure, as attempt-log fields. */
export function attemptTranscript(outcome: AttemptOutcome): { transcript?: string } {
  const transcript = outcome.ok ? outcome.receipt.transcript : outcome.failure.transcript;
  return transcript === undefined ? {} : { transcript };
}

/** Result of one attempt: the receipt, or the classified failure. */
export type AttemptOutcome =
  | { ok: true; receipt: SendReceipt; startedAt: string; finishedAt: string }
  | ({ ok: false; startedAt: string; finishedAt: string } & DeliveryFailure);

/**
 * The sender identity of an attempt: Send On Behalf asks the provider for its mailbox. When
 * the provider cannot answer (its stored settings unreadable, say), the attempt fails without
 * a send: `failed` is its outcome, and `identity` is the From alone.
 */
export async function attemptIdentity(
  clock: Clock,
  from: Address,
  provider: Provider,
  context?: MailboxContext,
): Promise<{ identity: SenderIdentity; failed?: AttemptOutcome }> {
  try {
    return { identity: await applySenderMode(from, provider, context) };
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    const at = toIso(clock.now());
    return { identity: { from }, failed: { ok: false, ...toDeliveryFailure(error), startedAt: at, finishedAt: at } };
  }
}

/**
 * Calls the provider once for a record and returns the outcome. The caller
 * (interactive send or the distributor) decides the record's next status and
 * writes the attempt log — this function never throws for delivery failures.
 * The attempt is observed: the `sending` event, and its span and latency.
 */
export async function deliverAttempt(
  deps: DeliveryDeps,
  provider: Provider,
  message: EmailMessage,
  context: SendContext,
): Promise<AttemptOutcome> {
  const started = deps.clock.now();
  const span = deps.observer.attemptStarted({ emailId: context.emailId, providerId: provider.id, attempt: context.attempt, mode: context.mode }, started.toMillis());
  let outcome: AttemptOutcome;
  try {
    const receipt = await span.run(() => provider.send(message, context));
    outcome = { ok: true, receipt, startedAt: toIso(started), finishedAt: toIso(deps.clock.now()) };
  } catch (thrown) {
    outcome = { ok: false, ...toDeliveryFailure(thrown), startedAt: toIso(started), finishedAt: toIso(deps.clock.now()) };
  }
  span.end(outcome, Date.parse(outcome.finishedAt));
  return outcome;
}

/**
 * The recipients after an attempt: each one the server answered for gets that answer
 * (status, code, reply; an accepted one loses the reply of an earlier refusal); the
 * others are `accepted` after a delivery (`unmentioned: 'accepted'`), else left as they were.
 */
export function mergeRecipientResults(recipients: readonly RecipientRecord[], results: readonly RecipientResult[], unmentioned: 'accepted' | 'unchanged'): RecipientRecord[] {
  const byAddress = new Map(results.map((r) => [r.address.toLowerCase(), r]));
  return recipients.map((recipient) => {
    const result = byAddress.get(recipient.address.toLowerCase());
    if (result === undefined && unmentioned === 'unchanged') return recipient;
    const { smtpCode: _code, enhancedCode: _enhanced, response: _response, ...base } = recipient;
    if (result === undefined) return { ...base, status: 'accepted' };
    return {
      ...base,
      status: result.status,
      ...(result.smtpCode !== undefined ? { smtpCode: result.smtpCode } : {}),
      ...(result.enhancedCode !== undefined ? { enhancedCode: result.enhancedCode } : {}),
      ...(result.response !== undefined ? { response: result.response } : {}),
    };
  });
}

/** The per-recipient answers a failed attempt carries (`details.recipients`, e.g. SMTP refusals), or none. */
function failureRecipients(error: MailwrightError): RecipientResult[] {
  const given = error.details.recipients;
  return Array.isArray(given) ? given.filter((r): r is RecipientResult => typeof (r as RecipientResult | null)?.address === 'string' && ((r as RecipientResult).status === 'rejected' || (r as RecipientResult).status === 'accepted')) : [];
}

/** The record fields a failed attempt changes besides its status: the recipients the server refused, with their codes and replies. */
export function failurePatch(record: Pick<EmailRecord, 'recipients'>, outcome: Extract<AttemptOutcome, { ok: false }>): Pick<EmailPatch, 'recipients'> {
  const results = failureRecipients(outcome.error);
  return results.length === 0 ? {} : { recipients: mergeRecipientResults(record.recipients, results, 'unchanged') };
}

/** The record fields to write after a successful attempt. */
export function successPatch(record: EmailRecord, outcome: Extract<AttemptOutcome, { ok: true }>): Partial<EmailRecord> {
  const { receipt } = outcome;
  return {
    status: receipt.status,
    recipients: mergeRecipientResults(record.recipients, receipt.recipients, receipt.status === 'sent' ? 'accepted' : 'unchanged'),
    sentAt: outcome.finishedAt,
    failure: undefined,
    leaseOwner: undefined,
    leaseExpiresAt: undefined,
    ...(receipt.sizeBytes !== undefined ? { sizeBytes: receipt.sizeBytes } : {}),
    ...(receipt.response !== undefined ? { response: receipt.response } : {}),
    ...(receipt.providerMessageId !== undefined ? { providerMessageId: receipt.providerMessageId } : {}),
    ...(receipt.artifact?.path !== undefined ? { exportPath: receipt.artifact.path } : {}),
  };
}

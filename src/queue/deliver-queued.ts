import { toIso } from '../clock/clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { isMailwrightError, type MailwrightError } from '../errors/mailwright-error.js';
import type { Provider } from '../providers/provider.js';
import { attemptIdentity, deliverAttempt, type AttemptOutcome, type DeliveryDeps } from '../send/deliver-attempt.js';
import { toDeliveryFailure } from '../send/delivery-failure.js';
import type { EmailMessage } from '../message/message.js';
import type { EmailRecord } from '../store/email-record.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { Delivered } from './outcome-recorder.js';
import { sendableMessage } from './sendable-message.js';

/**
 * Failures of the provider's own configuration (its stored settings unreadable, no settings,
 * no secret key): every other email would fail the same way, so they stop the run instead,
 * and the emails stay queued (like a missing batch provider) until the administrator fixes it.
 */
const RUN_STOPPING_CODES = new Set<string>([ErrorCodes.SECRET_UNREADABLE, ErrorCodes.SECRET_KEY_MISSING, ErrorCodes.SECRET_KEY_INVALID, ErrorCodes.PROVIDER_NOT_CONFIGURED]);

/** The error that stops the run, when an attempt failed for the provider's configuration. */
export function stoppingError(outcome: AttemptOutcome): MailwrightError | undefined {
  return !outcome.ok && RUN_STOPPING_CODES.has(outcome.error.code) ? outcome.error : undefined;
}

/** What {@link deliverQueued} needs. */
export interface DeliverQueuedDeps extends DeliveryDeps {
  users: UserDirectory;
}

/**
 * Sends one claimed email once with the provider, as its stored message says;
 * the outcome is stored by `OutcomeRecorder.record`. An email that cannot be sent
 * as stored (no message, a damaged one, an attachment file gone or grown over the
 * size limit; see `sendableMessage`), or whose provider cannot say its mailbox for
 * Send On Behalf (its stored settings unreadable, say), fails this attempt without a send.
 * @param sizeLimitBytes - the attachment size limit parameter now
 */
export async function deliverQueued(deps: DeliverQueuedDeps, record: EmailRecord, payload: string | undefined, provider: Provider, forced: boolean, sizeLimitBytes: number): Promise<Delivered> {
  const { observer, clock } = deps;
  const attempt = record.attempts + 1;
  let queued: EmailMessage;
  try {
    queued = await sendableMessage(record, payload, sizeLimitBytes);
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    const at = toIso(clock.now());
    return { record, attempt, forced, outcome: { ok: false, ...toDeliveryFailure(error), startedAt: at, finishedAt: at } };
  }
  const { identity, failed } = await attemptIdentity(clock, queued.from, provider);
  if (failed !== undefined) return { record, attempt, forced, outcome: failed };
  const message = identity.sender === undefined ? queued : { ...queued, sender: identity.sender };
  const user = record.userId === undefined ? undefined : await deps.users.getUser(record.userId);
  if (forced) observer.forced({ emailId: record.id, providerId: provider.id, deferrals: record.deferrals });
  const outcome = await deliverAttempt(deps, provider, message, {
    mode: 'batch',
    emailId: record.id,
    attempt,
    ...(user ? { user } : {}),
    ...(await previousFailure(deps, record)),
  });
  return { record, attempt, forced, outcome };
}

/**
 * The failure of the email's last attempt, for the provider: the record's, or for an email an
 * administrator queued again (`history.retry` clears it) the last one in its attempt log.
 */
async function previousFailure(deps: DeliverQueuedDeps, record: EmailRecord): Promise<{ previousFailure?: FailureDetail }> {
  if (record.failure !== undefined) return { previousFailure: record.failure };
  if (record.attempts === 0) return {};
  const failure = (await deps.store.listAttempts(record.id)).findLast((a) => a.failure !== undefined)?.failure;
  return failure === undefined ? {} : { previousFailure: failure };
}

import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import type { Address, MessageInput } from '../message/message.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import { retryDelayMs } from '../queue/backoff.js';
import type { EnqueueOptions } from '../queue/enqueue-options.js';

/** What a queued retry of a record forward keeps in its history meta, for the journal of its attempts. */
export interface QueuedForwardFacts {
  /** The forwarded body as sent (its text, else its HTML): the note written when an attempt succeeds. */
  note: string;
  /** The email's main headers as composed, for the journal's error entries. */
  headers: Record<string, string>;
}

/** The meta key that holds a queued record forward's {@link QueuedForwardFacts}. */
export const QUEUED_FORWARD_META = 'recordForward';

/** A record forward whose first attempt failed temporarily. */
export interface FailedForward {
  /** The forward's message as composed (with its Message-ID and mark) and its From. */
  message: MessageInput;
  from: Address;
  recordId: string;
  themeId: string;
  /** The history id of the failed first attempt. */
  emailId: string;
  failure: FailureDetail;
  facts: QueuedForwardFacts;
}

/** What happens after a temporary failure: the journal's words, and the queued email when there is one. */
export interface RetryDecision {
  retry: string;
  emailId?: string;
}

/** What {@link retryThroughQueue} needs. */
export interface QueuedRetryDeps {
  clock: Clock;
  parameters: Pick<ParametersService, 'get'>;
  enqueue(message: MessageInput, options: EnqueueOptions): Promise<string>;
  /** The outbound mailbox's provider. */
  providerId: string;
  /** @default true */
  retryTemporaryFailures?: boolean;
}

/**
 * Queues a record forward whose first attempt failed temporarily (421, 4.x.x, a
 * connection error) for the distributor: the same message (From, Message-ID, mark), due
 * after the queue's first back-off, tried up to `maxAttempts` more times with back-off.
 * Only when the batch queue sends with the outbound mailbox's provider (the forward must
 * go out through that mailbox) and `retryTemporaryFailures` is not off; otherwise says why.
 */
export async function retryThroughQueue(deps: QueuedRetryDeps, failed: FailedForward): Promise<RetryDecision> {
  if (deps.retryTemporaryFailures === false) return { retry: 'temporary failure: not tried again (retryTemporaryFailures is off); forward again later' };
  const batch = (await deps.parameters.get()).batchProviderId;
  if (batch !== deps.providerId) {
    const sends = batch === null ? 'no batch provider is set' : `the batch queue sends with "${batch}"`;
    return { retry: `temporary failure: not tried again, as ${sends}, not with the outbound mailbox "${deps.providerId}"; forward again later` };
  }
  const dueAt = toIso(deps.clock.now().plus({ milliseconds: retryDelayMs(1, {}, failed.failure.retryAfterSeconds) }));
  const emailId = await deps.enqueue(
    { ...failed.message, from: failed.from },
    {
      idempotencyKey: `record-forward-retry:${failed.emailId}`,
      sendAfter: dueAt,
      meta: { recordId: failed.recordId, themeId: failed.themeId, forward: true, retryOf: failed.emailId, [QUEUED_FORWARD_META]: failed.facts },
    },
  );
  return { retry: `temporary failure: tried again through the queue (email ${emailId}) from ${dueAt}`, emailId };
}

import type { Clock } from '../clock/clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { toIso } from '../clock/clock.js';
import type { Logger } from '../logger.js';
import type { SendObserver } from '../observe/send-observer.js';
import type { EmailParameters } from '../parameters/email-parameters.js';
import type { Provider } from '../providers/provider.js';
import { attemptTranscript, failurePatch, successPatch, type AttemptOutcome } from '../send/deliver-attempt.js';
import { retriesExhausted } from './retries-exhausted.js';
import type { EmailRecord } from '../store/email-record.js';
import type { AttemptCompletion, Store } from '../store/store.js';
import { AttemptWriter } from './attempt-writer.js';
import { retryDelayMs, type BackoffOptions } from './backoff.js';

/** One attempt made, not yet stored. */
export interface Delivered {
  record: EmailRecord;
  attempt: number;
  forced: boolean;
  outcome: AttemptOutcome;
}

/** What {@link OutcomeRecorder} needs. */
export interface OutcomeRecorderDeps {
  store: Pick<Store, 'finishAttempts'>;
  clock: Clock;
  logger: Logger;
  /** Events, counters and logs of each outcome. */
  observer: SendObserver;
  /** The distributor's worker id, the lease owner of the emails it records. */
  owner: string;
  backoff: BackoffOptions;
  /** Outcomes stored per transaction: above 1, they wait for each other or a {@link OutcomeRecorder.flush}. */
  groupSize: number;
}

/** Failures after which the email may have been delivered all the same: sent again, it may arrive twice. */
const MAYBE_DELIVERED = new Set<string>([ErrorCodes.SMTP_OUTCOME_UNKNOWN, ErrorCodes.SEND_OUTCOME_UNKNOWN]);

/** The patch fields of an email that is no longer being sent: no lease, no throttle slot (sentAt), not forced. */
const NOT_SENDING = { leaseOwner: undefined, leaseExpiresAt: undefined, sentAt: undefined, forced: false } as const;

/**
 * Turns a distributor's attempts into the emails' next state (sent, retrying
 * with back-off, failed), each with its attempt-log entry, through a group
 * commit, then reports it to the observer (event, counter, log). An outcome may wait for its
 * group (see `groupSize`). Deferrals are stored by `Store.reserveSends`.
 */
export class OutcomeRecorder {
  /** Group commit of finished attempts. */
  private readonly writer: AttemptWriter;

  constructor(private readonly deps: OutcomeRecorderDeps) {
    this.writer = new AttemptWriter(deps.store, deps.groupSize);
  }

  /** Stores a send attempt's outcome; says what became of the email. */
  async record({ record, attempt, forced, outcome }: Delivered, provider: Provider, params: EmailParameters): Promise<'sent' | 'failed' | 'retried'> {
    const { clock, observer } = this.deps;
    const base = { emailId: record.id, attempt, providerId: provider.id, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt, ...attemptTranscript(outcome) };

    if (outcome.ok) {
      await this.store({
        emailId: record.id,
        patch: { ...successPatch(record, outcome), providerId: provider.id, attempts: attempt, forced },
        attempt: { ...base, outcome: forced ? 'forced' : outcome.receipt.status },
      });
      observer.sent({ emailId: record.id, providerId: provider.id, attempt, forced, mode: 'batch' }, outcome.receipt.response);
      return 'sent';
    }
    // The recipients the server refused, and whether this attempt may have been delivered.
    const changes = { ...failurePatch(record, outcome), ...(MAYBE_DELIVERED.has(outcome.failure.code) ? { possibleDuplicate: true } : {}) };
    if (outcome.failure.permanent || attempt >= params.maxAttempts) {
      // A transient failure on the last allowed attempt: its fix no longer promises a retry.
      const failure = outcome.failure.permanent ? outcome.failure : retriesExhausted(outcome.failure, attempt, params.maxAttempts);
      await this.store({
        emailId: record.id,
        patch: { status: 'failed', providerId: provider.id, attempts: attempt, failure, ...changes, ...NOT_SENDING },
        attempt: { ...base, outcome: 'failed', failure },
      });
      observer.failed({ emailId: record.id, providerId: provider.id, attempt, failure, mode: 'batch' });
      return 'failed';
    }
    const { failure } = outcome;
    const dueAt = toIso(clock.now().plus({ milliseconds: retryDelayMs(attempt, this.deps.backoff, failure.retryAfterSeconds) }));
    await this.store({
      emailId: record.id,
      patch: { status: 'queued', providerId: provider.id, attempts: attempt, failure, dueAt, ...changes, ...NOT_SENDING },
      attempt: { ...base, outcome: 'retrying', failure },
    });
    observer.retrying({ emailId: record.id, providerId: provider.id, attempt, dueAt, failure });
    return 'retried';
  }

  /** Stores the outcomes waiting for their group now. */
  flush(): void {
    this.writer.flush();
  }

  /**
   * Stores an attempt through the group commit. If another worker has taken the
   * email over meanwhile, only the attempt is logged and the email's state is left
   * to that worker.
   */
  private async store(completion: Omit<AttemptCompletion, 'leaseOwner'>): Promise<void> {
    const applied = await this.writer.finish({ ...completion, leaseOwner: this.deps.owner });
    if (!applied) {
      this.deps.logger.warn({ emailId: completion.emailId }, 'another worker took this email over meanwhile; the attempt is logged and the email left to that worker');
    }
  }
}

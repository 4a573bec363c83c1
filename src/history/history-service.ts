import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { effectiveRetentionDays } from '../parameters/email-parameters.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import type { QueueEventEmitter } from '../queue/queue-events.js';
import type { AttemptRecord, EmailRecord } from '../store/email-record.js';
import type { HistoryPage, HistoryQuery } from '../store/history-query.js';
import type { Store } from '../store/store.js';

/** A history record with its delivery attempts. */
export interface EmailHistoryEntry extends EmailRecord {
  attemptLog: AttemptRecord[];
}

/** Result of a retention purge. */
export interface PurgeResult {
  deleted: number;
  /** Records finished before this instant were deleted. */
  cutoff: string;
  retentionDays: number;
}

/**
 * Why {@link HistoryService.retry} left an email as it was: no such email (or purged),
 * not failed, or failed without its message (sent interactively, a test email, or failed
 * before messages were kept for retries).
 */
export type RetrySkipReason = 'not-found' | 'not-failed' | 'message-not-kept';

/** Result of {@link HistoryService.retry}. */
export interface RetryResult {
  /** Emails queued again: due now, their attempts starting over. */
  requeued: string[];
  /** Emails left as they were, and why. */
  skipped: { id: string; reason: RetrySkipReason }[];
}

/** Read, retry and purge the email history. */
export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly parameters: ParametersService,
    private readonly clock: Clock,
    private readonly events: QueueEventEmitter,
  ) {}

  /** Newest first, filtered; page with `cursor`. */
  list(query: HistoryQuery = {}): Promise<HistoryPage> {
    return this.store.listEmails(query);
  }

  /** One email with its attempts, or undefined. */
  async get(id: string): Promise<EmailHistoryEntry | undefined> {
    const record = await this.store.getEmail(id);
    if (record === undefined) return undefined;
    return { ...record, attemptLog: await this.store.listAttempts(id) };
  }

  /**
   * Sends failed emails again, once the administrator has fixed the cause (granted Send As,
   * renewed a password, corrected the batch provider): each failed queued email whose message
   * is kept becomes queued, due now, for the distributor, with a fresh round of attempts
   * (`maxAttempts`) and deferrals; its attempt log keeps the earlier attempts and notes the
   * retry (outcome `requeued`). Emails sent interactively are not kept: their user sends them
   * again. A failed email keeps its message until the retention purge deletes it.
   */
  async retry(ids: readonly string[]): Promise<RetryResult> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, 'history.retry() takes an array of email ids.', {
        fix: 'Pass the ids of failed emails, e.g. from history.list({ status: "failed" }).',
        details: { field: 'ids' },
      });
    }
    const unique = [...new Set(ids)];
    const records = new Map((await Promise.all(unique.map((id) => this.store.getEmail(id)))).flatMap((r) => (r === undefined ? [] : [[r.id, r] as const])));
    const now = toIso(this.clock.now());
    const failed = [...records.values()].filter((r) => r.status === 'failed');
    const requeued = new Set(
      await this.store.requeueFailed(
        failed.map((r) => ({ emailId: r.id, attempt: r.attempts, providerId: r.providerId ?? '', startedAt: now, finishedAt: now, outcome: 'requeued' as const })),
        now,
      ),
    );
    const skipped = unique.flatMap((id): RetryResult['skipped'] => {
      if (requeued.has(id)) return [];
      const record = records.get(id);
      return [{ id, reason: record === undefined ? 'not-found' : record.status !== 'failed' ? 'not-failed' : 'message-not-kept' }];
    });
    for (const id of requeued) this.events.emit('queued', { emailId: id, priority: records.get(id)!.priority, dueAt: now });
    return { requeued: unique.filter((id) => requeued.has(id)), skipped };
  }

  /**
   * Deletes finished records older than the retention period
   * (history retention days; 0 means the default, 30). Waiting email is never purged.
   */
  async purgeExpired(): Promise<PurgeResult> {
    const retentionDays = effectiveRetentionDays(await this.parameters.get());
    const cutoff = toIso(this.clock.now().minus({ days: retentionDays }));
    const deleted = await this.store.purgeFinishedBefore(cutoff);
    return { deleted, cutoff, retentionDays };
  }
}

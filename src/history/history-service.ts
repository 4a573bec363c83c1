import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { effectiveRetentionDays } from '../parameters/email-parameters.js';
import type { ParametersService } from '../parameters/parameters-service.js';
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

/** Read and purge the email history. */
export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly parameters: ParametersService,
    private readonly clock: Clock,
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

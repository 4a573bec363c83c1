import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { catalogueEntry } from '../errors/failure-catalogue.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { effectiveRetentionDays } from '../parameters/email-parameters.js';
import { optionNames, refuseUnknownOptions } from '../parameters/option-names.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import type { QueueEventEmitter } from '../queue/queue-events.js';
import type { AttemptRecord, EmailPatch, EmailRecord } from '../store/email-record.js';
import type { HistoryCountQuery, HistoryCounts, HistoryQuery } from '../store/history-query.js';
import type { EmailChange, Store } from '../store/store.js';
import { exportChunks, type HistoryExportFormat } from './history-export.js';
import { retryAvailability, type RetryAvailability } from './retry-availability.js';

/** A history record as a history screen lists it: with whether it can be retried. */
export interface HistoryListItem extends EmailRecord {
  /** Whether `history.retry` can send it again, and if not why. */
  retry: RetryAvailability;
}

/** One page of `history.list()`, newest first. */
export interface HistoryListPage {
  /** The records of this page, newest first. */
  items: HistoryListItem[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** A history record with its delivery attempts. */
export interface EmailHistoryEntry extends HistoryListItem {
  /** Its delivery attempts, in order. */
  attemptLog: AttemptRecord[];
}

/** Options of {@link HistoryService.export}. */
export interface HistoryExportOptions {
  /** `csv` (a header line, then one line per email) or `json` (one array of records). @default 'csv' */
  format?: HistoryExportFormat;
}

/** Page size of an export's reads. */
const EXPORT_PAGE = 1000;

/** Result of a retention purge. */
export interface PurgeResult {
  /** Number of records deleted. */
  deleted: number;
  /** Finished records created before this instant (ISO 8601 UTC) were deleted. */
  cutoff: string;
  /** The retention period applied, in days. */
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
  /** Emails queued again: due now, for one more attempt. */
  requeued: string[];
  /** Emails left as they were, and why. */
  skipped: { id: string; reason: RetrySkipReason }[];
}

/**
 * Why {@link HistoryService.cancel} left an email as it was: no such email (or purged),
 * being sent now (it cannot be called back), or already finished.
 */
export type CancelSkipReason = 'not-found' | 'being-sent' | 'finished';

/** Options of {@link HistoryService.cancel}. */
export interface CancelOptions {
  /** Why, for the history (one line). @default 'Cancelled by an administrator' */
  reason?: string;
}

/** Result of {@link HistoryService.cancel}. */
export interface CancelResult {
  /** Emails cancelled: failed with `MW_CANCELLED`, their message kept for a retry. */
  cancelled: string[];
  /** Emails left as they were, and why. */
  skipped: { id: string; reason: CancelSkipReason }[];
}

const CANCEL_OPTION_NAMES = optionNames<CancelOptions>({ reason: true });

/**
 * What a failed email queued again starts with: due at once, no failure, no deferrals. Its
 * attempts go on counting: a provider that may have accepted an earlier attempt (Exchange,
 * an uncertain answer) looks for it before sending again, which it does from attempt 2 on.
 */
const startOver = (dueAt: string): EmailPatch => ({
  status: 'queued',
  dueAt,
  deferrals: 0,
  forced: false,
  failure: undefined,
  sentAt: undefined,
  leaseOwner: undefined,
  leaseExpiresAt: undefined,
});

/** The ids given to `retry` or `cancel`, checked: an array of non-blank strings. */
function checkedIds(ids: readonly string[], method: 'retry' | 'cancel'): readonly string[] {
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw new MailwrightError(ErrorCodes.INVALID_QUERY, `history.${method}() takes an array of email ids.`, {
      fix: `Pass the ids of the emails, e.g. from history.list({ status: "${method === 'retry' ? 'failed' : 'queued'}" }).`,
      details: { field: 'ids' },
    });
  }
  return ids;
}

/** Read, retry, cancel and purge the email history. */
export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly parameters: ParametersService,
    private readonly clock: Clock,
    private readonly events: QueueEventEmitter,
  ) {}

  /** Newest first, filtered; page with `cursor`. Each record says whether it can be retried, and if not why. */
  async list(query: HistoryQuery = {}): Promise<HistoryListPage> {
    const page = await this.store.listEmails(query);
    const failed = page.items.filter((r) => r.status === 'failed').map((r) => r.id);
    const kept = new Set(await this.store.keptMessageIds(failed));
    return { ...page, items: page.items.map((record) => ({ ...record, retry: retryAvailability(record, kept.has(record.id)) })) };
  }

  /** One email with its attempts and whether it can be retried, or undefined. */
  async get(id: string): Promise<EmailHistoryEntry | undefined> {
    const record = await this.store.getEmail(id);
    if (record === undefined) return undefined;
    const kept = record.status === 'failed' && (await this.store.keptMessageIds([id])).length > 0;
    return { ...record, retry: retryAvailability(record, kept), attemptLog: await this.store.listAttempts(id) };
  }

  /**
   * How many emails the filters match (those of `list()`, without paging), by status and by
   * failure code, and how many were sent over the per-minute limit: a dashboard's figures.
   */
  counts(query: HistoryCountQuery = {}): Promise<HistoryCounts> {
    return this.store.countEmails(query);
  }

  /**
   * Every email the filters match (those of `list()`, without paging), newest first, as CSV
   * or JSON, in chunks to write as they come (e.g. `Readable.from(chunks).pipe(res)`). CSV
   * cells that a spreadsheet would run as formulas are prefixed with `'`. The first page is
   * read before this resolves, so a bad filter rejects it (MW_INVALID_QUERY), not the stream.
   */
  async export(query: HistoryCountQuery = {}, options: HistoryExportOptions = {}): Promise<AsyncIterable<string>> {
    const format = options.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, `Unknown export format ${JSON.stringify(format)}.`, { fix: 'Pass { format: "csv" } or { format: "json" }.', details: { field: 'format' } });
    }
    if (query === null || typeof query !== 'object') {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, 'history.export() takes the filters as an object.', { fix: 'Pass filters such as { status: "failed" }, or nothing.', details: { field: 'query' } });
    }
    const paging = ['limit', 'cursor'].filter((name) => name in query);
    if (paging.length > 0) {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, `history.export() exports every email the filters match; it takes no ${paging.join(' or ')}.`, {
        fix: 'Pass the filters only, e.g. { status: "failed", since: "2026-11-01" }.',
        details: { field: paging[0] },
      });
    }
    const read = (cursor?: string) => this.store.listEmails({ ...query, limit: EXPORT_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    const first = await read();
    async function* pages(): AsyncGenerator<EmailRecord[]> {
      let page = first;
      yield page.items;
      while (page.nextCursor !== undefined) {
        page = await read(page.nextCursor);
        yield page.items;
      }
    }
    return exportChunks(pages(), format);
  }

  /**
   * Sends failed emails again, once the administrator has fixed the cause (granted Send As,
   * renewed a password, corrected the batch provider): each failed email whose message is
   * kept (queued email, not interactive or test email) becomes queued, due now, for the
   * distributor: one more attempt (its attempts go on counting, so a temporary failure past
   * `maxAttempts` ends it failed again) with its deferrals reset; its attempt log keeps the
   * earlier attempts and notes the retry (outcome `requeued`). A failed email
   * keeps its message until the retention purge deletes it. Emits `queued` for each.
   */
  async retry(ids: readonly string[]): Promise<RetryResult> {
    const now = toIso(this.clock.now());
    const { unique, records, changed } = await this.change(checkedIds(ids, 'retry'), { from: ['failed'], withMessage: true, patch: startOver(now) }, { outcome: 'requeued', now });
    for (const id of changed) this.events.emit('queued', { emailId: id, priority: records.get(id)!.priority, dueAt: now });
    return {
      requeued: unique.filter((id) => changed.has(id)),
      skipped: unique.flatMap((id) => {
        if (changed.has(id)) return [];
        const status = records.get(id)?.status;
        return [{ id, reason: status === undefined ? 'not-found' : status !== 'failed' ? 'not-failed' : 'message-not-kept' }];
      }),
    };
  }

  /**
   * Cancels waiting emails (queued or deferred) before the distributor sends them, e.g. a
   * batch job's emails made by mistake: each ends `failed` with the failure `MW_CANCELLED`
   * (its message says `reason`), keeps its message, and may still be sent with
   * {@link HistoryService.retry}. An email being sent cannot be called back. Emits `failed`
   * for each.
   */
  async cancel(ids: readonly string[], options: CancelOptions = {}): Promise<CancelResult> {
    if (options === null || typeof options !== 'object') {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, 'history.cancel() options must be an object, e.g. { reason: "…" }.', { fix: 'Pass { reason } or no options.', details: { field: 'options' } });
    }
    refuseUnknownOptions(options, CANCEL_OPTION_NAMES, 'history.cancel() options', { code: ErrorCodes.INVALID_QUERY });
    const reason = options.reason ?? 'Cancelled by an administrator';
    if (typeof reason !== 'string' || reason.trim() === '' || /[\r\n]/.test(reason)) {
      throw new MailwrightError(ErrorCodes.INVALID_QUERY, 'The reason for cancelling must be one line of text.', { fix: 'Pass { reason: "…" } without line breaks, or no reason.', details: { field: 'reason' } });
    }
    const now = toIso(this.clock.now());
    const { code, category, explanation, fix, permanent } = catalogueEntry(ErrorCodes.CANCELLED)!;
    const failure: FailureDetail = { code, category, explanation, fix, permanent, message: reason };
    const patch: EmailPatch = { status: 'failed', failure, leaseOwner: undefined, leaseExpiresAt: undefined };
    const { unique, records, changed } = await this.change(checkedIds(ids, 'cancel'), { from: ['queued', 'deferred'], patch }, { outcome: 'cancelled', now, failure });
    for (const id of changed) {
      const record = records.get(id)!;
      this.events.emit('failed', { emailId: id, providerId: record.providerId ?? '', attempt: record.attempts, failure, mode: record.mode });
    }
    return {
      cancelled: unique.filter((id) => changed.has(id)),
      skipped: unique.flatMap((id) => {
        if (changed.has(id)) return [];
        const status = records.get(id)?.status;
        // Waiting when read but not changed: a distributor claimed it meanwhile.
        const claimed = status === 'sending' || status === 'queued' || status === 'deferred';
        return [{ id, reason: status === undefined ? 'not-found' : claimed ? 'being-sent' : 'finished' }];
      }),
    };
  }

  /** Reads the emails named, then applies the change to those it fits, with an attempt-log entry each. */
  private async change(ids: readonly string[], change: EmailChange, entry: { outcome: AttemptRecord['outcome']; now: string; failure?: FailureDetail }) {
    const unique = [...new Set(ids)];
    const records = new Map((await Promise.all(unique.map((id) => this.store.getEmail(id)))).flatMap((r) => (r === undefined ? [] : [[r.id, r] as const])));
    const { outcome, now, failure } = entry;
    const attempts = [...records.values()]
      .filter((r) => change.from.includes(r.status))
      .map((r): AttemptRecord => ({ emailId: r.id, attempt: r.attempts, providerId: r.providerId ?? '', startedAt: now, finishedAt: now, outcome, ...(failure ? { failure } : {}) }));
    const changed = new Set(attempts.length === 0 ? [] : await this.store.changeEmails(attempts, change));
    return { unique, records, changed };
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

import type { AttemptRecord, EmailPatch, EmailRecord, EmailStatus, NewEmailRecord } from './email-record.js';
import type { HistoryCountQuery, HistoryCounts, HistoryPage, HistoryQuery } from './history-query.js';

/** One attempt to finish: the email's patch and the attempt log entry. */
export interface AttemptCompletion {
  /** The email's id. */
  emailId: string;
  /** The changes to the email. */
  patch: EmailPatch;
  /** The attempt to append to its log. */
  attempt: AttemptRecord;
  /**
   * The worker that made the attempt under its lease. If another worker holds
   * the email's lease by now (it took the email over), only the attempt is
   * logged: the email's state is the new owner's to change.
   * @default undefined (the patch is always applied)
   */
  leaseOwner?: string;
}

/** What {@link Store.finishAttempts} found: emails gone (nothing written) and emails another worker took over (only logged). */
export interface FinishedAttempts {
  /** Emails that no longer exist: nothing was written. */
  missing: string[];
  /** Emails another worker had taken over: only the attempt was logged. */
  takenOver: string[];
}

/** An administrator's change of emails, for {@link Store.changeEmails}. */
export interface EmailChange {
  /** Only emails in one of these statuses change. */
  from: readonly EmailStatus[];
  /** What changes. */
  patch: EmailPatch;
  /** Only emails whose message is kept change (a retry needs it). @default false */
  withMessage?: boolean;
}

/** Options for {@link Store.claimDue}. */
export interface ClaimOptions {
  /** The instant used for due and lease checks (epoch ms). */
  now: number;
  /** Maximum number of emails to claim. */
  limit: number;
  /** Lease duration in ms; after it a crashed worker's email may be claimed again. */
  leaseMs: number;
  /** Worker id recorded as lease owner. */
  owner: string;
}

/** Options for {@link Store.extendLeases}. */
export interface ExtendLeasesOptions {
  /** The emails whose leases to extend. */
  ids: readonly string[];
  /** Worker id the leases were claimed with. */
  owner: string;
  /** The instant used for the expiry check (epoch ms). */
  now: number;
  /** New lease duration from `now`, in ms. */
  leaseMs: number;
}

/** Options for {@link Store.reserveSends}. */
export interface ReserveSendsOptions {
  /** The provider whose throttle window is counted. */
  providerId: string;
  /** Emails the caller has claimed and is about to send, in claim order. */
  emailIds: readonly string[];
  /** Worker id the emails were claimed with: only emails still `sending` under its lease are planned. */
  owner: string;
  /** The instant of the reservation (epoch ms). */
  now: number;
  /** The throttle window in ms: sends with sentAt after `now - windowMs` count. */
  windowMs: number;
  /** Sends allowed in the window (>= 1). */
  limit: number;
  /** Deferrals after which an email without a slot is sent anyway (forced). */
  maxDeferrals: number;
}

/** A claimed email {@link Store.reserveSends} deferred. */
export interface DeferredEmail {
  /** The email's id. */
  id: string;
  /** When its slot frees: its new due time (epoch ms), at most `windowMs` away. */
  untilMs: number;
  /** Its deferral count now. */
  deferrals: number;
}

/** What {@link Store.reserveSends} did. */
export interface SendReservation {
  /** The emails that got a slot (their providerId and sentAt are now): send them. */
  reserved: string[];
  /**
   * The emails sent over the limit, deferred `maxDeferrals` times already: marked `forced`
   * with sentAt now (out of the line, not counted in the window). Send them.
   */
  forced: string[];
  /** The emails deferred until their slot: stored `deferred`, lease given up, attempt logged. */
  deferred: DeferredEmail[];
  /** How many deferred emails (not claimed) were made due sooner, because their slot came earlier. */
  sooner: number;
  /** The window's send times after the reservation, oldest first (epoch ms). */
  sentTimesMs: number[];
}

/**
 * Persistence contract. One implementation per database (SQLite, PostgreSQL);
 * the same conformance suite (test/store/store-conformance.ts) runs over each.
 * All times in and out are ISO 8601 UTC strings unless named `…Ms`.
 */
export interface Store {
  /** "sqlite" or "postgres". */
  readonly dialect: string;
  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;
  /** Closes the database connections. */
  close(): Promise<void>;

  /** A JSON setting (parameters, provider settings). */
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  /** Saves a JSON setting, replacing the previous value. */
  putSetting(key: string, value: unknown): Promise<void>;

  /**
   * Inserts one record (and its payload). Throws MW_IDEMPOTENCY_KEY_CONFLICT
   * when another email already has the same idempotency key.
   */
  insertEmail(record: NewEmailRecord): Promise<EmailRecord>;
  /**
   * Inserts many records (and their payloads) in one transaction: all or none.
   * For imports and bulk enqueueing; much faster than one `insertEmail` per record.
   */
  insertEmails(records: readonly NewEmailRecord[]): Promise<void>;
  /**
   * Applies a patch; throws MW_EMAIL_NOT_FOUND for an unknown id. A patch to
   * sent, exported or blocked deletes the email's payload in the same transaction
   * (a failed email keeps it, for `history.retry`, until the retention purge).
   */
  updateEmail(id: string, patch: EmailPatch): Promise<EmailRecord>;
  /** One email's record, or undefined. */
  getEmail(id: string): Promise<EmailRecord | undefined>;
  /** The serialized message of an email still to be sent, or failed (none once sent, exported or blocked). */
  getPayload(id: string): Promise<string | undefined>;
  /** The serialized messages of several emails in one query (ids without a payload are absent). */
  getPayloads(ids: readonly string[]): Promise<Map<string, string>>;
  /** The email with this idempotency key, or undefined. */
  findByIdempotencyKey(key: string): Promise<EmailRecord | undefined>;
  /** One page of history matching the query, newest first. */
  listEmails(query: HistoryQuery): Promise<HistoryPage>;
  /** How many emails match the filters (those of `listEmails`, without paging), by status and by failure code. */
  countEmails(query: HistoryCountQuery): Promise<HistoryCounts>;
  /**
   * The ids among `ids` whose message is kept (an email still to be sent, or failed and not
   * purged), in any order: the failed ones can be sent again with `history.retry`.
   */
  keptMessageIds(ids: readonly string[]): Promise<string[]>;

  /** Appends an attempt to its email's log (MW_EMAIL_NOT_FOUND for an unknown id). */
  appendAttempt(attempt: AttemptRecord): Promise<void>;
  /**
   * Ends an attempt in one transaction: applies the email's patch and appends the
   * attempt to its log (MW_EMAIL_NOT_FOUND for an unknown id; nothing written then).
   */
  finishAttempt(emailId: string, patch: EmailPatch, attempt: AttemptRecord): Promise<void>;
  /**
   * Ends several attempts in ONE transaction (group commit: the distributor's
   * concurrent sends share a commit). Returns the ids of emails that no longer
   * exist, for which nothing was written, and of emails another worker had
   * taken over, for which only the attempt was logged (see `leaseOwner`).
   */
  finishAttempts(items: readonly AttemptCompletion[]): Promise<FinishedAttempts>;
  /** The email's attempt log, in order. */
  listAttempts(emailId: string): Promise<AttemptRecord[]>;

  /**
   * Atomically claims due emails (status queued/deferred with dueAt <= now, or
   * sending with an expired lease), ordered by priority (higher first) then
   * dueAt, sets them `sending` with a lease, and returns them.
   * Two concurrent callers never receive the same email.
   */
  claimDue(options: ClaimOptions): Promise<EmailRecord[]>;
  /**
   * How many emails `claimDue` would hand out at `now` (epoch ms) if it had no
   * limit: a distributor run's progress total.
   */
  countDue(now: number): Promise<number>;
  /**
   * An administrator's change of emails (`history.retry`, `history.cancel`): in one
   * transaction, each email named by an attempt that is in one of `change.from` (and, with
   * `withMessage`, still has its message) gets `change.patch` and the attempt appended to
   * its log. The status is checked by the UPDATE itself, so a distributor claiming the
   * email at the same moment, or a second administrator, cannot both act on it. Returns the
   * ids changed; the others (unknown, or in another status) are left as they were.
   */
  changeEmails(attempts: readonly AttemptRecord[], change: EmailChange): Promise<string[]>;
  /**
   * Gives back leases that `owner` holds on emails it will not send after all
   * (a distributor stopping with claimed emails it has not started): each is
   * waiting again (`deferred` if it was deferred before, else `queued`) and any
   * worker may claim it at once. Emails not `sending` under this owner's lease
   * are left alone. Returns how many were released.
   */
  releaseLeases(ids: readonly string[], owner: string): Promise<number>;
  /**
   * Extends the leases `owner` still holds (emails `sending` under its lease,
   * not expired at `now`) to `now + leaseMs`; returns the ids it still holds.
   * An email missing from the answer may have been taken over: do not send it.
   */
  extendLeases(options: ExtendLeasesOptions): Promise<string[]>;
  /**
   * The per-minute throttle for a claimed batch, atomically for every worker on the store
   * (one transaction serialized per provider). The window is the provider's non-forced
   * sends and reservations of the last `windowMs`, plus older reservations whose email is
   * still being sent under a lease. The line is every email waiting for a slot (deferred,
   * queued and due, or claimed and not reserved yet) in send order: priority (higher
   * first), then creation. The k-th email of the line gets the k-th slot (`throttleDecision`):
   * a claimed email with a free slot is reserved (providerId and sentAt set to now; the
   * attempt's outcome replaces or clears that sentAt); one without is deferred until its
   * slot frees, at most `windowMs` later (status `deferred`, lease given up, a `deferred`
   * entry in its attempt log), or forced after `maxDeferrals` deferrals (marked `forced`,
   * sentAt now). A deferred email not claimed whose slot came sooner than its due time
   * is made due then. With no emails it only does the latter.
   */
  reserveSends(options: ReserveSendsOptions): Promise<SendReservation>;
  /** Number of non-forced sends by a provider with sentAt >= sinceMs (throttle window). */
  countSentSince(providerId: string, sinceMs: number): Promise<number>;
  /** sentAt (epoch ms) of non-forced sends by a provider since sinceMs, ascending. */
  listSentTimesSince(providerId: string, sinceMs: number): Promise<number[]>;

  /** Deletes records in a final status created before the cutoff; returns how many. */
  purgeFinishedBefore(cutoff: string): Promise<number>;
}

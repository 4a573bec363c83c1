import type { FailureDetail } from '../errors/failure-detail.js';
import type { SendMode } from '../providers/provider.js';

/** Lifecycle of one email. Every email ends as sent, failed, blocked or exported. */
export type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'deferred' | 'blocked' | 'exported';

/** Every status, in lifecycle order. */
export const EMAIL_STATUSES: readonly EmailStatus[] = ['queued', 'sending', 'sent', 'failed', 'deferred', 'blocked', 'exported'];

/** The terminal statuses. */
export const FINAL_STATUSES: readonly EmailStatus[] = ['sent', 'failed', 'blocked', 'exported'];

/** Is the status final (nothing more will be attempted)? */
export function isFinalStatus(status: EmailStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** One recipient of an email and what the server said about it. */
export interface RecipientRecord {
  /** Where the recipient was listed: To, Cc or Bcc (a redirect's recipients are To). */
  kind: 'to' | 'cc' | 'bcc';
  /** The recipient's address. */
  address: string;
  /** Display name, when given. */
  name?: string;
  /** `pending` until the server accepts or rejects it (an export's recipients stay pending). */
  status: 'pending' | 'accepted' | 'rejected';
  /** SMTP reply code for this recipient, e.g. 550. */
  smtpCode?: number;
  /** RFC 3463 enhanced status code, e.g. "5.1.1". */
  enhancedCode?: string;
  /** The server's reply for this recipient. */
  response?: string;
}

/** One history record: one email, interactive or batch. Timestamps are ISO 8601 UTC. */
export interface EmailRecord {
  /** The email's id: a UUID version 7, so ids sort by creation time. */
  id: string;
  /** Where the email is in its lifecycle. */
  status: EmailStatus;
  /** Interactive or batch sending. */
  mode: SendMode;
  /** Provider that sent (or will send) it; null while a batch email waits for the batch provider. */
  providerId: string | null;
  /** The Message-ID header, `<…@…>`, the same for every attempt. */
  messageId: string;
  /** From as sent, formatted `Name <address>`. */
  from: string;
  /** Lower-cased From address, for filtering. */
  senderAddress: string;
  /** Sender header (Send On Behalf), formatted. */
  sender?: string;
  /** The user it was sent for, when there is one. */
  userId?: string;
  /** Every recipient and what the server said about it. */
  recipients: RecipientRecord[];
  /** The subject. */
  subject: string;
  /** Encoded size in bytes: the size as sent for sent or exported email, else possibly the enqueue-time upper bound. */
  sizeBytes: number;
  /** Delivery attempts made so far. */
  attempts: number;
  /** Times the throttle deferred it. */
  deferrals: number;
  /** Sent although the throttle limit was reached (after the maximum deferrals). */
  forced: boolean;
  /**
   * `true` when an earlier attempt may have delivered the email although no success was
   * recorded: the worker sending it stopped and another took it over after its lease
   * expired, or the connection broke after the whole message was sent, before the
   * server's answer. Sent again, the recipients may get it twice. Absent otherwise.
   */
  possibleDuplicate?: boolean;
  /** Queue priority: higher is sent first. */
  priority: number;
  /** When the email may next be attempted. */
  dueAt: string;
  /** The key it was queued with: queuing the same key again returns this email. */
  idempotencyKey?: string;
  /** When the record was created. */
  createdAt: string;
  /** When the record last changed. */
  updatedAt: string;
  /** When it was sent or exported; while `sending`, when its throttle slot was reserved. */
  sentAt?: string;
  /** Classified failure (status failed, or the last transient failure while retrying). */
  failure?: FailureDetail;
  /** Why the email was blocked (status blocked). */
  blockedReason?: string;
  /** Provider receipt facts: final response, provider message id, export path. */
  response?: string;
  /** Provider-side id (SMTP queue id, Graph message id), when the provider gave one. */
  providerMessageId?: string;
  /** Where the exported file was written. */
  exportPath?: string;
  /** Host facts (template id, record id, …); never secrets. */
  meta: Record<string, unknown>;
  /** Lease owner and expiry while `sending`. */
  leaseOwner?: string;
  /** When the lease expires; another worker may then claim the email. */
  leaseExpiresAt?: string;
}

/** What is written to create a record. */
export type NewEmailRecord = Omit<EmailRecord, 'createdAt' | 'updatedAt'> & {
  /**
   * Serialized message for queued emails (see queue). Kept while the email may
   * be sent, and once it failed (for `history.retry`, until the retention purge);
   * deleted when it ends sent, exported or blocked (a record inserted so keeps none).
   */
  payload?: string;
  /**
   * Creation instant (ISO 8601). Set it from the injected clock so history
   * timestamps follow that clock. @default the store's clock, now
   */
  createdAt?: string;
};

/** Fields that may change after creation. */
export type EmailPatch = Partial<
  Pick<
    EmailRecord,
    | 'status'
    | 'providerId'
    | 'recipients'
    | 'sizeBytes'
    | 'attempts'
    | 'deferrals'
    | 'forced'
    | 'possibleDuplicate'
    | 'dueAt'
    | 'sentAt'
    | 'failure'
    | 'blockedReason'
    | 'response'
    | 'providerMessageId'
    | 'exportPath'
    | 'meta'
    | 'leaseOwner'
    | 'leaseExpiresAt'
  >
>;

/** One delivery attempt of an email. */
export interface AttemptRecord {
  /** The email's history id. */
  emailId: string;
  /** Attempt number, 1 for the first (a takeover counts as one); other entries (deferred, requeued, cancelled) carry the email's attempt count. */
  attempt: number;
  /** The provider; empty when none was chosen yet. */
  providerId: string;
  /** When the attempt started (ISO 8601 UTC). */
  startedAt: string;
  /** When the attempt finished (ISO 8601 UTC). */
  finishedAt: string;
  /**
   * `requeued`: an administrator queued a failed email again (`history.retry`).
   * `cancelled`: an administrator cancelled it while it waited (`history.cancel`).
   * `taken-over`: the worker sending it stopped before recording an outcome, and another
   * took it over once the lease expired; counted as an attempt, since it may have been sent
   * (failure MW_LEASE_EXPIRED; the email is marked `possibleDuplicate`).
   */
  outcome: 'sent' | 'exported' | 'failed' | 'retrying' | 'deferred' | 'forced' | 'requeued' | 'cancelled' | 'taken-over';
  /** The classified failure, when the attempt failed or the email was cancelled. */
  failure?: FailureDetail;
  /** Redacted protocol transcript. */
  transcript?: string;
}

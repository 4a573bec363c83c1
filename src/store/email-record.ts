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
  kind: 'to' | 'cc' | 'bcc';
  address: string;
  name?: string;
  status: 'pending' | 'accepted' | 'rejected';
  smtpCode?: number;
  enhancedCode?: string;
  response?: string;
}

/** One history record: one email, interactive or batch. Timestamps are ISO 8601 UTC. */
export interface EmailRecord {
  id: string;
  status: EmailStatus;
  mode: SendMode;
  /** Provider that sent (or will send) it; null while a batch email waits for the batch provider. */
  providerId: string | null;
  messageId: string;
  /** From as sent, formatted `Name <address>`. */
  from: string;
  /** Lower-cased From address, for filtering. */
  senderAddress: string;
  /** Sender header (Send On Behalf), formatted. */
  sender?: string;
  userId?: string;
  recipients: RecipientRecord[];
  subject: string;
  sizeBytes: number;
  attempts: number;
  deferrals: number;
  /** Sent although the throttle limit was reached (after the maximum deferrals). */
  forced: boolean;
  priority: number;
  /** When the email may next be attempted. */
  dueAt: string;
  idempotencyKey?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** Classified failure (status failed, or the last transient failure while retrying). */
  failure?: FailureDetail;
  /** Why the email was blocked (status blocked). */
  blockedReason?: string;
  /** Provider receipt facts: final response, provider message id, export path. */
  response?: string;
  providerMessageId?: string;
  exportPath?: string;
  /** Host facts (template id, record id, …); never secrets. */
  meta: Record<string, unknown>;
  /** Lease owner and expiry while `sending`. */
  leaseOwner?: string;
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
  emailId: string;
  attempt: number;
  providerId: string;
  startedAt: string;
  finishedAt: string;
  /**
   * `requeued`: an administrator sent a failed email again (`history.retry`); the attempts
   * start over. `cancelled`: an administrator cancelled it while it waited (`history.cancel`).
   */
  outcome: 'sent' | 'exported' | 'failed' | 'retrying' | 'deferred' | 'forced' | 'requeued' | 'cancelled';
  failure?: FailureDetail;
  transcript?: string;
}

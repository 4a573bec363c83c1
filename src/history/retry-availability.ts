import type { EmailRecord } from '../store/email-record.js';

/**
 * Whether `history.retry` can send an email again, and if not why, for a history screen's
 * Retry button: only failed email whose message is kept can be retried.
 */
export interface RetryAvailability {
  /** `history.retry([id])` would queue it again. */
  retryable: boolean;
  /** Why not: it has not failed, or its message is not kept. Absent when retryable. */
  reason?: 'not-failed' | 'message-not-kept';
  /** Why not, in a sentence an administrator can act on. Absent when retryable. */
  explanation?: string;
}

/** Can this email be retried, given whether its message is kept? */
export function retryAvailability(record: Pick<EmailRecord, 'status' | 'mode' | 'meta'>, messageKept: boolean): RetryAvailability {
  if (record.status !== 'failed') {
    return { retryable: false, reason: 'not-failed', explanation: `Only failed email can be sent again; this one is ${record.status}.` };
  }
  if (messageKept) return { retryable: true };
  const explanation =
    record.meta.testEmail === true
      ? 'A test email: its message is not kept. Send a new test email instead.'
      : record.mode === 'interactive'
        ? 'Sent interactively: its message is not kept. The user sends it again from the application, where the draft is.'
        : 'Its message is not kept (it failed in a database written by a version that did not keep messages for retries).';
  return { retryable: false, reason: 'message-not-kept', explanation };
}

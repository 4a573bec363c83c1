import { ErrorCodes } from '../errors/error-codes.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { AttemptOutcome } from '../send/deliver-attempt.js';
import type { EmailRecord } from '../store/email-record.js';

/**
 * The outcome of a claimed email the store holds no message for (inserted without
 * one, or its message deleted): it fails on its own, permanently, instead of being
 * claimed again and again.
 */
export function missingMessage(record: EmailRecord, now: string): AttemptOutcome {
  const failure: FailureDetail = {
    code: ErrorCodes.EMAIL_NOT_FOUND,
    category: 'input',
    explanation: 'The email was queued, but the store holds no message for it, so there is nothing to send.',
    fix: 'Enqueue the email again with enqueue(); queue email only through enqueue(), which stores the message with the record.',
    permanent: true,
    message: `Queued email ${record.id} has no stored message.`,
  };
  const error = new MailwrightError(failure.code, failure.message, { permanent: true, fix: failure.fix, failure, details: { emailId: record.id } });
  return { ok: false, error, failure, startedAt: now, finishedAt: now };
}

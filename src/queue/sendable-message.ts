import { ErrorCodes } from '../errors/error-codes.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { assertWithinSizeLimit, encodedSizeUpperBound } from '../message/encode-message.js';
import type { EmailMessage } from '../message/message.js';
import type { EmailRecord } from '../store/email-record.js';
import { deserializeMessage } from './message-payload.js';

/** The store holds no message for a claimed email (inserted without one, or deleted). */
function missingMessage(record: EmailRecord): MailwrightError {
  const failure: FailureDetail = {
    code: ErrorCodes.EMAIL_NOT_FOUND,
    category: 'input',
    explanation: 'The email was queued, but the store holds no message for it, so there is nothing to send.',
    fix: 'Enqueue the email again with enqueue(); queue email only through enqueue(), which stores the message with the record.',
    permanent: true,
    message: `Queued email ${record.id} has no stored message.`,
  };
  return new MailwrightError(failure.code, failure.message, { permanent: true, fix: failure.fix, failure, details: { emailId: record.id } });
}

/**
 * The message of a claimed email as it will be sent: read from its stored payload and,
 * when it has attachments given by path, those checked again, since the files may have
 * changed since enqueue(): each must still be readable, and the email must still fit the
 * attachment size limit (measured as for enqueue: a cheap upper bound, then exactly when
 * the bound is over). Throws a typed MailwrightError, so the email fails on its own
 * without a send: MW_EMAIL_NOT_FOUND (no message stored), MW_MESSAGE_UNREADABLE,
 * MW_ATTACHMENT_UNREADABLE or MW_ATTACHMENT_TOO_LARGE.
 */
export async function sendableMessage(record: EmailRecord, payload: string | undefined, sizeLimitBytes: number): Promise<EmailMessage> {
  if (payload === undefined) throw missingMessage(record);
  const message = deserializeMessage(payload, record.id);
  if (message.attachments.some((a) => a.path !== undefined) && (await encodedSizeUpperBound(message)) > sizeLimitBytes) {
    await assertWithinSizeLimit(message, sizeLimitBytes);
  }
  return message;
}

import type { FailureDetail } from '../errors/failure-detail.js';
import type { SendReceipt } from '../providers/provider.js';
import type { EmailStatus } from '../store/email-record.js';

/** A delivered (or exported) email. */
export interface SendResult {
  /** The history record id. */
  emailId: string;
  /** `sent`, or `exported` for a file the user opens. */
  status: Extract<EmailStatus, 'sent' | 'exported'>;
  /** What the provider returned. */
  receipt: SendReceipt;
}

/** Outcome of `sendTestEmail()`: delivered, or the classified failure. Never throws for delivery failures. */
export type TestEmailResult =
  | { ok: true; emailId: string; providerId: string; status: 'sent' | 'exported'; receipt: SendReceipt }
  | { ok: false; emailId: string; providerId: string; failure: FailureDetail };

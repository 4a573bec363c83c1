import type { FailureDetail } from '../errors/failure-detail.js';
import type { SendReceipt } from '../providers/provider.js';
import type { EmailStatus } from '../store/email-record.js';

/** A delivered (or exported) email. */
export interface SendResult {
  emailId: string;
  status: Extract<EmailStatus, 'sent' | 'exported'>;
  receipt: SendReceipt;
}

/** Outcome of `sendTestEmail()`: delivered, or the classified failure. Never throws for delivery failures. */
export type TestEmailResult =
  | { ok: true; emailId: string; providerId: string; status: 'sent' | 'exported'; receipt: SendReceipt }
  | { ok: false; emailId: string; providerId: string; failure: FailureDetail };

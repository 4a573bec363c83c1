import { randomUUID } from 'node:crypto';
import type { FailureDetail } from '../../../src/errors/failure-detail.js';
import type { AttemptRecord, NewEmailRecord } from '../../../src/store/email-record.js';

/** A minimal valid record (no optional field set); override what a test cares about. */
export function newRecord(overrides: Partial<NewEmailRecord> = {}): NewEmailRecord {
  return {
    id: randomUUID(),
    status: 'queued',
    mode: 'batch',
    providerId: 'smtp',
    messageId: `<${randomUUID()}@contoso.com>`,
    from: 'Ana <ana@contoso.com>',
    senderAddress: 'ana@contoso.com',
    recipients: [{ kind: 'to', address: 'customer@example.com', status: 'pending' }],
    subject: 'Hello',
    sizeBytes: 1234,
    attempts: 0,
    deferrals: 0,
    forced: false,
    priority: 0,
    dueAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    meta: {},
    ...overrides,
  };
}

/** A classified failure as the catalogue would produce it. */
export const sendAsDenied: FailureDetail = {
  code: 'MW_SEND_AS_DENIED',
  category: 'authorization',
  explanation: 'The server refused to let this account send as the From address.',
  fix: 'Grant Send As, or send from the mailbox address.',
  permanent: true,
  message: '550 5.7.1 Client does not have permissions to send as this sender',
  smtpCode: 550,
  enhancedCode: '5.7.1',
  serverResponse: '550 5.7.1 Client does not have permissions to send as this sender',
  transcript: 'C: MAIL FROM:<bob@contoso.com>\nS: 550 5.7.1 Client does not have permissions to send as this sender',
};

/** An attempt of an email; override what a test cares about. */
export function attemptOf(emailId: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    emailId,
    attempt: 1,
    providerId: 'smtp',
    startedAt: '2026-01-01T00:00:01.000Z',
    finishedAt: '2026-01-01T00:00:02.000Z',
    outcome: 'sent',
    ...overrides,
  };
}

/** ISO instant `ms` milliseconds after 2026-01-01T00:00:00Z. */
export function at(ms: number): string {
  return new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms).toISOString();
}

/** Epoch ms of {@link at}. */
export function msAt(ms: number): number {
  return Date.parse('2026-01-01T00:00:00.000Z') + ms;
}

import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { formatAddress } from '../message/address.js';
import type { Address, EmailMessage } from '../message/message.js';
import type { SendMode } from '../providers/provider.js';
import type { EmailStatus, NewEmailRecord, RecipientRecord } from '../store/email-record.js';
import { newEmailId } from '../store/email-id.js';

/** Facts about an email that are not in the message itself. */
export interface NewRecordOptions {
  status: EmailStatus;
  mode: SendMode;
  providerId: string | null;
  sizeBytes: number;
  userId?: string;
  priority?: number;
  dueAt?: string;
  idempotencyKey?: string;
  meta?: Record<string, unknown>;
  payload?: string;
}

/** Every recipient of a message, pending: To, Cc and Bcc, or for a redirect the envelope recipients (as To). */
export function recipientRecords(message: EmailMessage): RecipientRecord[] {
  const kinds: ReadonlyArray<readonly [RecipientRecord['kind'], Address[]]> =
    message.envelopeTo !== undefined ? [['to', message.envelopeTo]] : [['to', message.to], ['cc', message.cc], ['bcc', message.bcc]];
  return kinds.flatMap(([kind, list]) =>
    list.map((a) => ({ kind, address: a.address, ...(a.name ? { name: a.name } : {}), status: 'pending' as const })),
  );
}

/** The history record to insert for a validated message. */
export function newEmailRecord(message: EmailMessage, clock: Clock, options: NewRecordOptions): NewEmailRecord {
  const now = toIso(clock.now());
  return {
    id: newEmailId(clock),
    status: options.status,
    mode: options.mode,
    providerId: options.providerId,
    messageId: message.messageId,
    from: formatAddress(message.from),
    senderAddress: message.from.address.toLowerCase(),
    ...(message.sender ? { sender: formatAddress(message.sender) } : {}),
    ...(options.userId !== undefined ? { userId: options.userId } : {}),
    recipients: recipientRecords(message),
    subject: message.subject,
    sizeBytes: options.sizeBytes,
    attempts: 0,
    deferrals: 0,
    forced: false,
    priority: options.priority ?? 0,
    dueAt: options.dueAt ?? now,
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    meta: options.meta ?? {},
    createdAt: now,
    ...(options.payload !== undefined ? { payload: options.payload } : {}),
  };
}

import type { Updateable } from 'kysely';
import type { FailureDetail } from '../../errors/failure-detail.js';
import type { SendMode } from '../../providers/provider.js';
import type { EmailPatch, EmailRecord, EmailStatus, NewEmailRecord, RecipientRecord } from '../email-record.js';
import { toEpochMs, toIsoString } from './epoch-time.js';
import type { EmailRow, EmailsTable, NewEmailRow } from './store-database.js';

/** The row to insert for a new record; `nowMs` fills createdAt/updatedAt when absent. */
export function emailToRow(record: NewEmailRecord, nowMs: number): NewEmailRow {
  const createdAtMs = record.createdAt === undefined ? nowMs : toEpochMs(record.createdAt, 'createdAt');
  return {
    id: record.id,
    status: record.status,
    mode: record.mode,
    provider_id: record.providerId,
    message_id: record.messageId,
    from_formatted: record.from,
    sender_address: record.senderAddress.toLowerCase(),
    sender_formatted: record.sender ?? null,
    user_id: record.userId ?? null,
    subject: record.subject,
    size_bytes: record.sizeBytes,
    attempts: record.attempts,
    deferrals: record.deferrals,
    forced: record.forced ? 1 : 0,
    priority: record.priority,
    due_at_ms: toEpochMs(record.dueAt, 'dueAt'),
    idempotency_key: record.idempotencyKey ?? null,
    created_at_ms: createdAtMs,
    updated_at_ms: createdAtMs,
    sent_at_ms: record.sentAt === undefined ? null : toEpochMs(record.sentAt, 'sentAt'),
    lease_owner: record.leaseOwner ?? null,
    lease_expires_at_ms: record.leaseExpiresAt === undefined ? null : toEpochMs(record.leaseExpiresAt, 'leaseExpiresAt'),
    blocked_reason: record.blockedReason ?? null,
    response: record.response ?? null,
    provider_message_id: record.providerMessageId ?? null,
    export_path: record.exportPath ?? null,
    recipients_json: JSON.stringify(record.recipients),
    failure_json: record.failure === undefined ? null : JSON.stringify(record.failure),
    meta_json: JSON.stringify(record.meta ?? {}),
    attempt_log: null,
    deferred_at_ms: null,
    possible_duplicate: record.possibleDuplicate === true ? 1 : 0,
  };
}

/** Adds `key: value` only when the column is not NULL, so absent optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A selected row back to the record (numbers as numbers, times as ISO 8601 UTC). */
export function rowToEmail(row: EmailRow): EmailRecord {
  return {
    id: row.id,
    status: row.status as EmailStatus,
    mode: row.mode as SendMode,
    providerId: row.provider_id,
    messageId: row.message_id,
    from: row.from_formatted,
    senderAddress: row.sender_address,
    ...optional('sender', row.sender_formatted),
    ...optional('userId', row.user_id),
    recipients: JSON.parse(row.recipients_json) as RecipientRecord[],
    subject: row.subject,
    sizeBytes: Number(row.size_bytes),
    attempts: Number(row.attempts),
    deferrals: Number(row.deferrals),
    forced: Number(row.forced) === 1,
    ...(Number(row.possible_duplicate) === 1 ? { possibleDuplicate: true } : {}),
    priority: Number(row.priority),
    dueAt: toIsoString(row.due_at_ms),
    ...optional('idempotencyKey', row.idempotency_key),
    createdAt: toIsoString(row.created_at_ms),
    updatedAt: toIsoString(row.updated_at_ms),
    ...optional('sentAt', row.sent_at_ms === null ? null : toIsoString(row.sent_at_ms)),
    ...optional('failure', row.failure_json === null ? null : (JSON.parse(row.failure_json) as FailureDetail)),
    ...optional('blockedReason', row.blocked_reason),
    ...optional('response', row.response),
    ...optional('providerMessageId', row.provider_message_id),
    ...optional('exportPath', row.export_path),
    meta: JSON.parse(row.meta_json) as Record<string, unknown>,
    ...optional('leaseOwner', row.lease_owner),
    ...optional('leaseExpiresAt', row.lease_expires_at_ms === null ? null : toIsoString(row.lease_expires_at_ms)),
  };
}

/** The columns of `emails` a patch writes. */
export type PatchColumns = Updateable<EmailsTable>;

/** Has the patch got this key at all (an explicit `undefined` clears an optional field)? */
function has<K extends keyof EmailPatch>(patch: EmailPatch, key: K): boolean {
  return Object.prototype.hasOwnProperty.call(patch, key);
}

/** Optional ISO field: present → ms, explicit undefined → NULL. */
function optionalMs(value: string | undefined, field: string): number | null {
  return value === undefined ? null : toEpochMs(value, field);
}

/**
 * The columns a patch changes. Optional fields given as `undefined` are
 * cleared (e.g. `failure: undefined` after a successful retry); required
 * fields given as `undefined` are left alone.
 */
export function patchToColumns(patch: EmailPatch, nowMs: number): PatchColumns {
  const set: PatchColumns = { updated_at_ms: nowMs };
  if (patch.status !== undefined) set.status = patch.status;
  if (has(patch, 'providerId')) set.provider_id = patch.providerId ?? null;
  if (patch.recipients !== undefined) set.recipients_json = JSON.stringify(patch.recipients);
  if (patch.sizeBytes !== undefined) set.size_bytes = patch.sizeBytes;
  if (patch.attempts !== undefined) set.attempts = patch.attempts;
  if (patch.deferrals !== undefined) set.deferrals = patch.deferrals;
  if (patch.forced !== undefined) set.forced = patch.forced ? 1 : 0;
  if (patch.possibleDuplicate !== undefined) set.possible_duplicate = patch.possibleDuplicate ? 1 : 0;
  if (patch.dueAt !== undefined) set.due_at_ms = toEpochMs(patch.dueAt, 'dueAt');
  if (has(patch, 'sentAt')) set.sent_at_ms = optionalMs(patch.sentAt, 'sentAt');
  if (has(patch, 'failure')) set.failure_json = patch.failure === undefined ? null : JSON.stringify(patch.failure);
  if (has(patch, 'blockedReason')) set.blocked_reason = patch.blockedReason ?? null;
  if (has(patch, 'response')) set.response = patch.response ?? null;
  if (has(patch, 'providerMessageId')) set.provider_message_id = patch.providerMessageId ?? null;
  if (has(patch, 'exportPath')) set.export_path = patch.exportPath ?? null;
  if (patch.meta !== undefined) set.meta_json = JSON.stringify(patch.meta);
  if (has(patch, 'leaseOwner')) set.lease_owner = patch.leaseOwner ?? null;
  if (has(patch, 'leaseExpiresAt')) set.lease_expires_at_ms = optionalMs(patch.leaseExpiresAt, 'leaseExpiresAt');
  return set;
}

import { DateTime } from 'luxon';
import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { settingsIssues } from '../parameters/parse-settings.js';

/** Options of `enqueue()`. */
export interface EnqueueOptions {
  /** Higher is sent first; a whole number. @default 0 */
  priority?: number;
  /** Not before this instant: an ISO 8601 string (UTC when it has no offset) or a Date. @default now */
  sendAfter?: string | Date;
  /** The same key returns the existing email's id and queues nothing new. Not empty. */
  idempotencyKey?: string;
  /** Send as this user (From = their identity). */
  userId?: string;
  /** Host facts stored with the history record. */
  meta?: Record<string, unknown>;
}

/** An ISO 8601 string as an instant (UTC when it has no offset); invalid when it is not a real date/time. */
const isoInstant = (value: string): DateTime => DateTime.fromISO(value, { zone: 'utc' });
const notBlank = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be empty`);

/** The options as JavaScript callers may pass them: checked, unknown keys refused (a typo must not pass silently). */
const enqueueOptionsSchema = z.strictObject({
  priority: z.number().int('priority must be a whole number').optional(),
  sendAfter: z
    .union([z.string().refine((value) => isoInstant(value).isValid), z.date().refine((value) => !Number.isNaN(value.getTime()))])
    .optional(),
  idempotencyKey: notBlank('idempotencyKey').optional(),
  userId: notBlank('userId').optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Checks `enqueue()` options; throws MW_INVALID_SETTINGS naming every bad
 * option and what it takes. Returns them with `sendAfter` as an ISO string.
 */
export function parseEnqueueOptions(options: EnqueueOptions): EnqueueOptions & { sendAfter?: string } {
  const result = enqueueOptionsSchema.safeParse(options);
  if (!result.success) {
    const issues = settingsIssues(result.error).map((issue) =>
      issue.field === 'sendAfter' ? { ...issue, message: 'must be an ISO 8601 date/time such as 2026-11-25T08:00:00Z, or a valid Date' } : issue,
    );
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Invalid enqueue options: ${issues.map((i) => `${i.field || '(options)'}: ${i.message}`).join('; ')}.`, {
      fix: 'Pass { priority?: whole number, sendAfter?: ISO 8601 string or Date, idempotencyKey?: non-empty string, userId?: string, meta?: object }.',
      details: { issues },
    });
  }
  const { sendAfter, ...rest } = result.data;
  if (sendAfter === undefined) return rest;
  return { ...rest, sendAfter: typeof sendAfter === 'string' ? (isoInstant(sendAfter).toISO() as string) : sendAfter.toISOString() };
}

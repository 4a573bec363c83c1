import { DateTime } from 'luxon';
import { z } from 'zod';
import { nonBlankString, parseOptions } from '../parameters/parse-settings.js';

/** Options of `enqueue()`. */
export interface EnqueueOptions {
  /** Higher is sent first; a whole number from -2147483648 to 2147483647 (a 32-bit integer in every store). @default 0 */
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

/** Checked {@link EnqueueOptions}, with `sendAfter` as a UTC ISO string. */
export type ParsedEnqueueOptions = Omit<EnqueueOptions, 'sendAfter'> & { sendAfter?: string };

/** An ISO 8601 string as an instant (UTC when it has no offset); invalid when it is not a real date/time. */
const isoInstant = (value: string): DateTime => DateTime.fromISO(value, { zone: 'utc' });

/** Can the value be stored as JSON (what the history record keeps)? */
function storableAsJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/** The options as JavaScript callers may pass them: checked, unknown keys refused (a typo must not pass silently). */
const enqueueOptionsSchema = z.strictObject({
  priority: z.number().int('priority must be a whole number').min(-(2 ** 31), 'priority must be at least -2147483648').max(2 ** 31 - 1, 'priority must be at most 2147483647').optional(),
  sendAfter: z
    .custom<string | Date>(
      (value) => (typeof value === 'string' && isoInstant(value).isValid) || (value instanceof Date && !Number.isNaN(value.getTime())),
      'must be an ISO 8601 date/time such as 2026-11-25T08:00:00Z, or a valid Date',
    )
    .optional(),
  idempotencyKey: nonBlankString('idempotencyKey').optional(),
  userId: nonBlankString('userId').optional(),
  meta: z
    .record(z.string(), z.unknown())
    .refine(storableAsJson, 'must be plain JSON data (no BigInt, function or circular reference): it is stored with the history record')
    .optional(),
});

/**
 * Checks `enqueue()` options; throws MW_INVALID_SETTINGS naming every bad
 * option and what it takes. Returns them with `sendAfter` as an ISO string.
 */
export function parseEnqueueOptions(options: EnqueueOptions): ParsedEnqueueOptions {
  const { sendAfter, ...rest } = parseOptions(
    enqueueOptionsSchema,
    options,
    'enqueue options',
    'Pass { priority?: whole number, sendAfter?: ISO 8601 string or Date, idempotencyKey?: non-empty string, userId?: string, meta?: object }.',
  );
  if (sendAfter === undefined) return rest;
  return { ...rest, sendAfter: typeof sendAfter === 'string' ? (isoInstant(sendAfter).toISO() as string) : sendAfter.toISOString() };
}

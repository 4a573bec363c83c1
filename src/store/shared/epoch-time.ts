import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';

/**
 * Converts an ISO 8601 instant (or a Date) to epoch milliseconds.
 * Throws MW_INVALID_QUERY (for query input) or MW_STORE_FAILED (for records) when it is not a valid instant.
 */
export function toEpochMs(value: string | Date, field: string, code: 'query' | 'record' = 'record'): number {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) {
    throw new MailwrightError(
      code === 'query' ? ErrorCodes.INVALID_QUERY : ErrorCodes.STORE_FAILED,
      `"${field}" is not a valid ISO 8601 date/time: ${JSON.stringify(String(value)).slice(0, 80)}.`,
      { fix: 'Pass an ISO 8601 UTC string such as 2026-01-31T12:00:00.000Z, or a valid Date.', details: { field } },
    );
  }
  return ms;
}

/** Epoch milliseconds (number, or the string node-postgres returns for BIGINT) to ISO 8601 UTC. */
export function toIsoString(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

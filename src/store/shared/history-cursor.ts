import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';

/** Position after the last item of a page: its creation time and id (the sort key). */
export interface HistoryCursor {
  createdAtMs: number;
  id: string;
}

/** The opaque cursor string: base64url of `[createdAtMs, id]`. */
export function encodeHistoryCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAtMs, cursor.id]), 'utf8').toString('base64url');
}

/** Reads a cursor made by {@link encodeHistoryCursor}; throws MW_INVALID_QUERY for anything else. */
export function decodeHistoryCursor(value: string): HistoryCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'number' ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new MailwrightError(ErrorCodes.INVALID_QUERY, 'The history cursor is not valid.', {
      fix: 'Pass the nextCursor of the previous page unchanged, or omit cursor to start at the newest email.',
      details: { field: 'cursor' },
    });
  }
  return { createdAtMs: parsed[0], id: parsed[1] };
}

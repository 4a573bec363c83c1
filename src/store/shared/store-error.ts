import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';

/** Driver error codes after which trying again later can succeed (lock contention, lost connection). */
const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
]);

/** The error's message; duck-typed, since driver errors may come from another realm (e.g. Jest's VM). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Is this a unique-constraint violation on the idempotency key? */
export function isIdempotencyConflict(error: unknown): boolean {
  const code = codeOf(error);
  const message = messageOf(error);
  if (code === '23505') return (error as { constraint?: string }).constraint === 'emails_idempotency_key_idx';
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('emails.idempotency_key');
}

/**
 * Wraps a database error as MW_STORE_FAILED. Only the driver's message and
 * code are kept: never the SQL parameters nor the server's row "detail",
 * which could hold message content.
 */
export function toStoreError(error: unknown, operation: string, dialect: string): MailwrightError {
  if (error instanceof MailwrightError) return error;
  const code = codeOf(error);
  const reason = messageOf(error);
  const transient = (code !== undefined && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) || /timeout|terminated/i.test(reason);
  return new MailwrightError(ErrorCodes.STORE_FAILED, `The ${dialect} store could not ${operation}: ${reason}`, {
    permanent: !transient,
    fix: transient
      ? 'The database was busy or unreachable; try again. If it persists, check that the database is running and reachable.'
      : 'Check the database file or server, its permissions and free space; run migrate() after upgrading mailwright.',
    details: { operation, dialect, ...(code !== undefined ? { dbCode: code } : {}) },
    cause: error,
  });
}

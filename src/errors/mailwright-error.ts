import type { ErrorCode } from './error-codes.js';
import type { FailureDetail } from './failure-detail.js';

/** Options for {@link MailwrightError}. */
export interface MailwrightErrorOptions {
  /** `true` when retrying cannot help. @default true */
  permanent?: boolean;
  /** What the caller should do to fix it. */
  fix?: string;
  /** Structured, secret-free facts (sizes, field names, …). */
  details?: Record<string, unknown>;
  /** Classified delivery failure, for provider errors. */
  failure?: FailureDetail;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type mailwright throws. Switch on `code` (stable), show
 * `message` and `fix` to people.
 */
export class MailwrightError extends Error {
  /** Stable error code: switch on it. */
  readonly code: ErrorCode;
  /** `true` when retrying cannot help. */
  readonly permanent: boolean;
  /** What the caller should do to fix it, when known. */
  readonly fix: string | undefined;
  /** Structured, secret-free facts (sizes, field names, …); empty when there are none. */
  readonly details: Record<string, unknown>;
  /** Classified delivery failure, for provider errors. */
  readonly failure: FailureDetail | undefined;

  constructor(code: ErrorCode, message: string, options: MailwrightErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailwrightError';
    this.code = code;
    this.permanent = options.permanent ?? true;
    this.fix = options.fix;
    this.details = options.details ?? {};
    this.failure = options.failure;
  }

  /** JSON form without the cause chain (which may hold secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      permanent: this.permanent,
      fix: this.fix,
      details: this.details,
      failure: this.failure,
    };
  }
}

/** Type guard for {@link MailwrightError}, optionally of one code. */
export function isMailwrightError(error: unknown, code?: ErrorCode): error is MailwrightError {
  return error instanceof MailwrightError && (code === undefined || error.code === code);
}

import type { ErrorCode } from './error-codes.js';

/** Broad family of a failure, for filtering and dashboards. */
export type FailureCategory =
  | 'input'
  | 'configuration'
  | 'authentication'
  | 'authorization'
  | 'recipient'
  | 'size'
  | 'rate-limit'
  | 'tls'
  | 'network'
  | 'transient'
  | 'policy'
  | 'cancelled'
  | 'unknown';

/** What the failure catalogue says about a failure: the part an administrator acts on. */
export interface FailureExplanation {
  /** Stable error code of the failure. */
  code: ErrorCode;
  /** Broad family of the failure, for filtering and dashboards. */
  category: FailureCategory;
  /** Plain-language explanation of what went wrong. */
  explanation: string;
  /** What to do about it. */
  fix: string;
  /** `true` when retrying the same email cannot succeed. */
  permanent: boolean;
}

/**
 * A classified failure as stored in the history: the explanation plus the raw
 * protocol evidence. Never contains a password or a token (see `redact`).
 */
export interface FailureDetail extends FailureExplanation {
  /** The error's own message. */
  message: string;
  /** SMTP reply code, e.g. 550. */
  smtpCode?: number;
  /** HTTP status, e.g. 403 (Graph). */
  httpStatus?: number;
  /** RFC 3463 enhanced status code, e.g. "5.7.1". */
  enhancedCode?: string;
  /** Server reply text (SMTP line or Graph error code + message). */
  serverResponse?: string;
  /** Seconds the server asked us to wait (HTTP Retry-After). */
  retryAfterSeconds?: number;
  /** Redacted protocol transcript. */
  transcript?: string;
  /**
   * The request that hands the email over may have reached the server before the failure
   * (the connection broke, or a gateway timed out): the email may have been sent. A
   * provider that can look (Exchange) checks before it sends again.
   */
  mayHaveBeenSent?: boolean;
}

/**
 * The protocol facts of a failure, as a provider extracts them from its
 * transport error, before classification by the failure catalogue. A fact the
 * provider does not have may be left out or given as undefined (a Retry-After
 * header that was absent).
 */
export interface RawFailure {
  /** The transport error's message. */
  message: string;
  /** SMTP reply code (e.g. 550). */
  smtpCode?: number | undefined;
  /** RFC 3463 enhanced status code (e.g. "5.7.1"), if the reply had one. */
  enhancedCode?: string | undefined;
  /** The server's reply text. */
  response?: string | undefined;
  /** HTTP status (Graph, token endpoint). */
  httpStatus?: number | undefined;
  /** Graph error code (e.g. "ErrorSendAsDenied") or AADSTS code (e.g. "AADSTS7000215"). */
  serviceCode?: string | undefined;
  /** Node/nodemailer error code: ECONNREFUSED, ETIMEDOUT, ENOTFOUND, EAUTH, ETLS, … */
  errno?: string | undefined;
  /** Seconds to wait before retrying (Retry-After). */
  retryAfterSeconds?: number | undefined;
  /** Redacted protocol transcript. */
  transcript?: string | undefined;
  /**
   * Which protocol produced it. `http` is any other HTTP API (a provider of the host's own,
   * docs/providers/custom.md): its 401, 403 and 404 are not read as Microsoft Graph's.
   */
  protocol?: 'smtp' | 'graph' | 'token' | 'file' | 'http' | undefined;
  /** Domain of a recipient involved (for single-label domain detection). */
  domain?: string | undefined;
  /** The email may have been sent despite the failure (see `FailureDetail.mayHaveBeenSent`). */
  mayHaveBeenSent?: boolean | undefined;
}

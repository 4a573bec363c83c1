/**
 * Stable error codes. A code never changes meaning once released; hosts may
 * switch on it, store it, and show the catalogue's explanation and fix.
 *
 * Input codes are raised before any provider is called (nothing is sent).
 * Delivery codes are the classified result of a provider failure.
 */
export const ErrorCodes = {
  // ---- input / configuration (nothing was sent) ----
  INVALID_ADDRESS: 'MW_INVALID_ADDRESS',
  INVALID_HEADER: 'MW_INVALID_HEADER',
  NO_RECIPIENTS: 'MW_NO_RECIPIENTS',
  INVALID_MESSAGE: 'MW_INVALID_MESSAGE',
  ATTACHMENT_TOO_LARGE: 'MW_ATTACHMENT_TOO_LARGE',
  ATTACHMENT_UNREADABLE: 'MW_ATTACHMENT_UNREADABLE',
  INVALID_SETTINGS: 'MW_INVALID_SETTINGS',
  SECRET_KEY_MISSING: 'MW_SECRET_KEY_MISSING',
  SECRET_KEY_INVALID: 'MW_SECRET_KEY_INVALID',
  SECRET_UNREADABLE: 'MW_SECRET_UNREADABLE',
  PROVIDER_NOT_FOUND: 'MW_PROVIDER_NOT_FOUND',
  PROVIDER_NOT_CONFIGURED: 'MW_PROVIDER_NOT_CONFIGURED',
  PROVIDER_NOT_ALLOWED: 'MW_PROVIDER_NOT_ALLOWED',
  PROVIDER_SELECTION_REQUIRED: 'MW_PROVIDER_SELECTION_REQUIRED',
  NO_BATCH_PROVIDER: 'MW_NO_BATCH_PROVIDER',
  USER_NOT_FOUND: 'MW_USER_NOT_FOUND',
  EMAIL_NOT_FOUND: 'MW_EMAIL_NOT_FOUND',
  EXCHANGE_EXTERNAL_USER: 'MW_EXCHANGE_EXTERNAL_USER',
  TEMPLATE_NOT_FOUND: 'MW_TEMPLATE_NOT_FOUND',
  TEMPLATE_RENDER_FAILED: 'MW_TEMPLATE_RENDER_FAILED',
  TEMPLATE_SENDER_INVALID: 'MW_TEMPLATE_SENDER_INVALID',
  STORE_FAILED: 'MW_STORE_FAILED',

  // ---- delivery (classified provider failures) ----
  AUTH_FAILED: 'MW_AUTH_FAILED',
  SMTP_AUTH_DISABLED: 'MW_SMTP_AUTH_DISABLED',
  CLIENT_NOT_AUTHENTICATED: 'MW_CLIENT_NOT_AUTHENTICATED',
  SMTP_AUTH_NOT_SUPPORTED: 'MW_SMTP_AUTH_NOT_SUPPORTED',
  TLS_FAILED: 'MW_TLS_FAILED',
  TLS_REQUIRED_NOT_OFFERED: 'MW_TLS_REQUIRED_NOT_OFFERED',
  SEND_AS_DENIED: 'MW_SEND_AS_DENIED',
  RECIPIENT_UNKNOWN: 'MW_RECIPIENT_UNKNOWN',
  RECIPIENTS_REJECTED: 'MW_RECIPIENTS_REJECTED',
  MAILBOX_FULL: 'MW_MAILBOX_FULL',
  MESSAGE_TOO_LARGE: 'MW_MESSAGE_TOO_LARGE',
  TOO_MANY_RECIPIENTS: 'MW_TOO_MANY_RECIPIENTS',
  RATE_LIMITED: 'MW_RATE_LIMITED',
  TRANSIENT_FAILURE: 'MW_TRANSIENT_FAILURE',
  CONNECTION_FAILED: 'MW_CONNECTION_FAILED',
  DNS_FAILED: 'MW_DNS_FAILED',
  SINGLE_LABEL_DOMAIN: 'MW_SINGLE_LABEL_DOMAIN',
  GRAPH_UNAUTHORIZED: 'MW_GRAPH_UNAUTHORIZED',
  GRAPH_ACCESS_DENIED: 'MW_GRAPH_ACCESS_DENIED',
  MAILBOX_NOT_FOUND: 'MW_MAILBOX_NOT_FOUND',
  MAILBOX_NOT_ENABLED_FOR_REST: 'MW_MAILBOX_NOT_ENABLED_FOR_REST',
  SERVICE_UNAVAILABLE: 'MW_SERVICE_UNAVAILABLE',
  MSAL_INVALID_CLIENT_SECRET: 'MW_MSAL_INVALID_CLIENT_SECRET',
  MSAL_APP_NOT_FOUND: 'MW_MSAL_APP_NOT_FOUND',
  MSAL_CONSENT_REQUIRED: 'MW_MSAL_CONSENT_REQUIRED',
  DELIVERY_FAILED: 'MW_DELIVERY_FAILED',
  FORWARDING_BLOCKED: 'MW_FORWARDING_BLOCKED',
  /** A mailbox forwards to a directory contact that does not exist. */
  FORWARDING_CONTACT_NOT_FOUND: 'MW_FORWARDING_CONTACT_NOT_FOUND',
  /** The provider cannot redirect (deliver a message keeping its original From to other recipients). */
  REDIRECT_NOT_SUPPORTED: 'MW_REDIRECT_NOT_SUPPORTED',
  /** The send request may have been accepted and cannot be checked: not retried, to never send twice. */
  SEND_OUTCOME_UNKNOWN: 'MW_SEND_OUTCOME_UNKNOWN',

  // ---- appended: store ----
  /** A history query has an invalid filter, limit or cursor. */
  INVALID_QUERY: 'MW_INVALID_QUERY',
  /** Another email already uses this idempotency key. */
  IDEMPOTENCY_KEY_CONFLICT: 'MW_IDEMPOTENCY_KEY_CONFLICT',

  // ---- appended: history ----
  /** An administrator cancelled a waiting email (`history.cancel`); it failed without being sent. */
  CANCELLED: 'MW_CANCELLED',

  // ---- appended: eml provider ----
  /** The .eml draft file could not be written (the eml provider's `directory` cannot be created, is not a folder, or is not writable). */
  EXPORT_FAILED: 'MW_EXPORT_FAILED',

  // ---- appended: smtp ----
  /** The SMTP server offers AUTH, but only mechanisms that do not take a password (XOAUTH2, NTLM, GSSAPI). */
  SMTP_AUTH_MECHANISM_UNSUPPORTED: 'MW_SMTP_AUTH_MECHANISM_UNSUPPORTED',

  // ---- appended: exchange token endpoint (Entra ID) ----
  /** Entra ID rejected the app's certificate credential (the signed client assertion): AADSTS700027, AADSTS700024. */
  MSAL_INVALID_CLIENT_CERTIFICATE: 'MW_MSAL_INVALID_CLIENT_CERTIFICATE',
  /** Entra ID issued no token for another reason it named by an AADSTS code (disabled app, Conditional Access, …). */
  MSAL_TOKEN_REFUSED: 'MW_MSAL_TOKEN_REFUSED',

  // ---- appended: forwarding (inbound mail) ----
  /** A received message is over a limit of processInbound (header size, MIME parts); nothing was forwarded. */
  INBOUND_LIMIT_EXCEEDED: 'MW_INBOUND_LIMIT_EXCEEDED',
  // ---- appended: exchange (issue 22) ----
  /** Conditional Access needs the user to sign in again (MFA, compliant device…): the error's `details.claims` is the claims challenge to re-prompt with. */
  CONDITIONAL_ACCESS_CHALLENGE: 'MW_CONDITIONAL_ACCESS_CHALLENGE',
  /** The sending mailbox is over its storage quota (Graph ErrorQuotaExceeded): Exchange cannot save the message to send it. */
  SENDER_MAILBOX_FULL: 'MW_SENDER_MAILBOX_FULL',
  /** Exchange refused one or more recipients of the message as invalid (Graph ErrorInvalidRecipients). */
  INVALID_RECIPIENTS: 'MW_INVALID_RECIPIENTS',
  /** The draft or message a Graph request named is gone from the mailbox (Graph ErrorItemNotFound). */
  GRAPH_ITEM_NOT_FOUND: 'MW_GRAPH_ITEM_NOT_FOUND',
  /** An application access policy or RBAC for Applications scope leaves the mailbox out (403 `[RAOP] … AccessPolicy`). */
  GRAPH_ACCESS_POLICY_DENIED: 'MW_GRAPH_ACCESS_POLICY_DENIED',
  /** A copy of an earlier attempt is in the mailbox's Drafts, maybe in transit: checked again later instead of sent twice. */
  SEND_IN_TRANSIT: 'MW_SEND_IN_TRANSIT',
  // ---- appended: security (issue 20) ----
  /** A folder for the database or .eml drafts is writable by other users or owned by another user: refused, nothing written in it. */
  UNSAFE_FOLDER: 'MW_UNSAFE_FOLDER',
  /** The SMTP connection is not encrypted and credentials would go in clear: refused unless `allowInsecureAuth` is set. */
  SMTP_AUTH_WITHOUT_TLS: 'MW_SMTP_AUTH_WITHOUT_TLS',
  /** An attachment `path` is outside the folder `attachmentRoot` allows: refused, nothing sent or queued. */
  ATTACHMENT_PATH_NOT_ALLOWED: 'MW_ATTACHMENT_PATH_NOT_ALLOWED',
  // ---- appended: cli ----
  /** The `mailwright` command was pointed at a database file that does not exist (a mistyped `--db`). */
  DATABASE_NOT_FOUND: 'MW_DATABASE_NOT_FOUND',
  // ---- appended: queue (issue 21) ----
  /** A queued email's stored message cannot be read (not JSON, fields missing or of the wrong kind, an unknown format version): it failed without being sent. */
  MESSAGE_UNREADABLE: 'MW_MESSAGE_UNREADABLE',
  /** The worker sending an email stopped before recording its outcome; another took it over when the lease expired. The first may have sent it. */
  LEASE_EXPIRED: 'MW_LEASE_EXPIRED',
  /** The SMTP connection broke after the whole message was sent, before the server answered: it may have been delivered. Retried; the email is marked a possible duplicate. */
  SMTP_OUTCOME_UNKNOWN: 'MW_SMTP_OUTCOME_UNKNOWN',
} as const;

/** Union of every stable error code. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

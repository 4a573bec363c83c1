import type { Clock } from '../clock/clock.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import type { MailboxInboxRules } from '../forwarding/policy/mailbox-inbox-rules.js';
import type { Address, EmailMessage } from '../message/message.js';
import type { SettingsReader } from '../parameters/settings-reader.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { DirectoryUser, SenderMode } from '../users/user-directory.js';
import type { Logger } from '../logger.js';
import type { ConnectionCheckResult, VerifyConnectionOptions } from './connection-check.js';

/** Interactive (a person pressed Send) or batch (queue / distributor). */
export type SendMode = 'interactive' | 'batch';

/** What a provider is told about one delivery attempt. */
export interface SendContext {
  /** Interactive or batch sending. */
  mode: SendMode;
  /** The history record id of this email. */
  emailId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The user on whose behalf the email is sent, when known. */
  user?: DirectoryUser;
  /** Aborted when the attempt should be abandoned; a provider may stop early then. */
  signal?: AbortSignal;
  /**
   * The classified failure of the email's previous attempt, when there was one and it
   * ended with a failure. Its `mayHaveBeenSent` tells a provider that can look (Exchange)
   * to check the mailbox before sending again.
   */
  previousFailure?: FailureDetail;
}

/** Who a mailbox is asked for: the provider may send from a different mailbox per mode and user. */
export interface MailboxContext {
  /** Interactive or batch sending. */
  mode: SendMode;
  /** The sending user, when known. */
  user?: DirectoryUser;
}

/** Outcome for one recipient. */
export interface RecipientResult {
  /** The recipient's address. */
  address: string;
  /** Whether the server accepted or rejected the recipient. */
  status: 'accepted' | 'rejected';
  /** SMTP reply code for this recipient, e.g. 550. */
  smtpCode?: number;
  /** RFC 3463 enhanced status code, e.g. "5.1.1". */
  enhancedCode?: string;
  /** The server's reply for this recipient. */
  response?: string;
}

/** What a provider returns when it delivered (or exported) an email. */
export interface SendReceipt {
  /** `sent` for delivery to a server, `exported` for a file the user opens. */
  status: 'sent' | 'exported';
  /** The Message-ID header as sent. */
  messageId: string;
  /** Provider-side id (SMTP queue id, Graph message id). */
  providerMessageId?: string;
  /** Per-recipient result (all accepted unless the server said otherwise). */
  recipients: RecipientResult[];
  /** Final server reply, e.g. "250 2.0.0 OK queued as …". */
  response?: string;
  /** Redacted protocol transcript. */
  transcript?: string;
  /** For exports: where the file is, and its bytes. */
  artifact?: { path?: string; filename: string; content: Buffer };
  /** Encoded size in bytes as sent. */
  sizeBytes?: number;
}

/** Everything a provider may need from mailwright; given once, at registration. */
export interface ProviderRuntime {
  /** The instance's source of time. */
  clock: Clock;
  /** The instance's logger; never give it a password or a token. */
  logger: Logger;
  /** Encrypts and decrypts secrets at rest (e.g. a stored SMTP password). */
  secrets: SecretBox;
  /** Reads persisted settings, e.g. the provider's own under `provider:<id>`. */
  settings: SettingsReader;
}

/** Static facts about a provider, used for choice lists, throttling and identity. */
export interface ProviderInfo {
  /** Unique id, e.g. "smtp", "exchange", "eml". */
  readonly id: string;
  /** Implementation family. */
  readonly kind: 'smtp' | 'exchange' | 'eml' | (string & {});
  /** Label for choice lists, e.g. "Use the system email client". */
  readonly displayName: string;
  /** May be chosen for interactive sending. */
  readonly interactive: boolean;
  /** May be the batch (queued) provider. */
  readonly batch: boolean;
  /**
   * Microsoft 365 (Exchange Online, smtp.office365.com): 30/minute by default. What is known
   * when the provider is made; see {@link Provider.usesMicrosoft365} for settings read later.
   */
  readonly microsoft365: boolean;
}

/**
 * The provider contract: deliver one validated message, or throw a
 * `MailwrightError` whose `failure` is classified. A provider knows nothing
 * about queues, history or throttling.
 */
export interface Provider extends ProviderInfo {
  /** Called once when registered with a mailwright instance. */
  init?(runtime: ProviderRuntime): void;
  /**
   * Whether it sends through Microsoft 365 with the settings in force now, when that is
   * known only from settings read at run time (an SMTP provider with stored settings: their
   * host). The distributor and `parameters.effective()` ask it for the default per-minute limit.
   * @default the static `microsoft365`
   */
  usesMicrosoft365?(): Promise<boolean>;
  /**
   * The mailbox the provider authenticates as, for Send On Behalf (`Sender`).
   * Exchange answers the batch account in batch mode and the user's own mailbox
   * in interactive mode. Without a context: the batch mailbox.
   * @default undefined (From only)
   */
  mailbox?(context?: MailboxContext): Promise<Address | undefined>;
  /** How a user's address is represented when it is not the mailbox. @default 'sendAs' */
  readonly senderMode?: SenderMode;
  /** Delivers (or exports) one validated message; on failure throws a `MailwrightError` with a classified `failure`. */
  send(message: EmailMessage, context: SendContext): Promise<SendReceipt>;
  /**
   * Reads the inbox rules of a mailbox from the server, for an administrator's
   * audit of automatic forwarding. Exchange: Graph `messageRules` of the Inbox
   * with the app-only token, which needs the MailboxSettings.Read application
   * permission (admin consent). Conditions and actions mailwright does not
   * model are named in each rule's `unsupported`. Failures are classified like
   * send failures (e.g. `MW_GRAPH_ACCESS_DENIED`, `MW_MAILBOX_NOT_FOUND`).
   * @param mailbox The mailbox's address.
   * @default undefined (the provider cannot read inbox rules)
   */
  readInboxRules?(mailbox: string): Promise<MailboxInboxRules>;
  /**
   * Checks, without sending any email, that the provider can send: SMTP connects, starts TLS,
   * authenticates, probes MAIL FROM and quits; Exchange gets a token, lists its permissions
   * against what each feature needs and probes the batch mailbox; .eml writes to its folder.
   * Each problem comes with its error code and fix. Never throws for what it finds.
   * @default undefined (the provider cannot check its connection)
   */
  verifyConnection?(options?: VerifyConnectionOptions): Promise<ConnectionCheckResult>;
  /** Releases connections. */
  close?(): Promise<void>;
}

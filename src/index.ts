// Public API of mailwright. Everything a host application needs is exported here.

export { createMailwright, type Mailwright } from './mailwright.js';
export type { MailwrightOptions } from './mailwright-options.js';

// Time
export { systemClock, toIso, type Clock } from './clock/clock.js';
export { ManualClock } from './clock/manual-clock.js';
export { silentLogger, type Logger, type LogFields } from './logger.js';

// Errors and the failure catalogue
export { ErrorCodes, type ErrorCode } from './errors/error-codes.js';
export { MailwrightError, isMailwrightError, type MailwrightErrorOptions } from './errors/mailwright-error.js';
export type { FailureCategory, FailureDetail, FailureExplanation } from './errors/failure-detail.js';
export type { RawFailure } from './errors/raw-failure.js';
export { classifyFailure, failureError } from './errors/classify-failure.js';
export { explainFailure } from './errors/explain-failure.js';
export { failureCatalogue, catalogueEntry } from './errors/failure-catalogue.js';
export type { CatalogueEntry, NormalizedFailure } from './errors/catalogue-entry.js';
export { redactTranscript, redactSecrets } from './errors/redact.js';

// Messages
export type { Address, AddressInput, Attachment, AttachmentInput, EmailMessage, MessageInput } from './message/message.js';
export { parseAddress, parseAddressList, formatAddress } from './message/address.js';
export { validateMessage, type ValidateOptions } from './message/validate-message.js';
export { encodeMessage, encodeMessageToBuffer, measureEncodedSize, encodedSizeUpperBound, assertWithinSizeLimit, type EncodeOptions } from './message/encode-message.js';

// Parameters, settings, secrets
export {
  emailParametersSchema,
  emailParametersSchemaFor,
  effectivePerMinuteLimit,
  effectiveRetentionDays,
  DEFAULT_RETENTION_DAYS,
  MICROSOFT_365_PER_MINUTE_LIMIT,
  type EmailParameters,
  type EmailParametersInput,
} from './parameters/email-parameters.js';
export { ParametersService, type EffectiveParameters } from './parameters/parameters-service.js';
export { parseSettings } from './parameters/parse-settings.js';
export { settingsIssues, translateSettingsIssues, type SettingsIssue } from './parameters/settings-issues.js';
export { smtpSettingsSchema, smtpPasswordIssues, type SmtpSettings, type SmtpSettingsInput, type StoredSmtpSettings } from './parameters/smtp-settings.js';
export { userEmailOptionsSchema, userEmailOptionsSchemaFor } from './parameters/user-email-options.js';
export { settingsJsonSchemas, type JsonSchema, type SettingsJsonSchemas, type SettingsJsonSchemaOptions } from './parameters/json-schemas.js';
export { settingsSchemas, type SettingsSchemas } from './parameters/settings-schemas.js';
export { settingsFormats } from './parameters/settings-formats.js';
export { settingsFromForm, CLEAR_FIELD, type SettingsFormData, type SettingsFormOptions, type SettingsFormResult } from './parameters/settings-from-form.js';
export {
  settingsCatalogue,
  settingsCatalogues,
  formatSettingsMessage,
  type FieldText,
  type SettingsCatalogue,
  type SettingsFieldKey,
  type SettingsMessageKey,
  type SettingsSchemaName,
} from './parameters/settings-catalogue.js';
export type { SettingsReader } from './parameters/settings-reader.js';
export { createSecretBox, generateSecretKey, type SecretBoxOptions } from './secrets/aes-gcm-secret-box.js';
export type { EncryptedSecret, SecretBox } from './secrets/secret-box.js';

// Providers
export type { MailboxContext, Provider, ProviderInfo, ProviderRuntime, RecipientResult, SendContext, SendMode, SendReceipt } from './providers/provider.js';
export { ProviderSelectionRequired, type ProviderChoice } from './providers/provider-selection-required.js';
export { smtpProvider, type SmtpProviderOptions } from './providers/smtp/smtp-provider.js';
export { sealSmtpSettings, openSmtpSettings, describeSmtpSettings, completeSmtpSettings } from './providers/smtp/smtp-settings-store.js';
export { smtpSettingsService, type SmtpSettingsService, type SmtpSettingsView } from './providers/smtp/smtp-settings-service.js';
export { SealedSettingsService, providerSettingsKey, type SettingsCodec } from './providers/sealed-settings-service.js';
export { emlProvider, type EmlProviderOptions } from './providers/eml/eml-provider.js';
export { exchangeProvider, type ExchangeProviderOptions } from './providers/exchange/exchange-provider.js';
export type { DelegatedAuth } from './providers/exchange/exchange-tokens.js';
export { createHttpsTransport, type HttpsTransportOptions, type HttpTransport, type HttpRequest, type HttpResponse } from './providers/exchange/https-transport.js';
export { sealExchangeSettings, openExchangeSettings, describeExchangeSettings, completeExchangeSettings, type ExchangeSettingsView } from './providers/exchange/exchange-settings-store.js';
export { exchangeSettingsService, type ExchangeSettingsService } from './providers/exchange/exchange-settings-service.js';
export { exchangeSettingsSchema, exchangeCredentialIssues, type ExchangeCertificate, type ExchangeSettings, type ExchangeSettingsInput, type StoredExchangeSettings } from './parameters/exchange-settings.js';
// Connection checks (verifyConnection) and Exchange clouds
export { verifyProviderConnection, type ConnectionCheck, type ConnectionCheckResult, type ConnectionCheckStatus, type VerifyConnectionOptions } from './providers/connection-check.js';
export { EXCHANGE_CLOUDS, type ExchangeCloud, type ExchangeCloudInfo } from './providers/exchange/exchange-clouds.js';

// Users and sender identity
export type { DirectoryUser, SenderMode, UserDirectory, UserEmailOptions, UserEmailOptionsUpdate } from './users/user-directory.js';
export { InMemoryUserDirectory } from './users/in-memory-user-directory.js';
export type { ContactDirectory, DirectoryContact } from './users/contact-directory.js';
export { InMemoryContactDirectory } from './users/in-memory-contact-directory.js';
export { userFromAddress, applySenderMode, type SenderIdentity } from './users/sender-identity.js';

// Sending
export type { Draft } from './send/draft.js';
export type { SendOptions } from './send/send-options.js';
export type { SendResult, TestEmailResult } from './send/send-result.js';
export type { TestEmailOptions } from './send/immediate-sender.js';

// Queue and distributor
export { Enqueuer, type EnqueueItem } from './queue/enqueuer.js';
export type { EnqueueOptions } from './queue/enqueue-options.js';
export { Distributor } from './queue/distributor.js';
export type { DistributionSummary, RunOnceOptions, StartOptions } from './queue/distributor-run.js';
export { parseEvery } from './queue/parse-every.js';
export type { DistributorOptions } from './queue/distributor-options.js';
export { DISTRIBUTOR_LAST_RUN_KEY, type DistributorLastRun } from './queue/last-run.js';
export { QueueEventEmitter, type QueueEventName, type QueueEvents } from './queue/queue-events.js';
export { throttleDecision, THROTTLE_WINDOW_MS, type ThrottleDecision, type ThrottleInput } from './queue/throttle.js';
export { retryDelayMs, type BackoffOptions } from './queue/backoff.js';
export { serializeMessage, deserializeMessage } from './queue/message-payload.js';

// History and storage
export {
  HistoryService,
  type CancelOptions,
  type CancelResult,
  type CancelSkipReason,
  type EmailHistoryEntry,
  type HistoryExportOptions,
  type HistoryListItem,
  type HistoryListPage,
  type PurgeResult,
  type RetryResult,
  type RetrySkipReason,
} from './history/history-service.js';
export { formatHistoryTable, formatBytes } from './history/format-history-table.js';
export type { RetryAvailability } from './history/retry-availability.js';
export type { HistoryExportFormat } from './history/history-export.js';
export { partlyRefused, type PartlyRefused } from './history/partly-refused.js';
export { FINAL_STATUSES, type AttemptRecord, type EmailPatch, type EmailRecord, type EmailStatus, type NewEmailRecord, type RecipientRecord } from './store/email-record.js';
export { newEmailId } from './store/email-id.js';
export type { HistoryCountQuery, HistoryCounts, HistoryPage, HistoryQuery } from './store/history-query.js';
export type { AttemptCompletion, ClaimOptions, DeferredEmail, EmailChange, ExtendLeasesOptions, FinishedAttempts, ReserveSendsOptions, SendReservation, Store } from './store/store.js';
export { createSqliteStore, DEFAULT_SQLITE_FILENAME, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './store/postgres/postgres-store.js';

// Templates and workflow notifications
export { emailTemplateSchema, templateVariantSchema, type EmailTemplate, type TemplateVariant, type TemplateOrigin, type TemplateLevel } from './templates/email-template.js';
export { InMemoryTemplateSource, type TemplateSource, type TemplateScope } from './templates/template-source.js';
export { layeredTemplateSource } from './templates/layered-template-source.js';
export { TemplateCatalog, type TemplateCatalogSources, type RenderOptions, type RenderedContent, type RenderedTemplate, type TemplateSelection } from './templates/template-catalog.js';
export { pickLanguage } from './templates/pick-language.js';
export { templateSender } from './templates/template-sender.js';
export type { TemplatePart } from './templates/liquid-renderer.js';
export { Notifier, type NotifyOptions, type NotifyResult, type SkipReason } from './templates/notifier.js';

// Record forwarding
export type { ForwardableRecord, ConversationEntry } from './forwarding/forwardable-record.js';
export type { RecordJournal, JournalEntry, JournalNote, JournalTimelineEntry, JournalError } from './forwarding/record-journal.js';
export { InMemoryRecordJournal } from './forwarding/in-memory-record-journal.js';
export { DEFAULT_FORWARD_THEME_ID, defaultForwardTheme } from './forwarding/default-forward-theme.js';
export { forwardHeaders } from './forwarding/forward-headers.js';
export { ForwardEventEmitter, type ForwardEvents } from './forwarding/forward-events.js';
export { RecordForwarder, type ForwardResult, type ForwardingConfig } from './forwarding/record-forwarder.js';
export type { ForwardRecordOptions } from './forwarding/forward-record-options.js';

// Automatic forwarding policy (Exchange style)
export {
  forwardingPolicySchema,
  mailboxForwardingSchema,
  type ForwardingPolicy,
  type ForwardingPolicyInput,
  type MailboxForwarding,
  type MailboxForwardingInput,
} from './forwarding/policy/forwarding-policy.js';
export { inboxRuleSchema, type InboxRule, type InboxRuleInput, type RuleActions, type RuleConditions } from './forwarding/policy/inbox-rule.js';
export { remoteDomainSchema, remoteDomainFor, DEFAULT_REMOTE_DOMAIN, type RemoteDomain } from './forwarding/policy/remote-domains.js';
export type { MailboxInboxRules, ReadInboxRule } from './forwarding/policy/mailbox-inbox-rules.js';
export {
  planForwards,
  type PlanInput,
  type ForwardingPlan,
  type PlannedForward,
  type ForwardSource,
  type ForwardStyle,
  type BlockedRecipients,
  type BlockCause,
  type MarkFacts,
} from './forwarding/policy/plan-forwards.js';
export { AUTO_FORWARDED_HEADER, INBOX_RULES_LOOP_HEADER } from './forwarding/policy/auto-forward-message.js';
export type { InboundEmail } from './forwarding/policy/inbound-email.js';
export { MARK_HEADER } from './forwarding/forwarding-mark.js';
export { inboundLimitsSchema, type InboundLimits } from './forwarding/policy/inbound-limits.js';
export { redirectSettingsSchema, type RedirectSettings } from './forwarding/policy/redirect-settings.js';
export { ForwardingPolicyService, FORWARDING_POLICY_KEY, type ForwardingAuditOptions } from './forwarding/policy/forwarding-policy-service.js';
export { AutoForwarder, type InboundDelivery, type InboundResult, type AutoForwardOutcome } from './forwarding/policy/auto-forwarder.js';
export type { ForwardingAuditEntry } from './forwarding/policy/forwarding-audit.js';
export type { AuditTarget } from './forwarding/policy/audit-targets.js';
export type { ExchangeExport, ExchangeCmdlet } from './forwarding/policy/exchange-export.js';
export type { ImportSource } from './forwarding/policy/imported-forwarding.js';
export { formatAuditEntry } from './forwarding/policy/format-audit-entry.js';
export { TypedEventEmitter, type TypedEventEmitterOptions } from './typed-event-emitter.js';

// The `mailwright` command
export { ExitCodes, type ExitCode } from './cli/exit-codes.js';

// Security (issue 20): template limits, secrets in play
export { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from './templates/template-limits.js';
export { markSecret } from './errors/secrets-in-play.js';

import { z } from 'zod';
import type { ProviderInfo } from '../providers/provider.js';
import { invalid, named, providerIdField, trimmedText } from './settings-fields.js';

/** Default history retention in days. */
export const DEFAULT_RETENTION_DAYS = 30;
/** Exchange Online's sending limit, applied to Microsoft 365 providers unless set by hand. */
export const MICROSOFT_365_PER_MINUTE_LIMIT = 30;

/**
 * The email parameters' schema; with the registered `providers`, provider ids are checked
 * too (the batch provider must be one that sends batch email, a per-minute limit must name a
 * registered provider) and listed as enums in its JSON Schema.
 */
export function emailParametersSchemaFor(providers?: readonly ProviderInfo[]) {
  const batchProviderId =
    providers === undefined
      ? trimmedText('emailParameters.batchProviderId')
      : providerIdField('emailParameters.batchProviderId', providers, (p) => p.batch, 'notBatchProvider');
  const limitProvider = providers === undefined ? z.string().min(1) : providerIdField('emailParameters.perMinuteLimits', providers, () => true, 'unknownProvider');
  return named(
    z.strictObject({
      /** Provider that sends non-interactive (queued) email. @default null (none: queued email waits) */
      batchProviderId: batchProviderId.nullable().default(null),
      /** Maximum size in bytes of ONE email (body and all attachments, as encoded). @default 26214400 (25 MiB) */
      attachmentSizeLimitBytes: z.number(invalid('emailParameters.attachmentSizeLimitBytes')).int().positive().default(26_214_400),
      /** Days to keep finished history records; 0 means the default (30), never "keep nothing". @default 30 */
      historyRetentionDays: z.number(invalid('emailParameters.historyRetentionDays')).int().min(0).max(36_500).default(DEFAULT_RETENTION_DAYS),
      /**
       * Per-minute sending limit by provider id; 0 = no limit. A provider not listed gets
       * the automatic limit: 30 for Microsoft 365 providers, else none. @default {}
       */
      perMinuteLimits: z.record(limitProvider, z.number(invalid('emailParameters.perMinuteLimits.*')).int().min(0), invalid('emailParameters.perMinuteLimits')).default({}),
      /** Deferrals after which an email is sent even though the limit is reached. @default 10 */
      maxDeferrals: z.number(invalid('emailParameters.maxDeferrals')).int().min(0).default(10),
      /** Attempts for transient failures before the email fails. @default 5 */
      maxAttempts: z.number(invalid('emailParameters.maxAttempts')).int().min(1).max(100).default(5),
    }),
    'emailParameters',
  );
}

/** The email parameters an administrator sets for the whole application (provider ids unchecked: see {@link emailParametersSchemaFor}). */
export const emailParametersSchema = emailParametersSchemaFor();

/** Email parameters with defaults applied. */
export type EmailParameters = z.output<typeof emailParametersSchema>;
/** Email parameters as written (every field optional). */
export type EmailParametersInput = z.input<typeof emailParametersSchema>;

/** Retention days in force: 0 means the default (30). */
export function effectiveRetentionDays(params: Pick<EmailParameters, 'historyRetentionDays'>): number {
  return params.historyRetentionDays === 0 ? DEFAULT_RETENTION_DAYS : params.historyRetentionDays;
}

/** Per-minute limit in force for a provider: set by hand (even 0) wins; else 30 for Microsoft 365, else 0 (none). */
export function effectivePerMinuteLimit(params: Pick<EmailParameters, 'perMinuteLimits'>, provider: Pick<ProviderInfo, 'id' | 'microsoft365'>): number {
  const byHand = params.perMinuteLimits[provider.id];
  if (byHand !== undefined) return byHand;
  return provider.microsoft365 ? MICROSOFT_365_PER_MINUTE_LIMIT : 0;
}

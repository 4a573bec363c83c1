import { z } from 'zod';
import type { ProviderInfo } from '../providers/provider.js';

/** Default history retention in days. */
export const DEFAULT_RETENTION_DAYS = 30;
/** Exchange Online's sending limit, applied to Microsoft 365 providers unless set by hand. */
export const MICROSOFT_365_PER_MINUTE_LIMIT = 30;

/** The email parameters an administrator sets for the whole application. */
export const emailParametersSchema = z
  .strictObject({
    /** Provider that sends non-interactive (queued) email. @default null (none: queued email waits) */
    batchProviderId: z.string().trim().min(1).nullable().default(null),
    /** Maximum size in bytes of ONE email (body and all attachments, as encoded). @default 26214400 (25 MiB) */
    attachmentSizeLimitBytes: z.number().int().positive().default(26_214_400),
    /** Days to keep finished history records; 0 means the default (30), never "keep nothing". @default 30 */
    historyRetentionDays: z.number().int().min(0).max(36_500).default(DEFAULT_RETENTION_DAYS),
    /**
     * Per-minute sending limit by provider id; 0 = no limit. A provider not listed gets
     * the automatic limit: 30 for Microsoft 365 providers, else none. @default {}
     */
    perMinuteLimits: z.record(z.string().min(1), z.number().int().min(0)).default({}),
    /** Deferrals after which an email is sent even though the limit is reached. @default 10 */
    maxDeferrals: z.number().int().min(0).default(10),
    /** Attempts for transient failures before the email fails. @default 5 */
    maxAttempts: z.number().int().min(1).max(100).default(5),
  })
  .meta({ title: 'Email parameters' });

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

import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { markSecretFields } from '../errors/secrets-in-play.js';

/** One bad field of a settings object. */
export interface SettingsIssue {
  /** Dotted path, e.g. "perMinuteLimits.smtp". */
  field: string;
  /** What is wrong with the field (never echoes its value). */
  message: string;
}

/** The MW_INVALID_SETTINGS error listing every bad field. */
export function invalidSettings(what: string, issues: SettingsIssue[]): MailwrightError {
  const lines = issues.map((i) => `- ${i.field || '(object)'}: ${i.message}`).join('\n');
  return new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The ${what} have ${issues.length} problem(s); nothing was changed:\n${lines}`, {
    fix: 'Correct every field listed and save again.',
    details: { issues },
  });
}

/** zod issues as {@link SettingsIssue}s (never echoing the received value: it may be a password). */
export function settingsIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Parses settings with a zod schema; on failure throws ONE MW_INVALID_SETTINGS
 * error whose message and `details.issues` list every bad field. The secrets of
 * settings parsed (passwords, client secrets, private keys) are remembered as
 * secrets in play, so no failure ever shows them.
 */
export function parseSettings<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidSettings(what, settingsIssues(result.error));
  markSecretFields(result.data);
  return result.data;
}

/** A string option that must not be empty or blank. */
export const nonBlankString = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be empty`);

/**
 * Parses a call's options with a zod schema (JavaScript callers are not held to
 * the types); on failure throws ONE MW_INVALID_SETTINGS naming every bad option.
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string, fix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = settingsIssues(result.error);
  throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Invalid ${what}: ${issues.map((i) => `${i.field || '(options)'}: ${i.message}`).join('; ')}.`, {
    fix,
    details: { issues },
  });
}

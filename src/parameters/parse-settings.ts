import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { markSecretFields } from '../errors/secrets-in-play.js';
import { settingsIssues, type SettingsIssue } from './settings-issues.js';

export { settingsIssues, type SettingsIssue } from './settings-issues.js';

/** The MW_INVALID_SETTINGS error listing every bad field. */
export function invalidSettings(what: string, issues: SettingsIssue[]): MailwrightError {
  const lines = issues.map((i) => `- ${i.field || '(object)'}: ${i.message}`).join('\n');
  return new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The ${what} have ${issues.length} problem(s); nothing was changed:\n${lines}`, {
    fix: 'Correct every field listed and save again.',
    details: { issues },
  });
}

/**
 * Parses settings with a zod schema; on failure throws ONE MW_INVALID_SETTINGS
 * error whose message and `details.issues` list every bad field, with `more` issues
 * found by checks outside the schema (e.g. against what is stored). The secrets of
 * settings parsed (passwords, client secrets, private keys) are remembered as
 * secrets in play, so no failure ever shows them.
 */
export function parseSettings<S extends z.ZodType>(schema: S, value: unknown, what: string, more: readonly SettingsIssue[] = []): z.output<S> {
  const result = schema.safeParse(value);
  const found = result.success ? [] : settingsIssues(result.error, schema);
  const issues = [...found, ...more.filter((m) => !found.some((i) => i.field === m.field && i.messageKey === m.messageKey))];
  if (!result.success || issues.length > 0) throw invalidSettings(what, issues);
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

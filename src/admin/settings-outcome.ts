import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError } from '../errors/mailwright-error.js';
import type { SettingsIssue } from '../parameters/settings-issues.js';

/** What a settings save failed with: each bad field's message, or an error that is not about one field. */
export type SaveFailure = { errors: Record<string, string> } | { error: { code: string; message: string; fix?: string } };

/** A save's error as the form shows it: MW_INVALID_SETTINGS next to its fields, anything else (a missing secret key) as one notice. */
export function saveFailure(error: unknown): SaveFailure {
  if (!isMailwrightError(error)) throw error;
  if (error.code === ErrorCodes.INVALID_SETTINGS && Array.isArray(error.details.issues)) {
    const errors: Record<string, string> = {};
    for (const issue of error.details.issues as SettingsIssue[]) errors[issue.field] ??= issue.message;
    return { errors };
  }
  return { error: { code: error.code, message: error.message, ...(error.fix !== undefined ? { fix: error.fix } : {}) } };
}

import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../errors/mailwright-error.js';

/**
 * Completes stored provider settings as settings given in code are completed (defaults of the
 * fields added since they were saved, every rule checked), so that settings saved by an
 * earlier version or changed by hand never reach a provider half-formed. Settings that are
 * no longer valid are MW_PROVIDER_NOT_CONFIGURED (a queued email stays queued and the run
 * stops) listing each problem, with the fix: save them again.
 */
export function checkStoredSettings<T>(kind: string, providerId: string, howToSave: string, complete: () => T): T {
  try {
    return complete();
  } catch (error) {
    if (!isMailwrightError(error) || error.code !== ErrorCodes.INVALID_SETTINGS) throw error;
    const issues = (error.details.issues ?? []) as { field: string; message: string }[];
    throw new MailwrightError(
      ErrorCodes.PROVIDER_NOT_CONFIGURED,
      `The stored ${kind} settings of provider "${providerId}" are not valid: ${issues.map((i) => `${i.field || '(settings)'}: ${i.message}`).join('; ')}`,
      {
        fix: `Save the ${kind} settings of "${providerId}" again (${howToSave}), correcting each field listed; queued email waits until then.`,
        details: { providerId, issues },
        cause: error,
      },
    );
  }
}

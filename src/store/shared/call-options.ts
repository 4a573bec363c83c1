import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';

/**
 * Checks the options of a store call: `checks` holds, per check, `false` when
 * it passed or the problem when it failed. Throws MW_INVALID_QUERY listing
 * every problem, with `fix` showing valid options.
 */
export function checkCallOptions(call: string, checks: readonly (string | false)[], fix: string): void {
  const problems = checks.filter((check): check is string => check !== false);
  if (problems.length > 0) {
    throw new MailwrightError(ErrorCodes.INVALID_QUERY, `Invalid ${call} options: ${problems.join('; ')}.`, { fix, details: { problems } });
  }
}

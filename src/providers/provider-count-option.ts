import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/**
 * A provider's cap option (connections, concurrent sends): a whole number
 * >= 1, or `fallback` when absent. Anything else is MW_INVALID_SETTINGS naming
 * the provider and the option; `hint` adds to the fix.
 */
export function providerCountOption(provider: { label: string; id: string }, field: string, value: number | undefined, fallback: number, hint = ''): number {
  const count = value ?? fallback;
  if (Number.isSafeInteger(count) && count >= 1) return count;
  throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `${field} of the ${provider.label} provider "${provider.id}" must be a whole number >= 1; got ${String(count)}.`, {
    fix: `Pass e.g. { ${field}: ${fallback} }${hint}, or leave it out for the default.`,
    details: { providerId: provider.id, field },
  });
}

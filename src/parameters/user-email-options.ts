import { z } from 'zod';
import type { ProviderInfo } from '../providers/provider.js';
import { addressField, invalid, named, providerIdField, trimmedMatch, trimmedText } from './settings-fields.js';

/**
 * The user email options' schema; with the registered `providers`, the "Email provider ID"
 * must be one a user may choose for interactive sending, listed as an enum in its JSON Schema.
 */
export function userEmailOptionsSchemaFor(providers?: readonly ProviderInfo[]) {
  const providerId =
    providers === undefined ? trimmedText('userEmailOptions.providerId') : providerIdField('userEmailOptions.providerId', providers, (p) => p.interactive, 'notInteractiveProvider');
  return named(
    z.strictObject({
      /**
       * "Sender email": send from this address (needs Send As / Send On Behalf on the server).
       * Checked with the address parser send() uses (internationalized and quoted addresses
       * included), not a narrower regex; its JSON Schema has the format `mailwright-address`
       * (see `settingsFormats`), no pattern that could contradict it.
       */
      senderEmail: addressField('userEmailOptions.senderEmail').optional(),
      /** Display name for the Sender email: one line. @default the user's display name */
      senderName: trimmedMatch('userEmailOptions.senderName', '\\S(?:[^\\r\\n]*\\S)?').optional(),
      /** "Email provider ID"; blank = ask each time. */
      providerId: providerId.optional(),
      /** "Do not ask again" was chosen. @default false */
      doNotAskAgain: z.boolean(invalid('userEmailOptions.doNotAskAgain')).optional(),
      /** Receive workflow notifications by email. @default false */
      emailNotifications: z.boolean(invalid('userEmailOptions.emailNotifications')).optional(),
      /** Preferred language (BCP 47), e.g. "fr-CA". */
      language: z
        .string(invalid('userEmailOptions.language'))
        .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
        .optional(),
    }),
    'userEmailOptions',
  );
}

/** zod schema of a user's email options (see UserEmailOptions), for host settings screens (provider ids unchecked: see {@link userEmailOptionsSchemaFor}). */
export const userEmailOptionsSchema = userEmailOptionsSchemaFor();

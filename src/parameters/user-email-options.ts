import { z } from 'zod';
import { addressProblem } from '../message/address.js';

/** zod schema of a user's email options (see UserEmailOptions), for host settings screens. */
export const userEmailOptionsSchema = z
  .strictObject({
    /**
     * "Sender email": send from this address (needs Send As / Send On Behalf on the server).
     * Checked with the address parser send() uses (internationalized and quoted addresses
     * included), not a narrower regex; the JSON Schema carries no pattern that could contradict it.
     */
    senderEmail: z
      .string()
      .trim()
      .refine((value) => addressProblem(value) === undefined, 'Enter a valid email address, e.g. sales@contoso.com')
      .meta({ description: 'Sender email, e.g. sales@contoso.com (internationalized addresses allowed). mailwright checks it as it checks the From address of an email.' })
      .optional(),
    /** Display name for the Sender email. @default the user's display name */
    senderName: z.string().trim().min(1).regex(/^[^\r\n]*$/, 'No line breaks').optional(),
    /** "Email provider ID"; blank = ask each time. */
    providerId: z.string().trim().min(1).optional(),
    /** "Do not ask again" was chosen. @default false */
    doNotAskAgain: z.boolean().optional(),
    /** Receive workflow notifications by email. @default false */
    emailNotifications: z.boolean().optional(),
    /** Preferred language (BCP 47), e.g. "fr-CA". */
    language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language tag such as fr or fr-CA').optional(),
  })
  .meta({ title: 'User email options' });

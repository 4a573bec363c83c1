import { z } from 'zod';

/** zod schema of a user's email options (see UserEmailOptions), for host settings screens. */
export const userEmailOptionsSchema = z
  .strictObject({
    /** "Sender email": send from this address (needs Send As / Send On Behalf on the server). */
    senderEmail: z.email({ message: 'Enter a valid email address, e.g. sales@contoso.com' }).optional(),
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

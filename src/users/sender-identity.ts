import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Address } from '../message/message.js';
import type { MailboxContext, Provider } from '../providers/provider.js';
import type { DirectoryUser } from './user-directory.js';

/** The From (and, for Send On Behalf, Sender) of an email. */
export interface SenderIdentity {
  /** The From address. */
  from: Address;
  /** The Sender (Send On Behalf): the provider's mailbox, when it differs from From. */
  sender?: Address;
}

/**
 * The user's From address: the "Sender email" override when set, else the
 * directory email; display name and casing exactly as the directory has them.
 */
export function userFromAddress(user: DirectoryUser): Address {
  const override = user.options?.senderEmail?.trim();
  const address = override !== undefined && override !== '' ? override : user.email;
  if (typeof address !== 'string' || address.trim() === '') {
    throw new MailwrightError(ErrorCodes.INVALID_ADDRESS, `The user "${user.id}" has no email address, so there is no From address to send as.`, {
      fix: "Set the user's email in your user directory, or a Sender email in the user's email options.",
      details: { field: 'from', userId: user.id },
    });
  }
  const name = (override ? user.options?.senderName : undefined) ?? user.displayName;
  return name === undefined || name === '' ? { address } : { name, address };
}

/**
 * Applies the provider's sender mode to a From address:
 * Send As → From only; Send On Behalf → From = user, Sender = the provider's mailbox
 * (omitted when the mailbox is the From address itself).
 */
export async function applySenderMode(from: Address, provider: Provider, context?: MailboxContext): Promise<SenderIdentity> {
  if ((provider.senderMode ?? 'sendAs') !== 'sendOnBehalf') return { from };
  const mailbox = await provider.mailbox?.(context);
  if (mailbox === undefined || mailbox.address.toLowerCase() === from.address.toLowerCase()) return { from };
  return { from, sender: mailbox };
}

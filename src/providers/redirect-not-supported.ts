import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { EmailMessage } from '../message/message.js';
import type { ProviderInfo } from './provider.js';

/**
 * Refuses a redirect (a message with `envelopeTo` or `envelopeFrom`) in a provider that
 * can only deliver to the message's own To, Cc and Bcc, from its own mailbox. Thrown
 * before any request, so nothing is sent to the original recipients by mistake.
 */
export function refuseRedirect(message: EmailMessage, provider: Pick<ProviderInfo, 'id' | 'displayName'>): void {
  if (message.envelopeTo === undefined && message.envelopeFrom === undefined) return;
  throw new MailwrightError(ErrorCodes.REDIRECT_NOT_SUPPORTED, `"${provider.displayName}" (${provider.id}) cannot redirect: it delivers only to the message's own To, Cc and Bcc, with its own envelope sender.`, {
    fix: 'Send automatic forwarding with an SMTP provider (make it the batch provider), or forward instead of redirecting.',
    details: {
      providerId: provider.id,
      ...(message.envelopeTo !== undefined ? { envelopeTo: message.envelopeTo.map((a) => a.address) } : {}),
      ...(message.envelopeFrom !== undefined ? { envelopeFrom: message.envelopeFrom.address } : {}),
    },
  });
}

import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../errors/mailwright-error.js';
import { parseAddress } from '../message/address.js';
import type { Address } from '../message/message.js';
import type { EmailTemplate } from './email-template.js';

/** The template's sender as an address, or MW_TEMPLATE_SENDER_INVALID when it is missing or invalid. */
export function templateSender(template: EmailTemplate): Address {
  const raw = template.senderEmail?.trim();
  const fix = `Set a valid sender email on the template "${template.id}" (e.g. "Contoso Workflow <workflow@contoso.com>").`;
  if (raw === undefined || raw === '') {
    throw new MailwrightError(ErrorCodes.TEMPLATE_SENDER_INVALID, `The template "${template.id}" has no sender email, so its email cannot be sent. Nothing was queued.`, {
      fix,
      details: { templateId: template.id },
    });
  }
  try {
    const address = parseAddress(raw, 'senderEmail');
    return address.name === undefined && template.senderName ? { name: template.senderName, address: address.address } : address;
  } catch (error) {
    if (!isMailwrightError(error)) throw error;
    throw new MailwrightError(ErrorCodes.TEMPLATE_SENDER_INVALID, `The sender email "${raw}" of the template "${template.id}" is not valid: ${error.message} Nothing was queued.`, {
      fix,
      details: { templateId: template.id, senderEmail: raw },
      cause: error,
    });
  }
}

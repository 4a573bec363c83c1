import type { EmailTemplate } from '../../src/templates/email-template.js';

/** A system template with an English (HTML + text) and a French (text) variant. */
export const approval: EmailTemplate = {
  id: 'approval',
  defaultLanguage: 'en',
  senderEmail: 'Contoso Workflow <workflow@contoso.com>',
  variants: {
    en: { subject: 'Approve {{ doc }}', html: '<p>Hello {{ user.name }}, please approve {{ doc }}.</p>', text: 'Hello {{ user.name }}, please approve {{ doc }}.' },
    fr: { subject: 'Approuver {{ doc }}', text: "Bonjour {{ user.name }}, merci d'approuver {{ doc }}." },
  },
};

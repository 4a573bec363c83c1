import { z } from 'zod';

/**
 * How a redirect (mailbox forwarding, an inbox rule's `redirectTo`) goes out. The original
 * From, To, Cc, subject, body and Message-ID are always kept; these choose what else
 * shows that the mailbox sent it. See docs/forwarding-policy.md for the DMARC and SPF
 * consequences of each choice.
 */
export const redirectSettingsSchema = z.strictObject({
  /**
   * `mailbox`: a `Sender: <mailbox>` header, so mail programs show "mailbox on behalf of
   * sender" (mailwright's safer default: the recipient sees who forwarded it). `none`: no
   * Sender, so the message looks sent directly by the original sender, as Exchange Online's
   * mailbox forwarding delivers it. @default 'mailbox'
   */
  senderHeader: z.enum(['mailbox', 'none']).default('mailbox'),
  /**
   * The SMTP envelope sender (MAIL FROM, where bounces go). `mailbox`: the mailbox itself.
   * `srs`: the original sender rewritten with the Sender Rewriting Scheme in the mailbox's
   * domain (`SRS0=hash=tt=example.com=ana@contoso.com`), as Exchange Online does: SPF passes
   * for the mailbox's domain and a bounce can be traced back to the original sender
   * (`forwardingPolicy.reverseSrs`). @default 'mailbox'
   */
  envelopeFrom: z.enum(['mailbox', 'srs']).default('mailbox'),
});

/** The redirect settings, defaults applied. */
export type RedirectSettings = z.output<typeof redirectSettingsSchema>;

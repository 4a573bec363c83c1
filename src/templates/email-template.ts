import { z } from 'zod';

/** One language variant of a template. */
export const templateVariantSchema = z
  .object({
    /** Subject (Liquid, not HTML-escaped). */
    subject: z.string().min(1, 'Enter a subject'),
    /** HTML body (Liquid; output escaped by default, `| raw` to opt out). */
    html: z.string().optional(),
    /** Plain-text body (Liquid, not escaped). */
    text: z.string().optional(),
  })
  .refine((v) => v.html !== undefined || v.text !== undefined, { message: 'Give an HTML or a text body (or both)', path: ['text'] });

/**
 * An email template: system templates ship with the host application,
 * organization templates are edited by administrators and override the system
 * template with the same id.
 */
export const emailTemplateSchema = z.object({
  id: z.string().trim().min(1, 'Give the template an id'),
  /**
   * Organization templates only: the organization (legal entity, company) it belongs to, as
   * the host identifies it (e.g. "USMF"). @default none: shared by every organization
   * without its own template with this id
   */
  organizationId: z.string().trim().min(1, 'Give the organization id, or leave organizationId out').optional(),
  /** Language used when the user's language has no variant, e.g. "en". */
  defaultLanguage: z.string().trim().min(2, 'Give the default language tag, e.g. "en"'),
  /** The template's own sender email, e.g. "Contoso Workflow <workflow@contoso.com>". Checked when sending. */
  senderEmail: z.string().optional(),
  /** Display name for the sender when `senderEmail` has none. */
  senderName: z.string().optional(),
  /**
   * Forward themes only: send From the outbound mailbox instead of the agent.
   * Not recommended: replies then reach the customer-facing thread. @default false
   */
  fromMailbox: z.boolean().optional(),
  /** Variants by language tag ("en", "fr", "fr-CA"). */
  variants: z.record(z.string(), templateVariantSchema).refine((v) => Object.keys(v).length > 0, 'Give at least one language variant'),
});

/** An email template as the host provides it. */
export type EmailTemplate = z.input<typeof emailTemplateSchema>;
/** One language variant. */
export type TemplateVariant = z.input<typeof templateVariantSchema>;
/** Where a resolved template came from. */
export type TemplateOrigin = 'system' | 'organization';

/**
 * Which templates a notification may use, as the level of the workflow that sends it:
 * `system` (a system-wide workflow) the system template only; `organization` (an
 * organization's own workflow) the organization's template only. Without a level, an
 * organization template overrides the system one.
 */
export type TemplateLevel = 'system' | 'organization';

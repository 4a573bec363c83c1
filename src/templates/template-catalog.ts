import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Address } from '../message/message.js';
import { settingsIssues } from '../parameters/parse-settings.js';
import { emailTemplateSchema, type EmailTemplate, type TemplateLevel, type TemplateOrigin } from './email-template.js';
import { renderPart } from './liquid-renderer.js';
import { pickLanguage } from './pick-language.js';
import type { TemplateLimits } from './template-limits.js';
import { templateSender } from './template-sender.js';
import type { TemplateSource } from './template-source.js';

/** A template's subject and bodies rendered for one language. */
export interface RenderedContent {
  /** The template's id. */
  templateId: string;
  /** Whether the system or the organization template was used. */
  origin: TemplateOrigin;
  /** The organization whose own template was used; absent for a system or shared organization template. */
  organizationId?: string;
  /** The variant used (after fallback). */
  language: string;
  /** The rendered subject. */
  subject: string;
  /** The rendered HTML body, when the language variant has one. */
  html?: string;
  /** The rendered text body, when the language variant has one. */
  text?: string;
  /** The template as resolved (for its sender and options). */
  template: EmailTemplate;
}

/** A template rendered for one language with its sender: ready to become an email. */
export interface RenderedTemplate extends RenderedContent {
  /** The template's sender, as the From address. */
  from: Address;
}

/** Which template of an id to use: the organization it is for, and the level of the workflow asking. */
export interface TemplateSelection {
  /** The organization (legal entity) the email is for: its own organization template is preferred. @default none (shared organization templates) */
  organizationId?: string;
  /**
   * `system`: the system template only; `organization`: the organization template only
   * (MW_TEMPLATE_NOT_FOUND without one). @default none: an organization template overrides the system one
   */
  level?: TemplateLevel;
}

/** Language, data and template choice of a rendering. */
export interface RenderOptions extends TemplateSelection {
  /** BCP 47 tag, e.g. "fr-CA". @default the template's default language */
  language?: string;
  /** Template variables. */
  data: Record<string, unknown>;
}

/** Where the catalog reads templates. */
export interface TemplateCatalogSources {
  /** Templates shipped by the host application. */
  system?: TemplateSource;
  /** Templates edited by administrators, shared or per organization; one with the same id overrides the system template. */
  organization?: TemplateSource;
}

/**
 * Checks a template as read from its source; throws MW_INVALID_SETTINGS listing
 * every bad field, worded for reading (the template must be corrected where it
 * is stored), not for saving.
 */
function parseStoredTemplate(value: unknown, id: string, origin: TemplateOrigin): EmailTemplate {
  const result = emailTemplateSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = settingsIssues(result.error);
  const lines = issues.map((i) => `- ${i.field || '(template)'}: ${i.message}`).join('\n');
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The ${origin} template "${id}" is invalid and cannot be used; it has ${count}:\n${lines}`, {
    fix:
      origin === 'organization'
        ? `Correct every field listed in the organization template "${id}" where it is stored (e.g. the template settings screen).`
        : `Correct every field listed in the system template "${id}" where the application defines it (code or files).`,
    details: { templateId: id, origin, issues },
  });
}

/** MW_TEMPLATE_NOT_FOUND for an id, saying which templates were looked for. */
function notFound(id: string, { organizationId, level }: TemplateSelection): MailwrightError {
  const organization = organizationId !== undefined ? `organization "${organizationId}"` : 'organization';
  const [looked, fix] =
    level === 'organization'
      ? [`No ${organization} template has the id "${id}" (the workflow is an organization's: system templates are not used).`, `Create the organization template "${id}"${organizationId !== undefined ? ` for "${organizationId}"` : ''}, or run the workflow at system level.`]
      : level === 'system'
        ? [`No system template has the id "${id}" (the workflow is a system workflow: organization templates are not used).`, `Add the system template "${id}", or run the workflow at organization level.`]
        : [`No system or organization template has the id "${id}".`, 'Check the template id, or create the organization template.'];
  return new MailwrightError(ErrorCodes.TEMPLATE_NOT_FOUND, looked, {
    fix,
    details: { templateId: id, ...(organizationId !== undefined ? { organizationId } : {}), ...(level !== undefined ? { level } : {}) },
  });
}

/**
 * System and organization templates, localized, rendered with LiquidJS in
 * strict mode. Every problem is a typed error naming the template.
 */
export class TemplateCatalog {
  /** @param limits Render limits of every part (docs/security.md). @default DEFAULT_TEMPLATE_LIMITS */
  constructor(
    private readonly sources: TemplateCatalogSources,
    private readonly limits: TemplateLimits = {},
  ) {}

  /**
   * The template with this id: by default the organization's own (of `organizationId`),
   * else the shared organization template, else the system template; with a `level`, only
   * the system or only the organization template.
   */
  async resolve(id: string, selection: TemplateSelection = {}): Promise<{ template: EmailTemplate; origin: TemplateOrigin }> {
    const { organizationId, level } = selection;
    if (level !== undefined && level !== 'system' && level !== 'organization') {
      throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The template level ${JSON.stringify(level)} is not "system" or "organization".`, {
        fix: 'Pass level: "system" for a system workflow, "organization" for an organization\'s workflow, or leave it out.',
        details: { field: 'level' },
      });
    }
    const organization = level === 'system' ? undefined : await this.sources.organization?.get(id, organizationId !== undefined ? { organizationId } : {});
    const found = organization !== undefined ? { template: organization, origin: 'organization' as const } : level === 'organization' ? undefined : await this.system(id);
    if (found === undefined) throw notFound(id, selection);
    return { template: parseStoredTemplate(found.template, id, found.origin), origin: found.origin };
  }

  /**
   * Renders a template in a language (`fr-CA` → `fr` → the template's default)
   * with its sender email. Throws MW_TEMPLATE_SENDER_INVALID,
   * MW_TEMPLATE_RENDER_FAILED or MW_TEMPLATE_NOT_FOUND.
   */
  async render(id: string, options: RenderOptions): Promise<RenderedTemplate> {
    const resolved = await this.resolve(id, options);
    const from = templateSender(resolved.template);
    return { ...(await this.renderResolved(id, resolved, options)), from };
  }

  /** Renders subject and bodies only (forward themes, whose From is the agent). */
  async renderContent(id: string, options: RenderOptions): Promise<RenderedContent> {
    return this.renderResolved(id, await this.resolve(id, options), options);
  }

  private async renderResolved(
    id: string,
    { template, origin }: { template: EmailTemplate; origin: TemplateOrigin },
    options: RenderOptions,
  ): Promise<RenderedContent> {
    const language = pickLanguage(Object.keys(template.variants), options.language, template.defaultLanguage);
    const variant = language === undefined ? undefined : template.variants[language];
    if (language === undefined || variant === undefined) {
      throw new MailwrightError(ErrorCodes.TEMPLATE_NOT_FOUND, `The template "${id}" has no variant for "${options.language ?? template.defaultLanguage}" nor for its default language "${template.defaultLanguage}".`, {
        fix: `Add a "${template.defaultLanguage}" variant to the template "${id}".`,
        details: { templateId: id, language: options.language },
      });
    }
    const label = { templateId: id, language };
    const subject = await renderPart(variant.subject, 'subject', options.data, label, this.limits);
    if (/[\r\n]/.test(subject)) {
      throw new MailwrightError(ErrorCodes.TEMPLATE_RENDER_FAILED, `The subject of template "${id}" (${language}) renders to more than one line.`, {
        fix: 'Keep line breaks out of the subject and of the variables it uses.',
        details: { ...label, part: 'subject' },
      });
    }
    return {
      templateId: id,
      origin,
      ...(origin === 'organization' && template.organizationId !== undefined ? { organizationId: template.organizationId } : {}),
      language,
      template,
      subject,
      ...(variant.html !== undefined ? { html: await renderPart(variant.html, 'html', options.data, label, this.limits) } : {}),
      ...(variant.text !== undefined ? { text: await renderPart(variant.text, 'text', options.data, label, this.limits) } : {}),
    };
  }

  private async system(id: string): Promise<{ template: EmailTemplate; origin: TemplateOrigin } | undefined> {
    const template = await this.sources.system?.get(id);
    return template === undefined ? undefined : { template, origin: 'system' };
  }
}

import type { EmailTemplate } from './email-template.js';

/** The organization a template is asked for. */
export interface TemplateScope {
  /** The organization (legal entity, company) as the host identifies it, e.g. "USMF". @default none */
  organizationId?: string;
}

/** Where templates are read from: the host's system templates, or its organization templates (e.g. a table). */
export interface TemplateSource {
  /**
   * The template with this id, or undefined. An organization source that keeps templates
   * per organization returns the one of `scope.organizationId` when it has one, else the
   * one shared by every organization; a source that does not may ignore `scope`.
   */
  get(id: string, scope?: TemplateScope): Promise<EmailTemplate | undefined>;
}

const keyOf = (id: string, organizationId: string | undefined): string => JSON.stringify([organizationId ?? null, id]);

/**
 * A {@link TemplateSource} held in memory. A template with an `organizationId` belongs to
 * that organization; one without is shared by every organization without its own.
 */
export class InMemoryTemplateSource implements TemplateSource {
  private readonly templates = new Map<string, EmailTemplate>();

  constructor(templates: EmailTemplate[] = []) {
    for (const template of templates) this.put(template);
  }

  /** Adds or replaces a template (of its `organizationId`, or the shared one). */
  put(template: EmailTemplate): void {
    this.templates.set(keyOf(template.id, template.organizationId), structuredClone(template));
  }

  /** Removes a template: the organization's own, or with no organization the shared one (an organization template reverts to the next one). */
  delete(id: string, organizationId?: string): void {
    this.templates.delete(keyOf(id, organizationId));
  }

  async get(id: string, scope: TemplateScope = {}): Promise<EmailTemplate | undefined> {
    const template = (scope.organizationId !== undefined ? this.templates.get(keyOf(id, scope.organizationId)) : undefined) ?? this.templates.get(keyOf(id, undefined));
    return template === undefined ? undefined : structuredClone(template);
  }
}

import type { EmailTemplate } from './email-template.js';

/** Where templates are read from: the host's system templates, or its organization templates (e.g. a table). */
export interface TemplateSource {
  /** The template with this id, or undefined. */
  get(id: string): Promise<EmailTemplate | undefined>;
}

/** A {@link TemplateSource} held in memory. */
export class InMemoryTemplateSource implements TemplateSource {
  private readonly templates = new Map<string, EmailTemplate>();

  constructor(templates: EmailTemplate[] = []) {
    for (const template of templates) this.put(template);
  }

  /** Adds or replaces a template. */
  put(template: EmailTemplate): void {
    this.templates.set(template.id, structuredClone(template));
  }

  /** Removes a template (an organization template reverts to the system one). */
  delete(id: string): void {
    this.templates.delete(id);
  }

  async get(id: string): Promise<EmailTemplate | undefined> {
    const template = this.templates.get(id);
    return template === undefined ? undefined : structuredClone(template);
  }
}

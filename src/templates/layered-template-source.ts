import type { EmailTemplate } from './email-template.js';
import type { TemplateScope, TemplateSource } from './template-source.js';

/** A {@link TemplateSource} reading several sources in order: the first that has the id wins. */
export function layeredTemplateSource(...sources: (TemplateSource | undefined)[]): TemplateSource {
  return {
    async get(id: string, scope?: TemplateScope): Promise<EmailTemplate | undefined> {
      for (const source of sources) {
        const template = await source?.get(id, scope);
        if (template !== undefined) return template;
      }
      return undefined;
    },
  };
}

import type { Liquid } from 'liquidjs';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** Which part of a template is rendered. */
export type TemplatePart = 'subject' | 'html' | 'text';

/** Names the template being rendered, for error messages. */
export interface TemplateLabel {
  templateId: string;
  language: string;
}

const strict = { strictVariables: true, strictFilters: true, jsTruthy: false } as const;

/** LiquidJS engines for HTML (escaped output) and plain parts, loaded on first use so an application without templates does not carry them. */
let engines: Promise<Record<'html' | 'plain', Liquid>> | undefined;
const loadEngines = () => (engines ??= import('liquidjs').then((liquid) => ({ html: new liquid.Liquid({ ...strict, outputEscape: 'escape' }), plain: new liquid.Liquid(strict) })));

/**
 * Renders one part of a template with LiquidJS in strict mode: a missing
 * variable, an unknown filter or a syntax error is MW_TEMPLATE_RENDER_FAILED
 * naming the template, the language, the part and the variable. HTML output
 * is escaped by default; subject and text are not.
 */
export async function renderPart(source: string, part: TemplatePart, data: Record<string, unknown>, label: TemplateLabel): Promise<string> {
  const { html, plain } = await loadEngines();
  try {
    return await (part === 'html' ? html : plain).parseAndRender(source, data);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const variable = /undefined variable: ([^,\s]+)/.exec(message)?.[1];
    const where = `template "${label.templateId}" (${label.language}, ${part})`;
    throw new MailwrightError(
      ErrorCodes.TEMPLATE_RENDER_FAILED,
      variable !== undefined ? `The ${where} uses the variable "${variable}", which the data does not provide.` : `The ${where} cannot be rendered: ${message}`,
      {
        fix: variable !== undefined ? `Pass "${variable}" in the data, or remove it from the template.` : 'Fix the template syntax at the line and column given.',
        details: { ...label, part, ...(variable !== undefined ? { variable } : {}), reason: message },
        cause: error,
      },
    );
  }
}

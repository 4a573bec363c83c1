import type { Liquid } from 'liquidjs';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { sandboxedLiquid, UnavailableTagError } from './sandboxed-liquid.js';
import { withDefaultLimits, type TemplateLimits } from './template-limits.js';

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
const loadEngines = () =>
  (engines ??= import('liquidjs').then((liquid) => ({ html: sandboxedLiquid(liquid, { ...strict, outputEscape: 'escape' }), plain: sandboxedLiquid(liquid, strict) })));

/** Which limit a render went over. */
type LimitName = 'parse' | 'render' | 'memory' | 'output';

const count = (n: number): string => n.toLocaleString('en-US');

/** What to say when a render goes over one of its limits. */
function limitFailure(limit: LimitName, limits: Required<TemplateLimits>, where: string, reason: string): { message: string; fix: string } {
  const raise = (option: keyof TemplateLimits): string => `if the template is right, raise templateLimits.${option} (createMailwright).`;
  switch (limit) {
    case 'parse':
      return { message: `The ${where} is longer than the parse limit of ${count(limits.parseLimit)} characters.`, fix: `Shorten the template, or, ${raise('parseLimit')}` };
    case 'output':
      return { message: `The ${where} renders to more than the output limit of ${count(limits.outputLimit)} characters.`, fix: `Check the template's loops and the size of the data it writes out; ${raise('outputLimit')}` };
    case 'render':
      return {
        message: `The ${where} took longer than the render limit of ${count(limits.renderLimit)} ms (${reason}).`,
        fix: `Look for a loop over a large range or a filter over a large array in the template; ${raise('renderLimit')}`,
      };
    case 'memory':
      return {
        message: `The ${where} allocates more than the memory limit of ${count(limits.memoryLimit)} characters or array items (${reason}).`,
        fix: `Look for a large range such as (1..1000000000), a string or array that grows in a loop, or a filter over large data; ${raise('memoryLimit')}`,
      };
  }
}

/** The limit a LiquidJS error reports, if any. */
function limitOf(message: string): LimitName | undefined {
  if (/template render limit exceeded/.test(message)) return 'render';
  if (/memory alloc limit exceeded|Invalid string length|Invalid array length|Array buffer allocation failed/.test(message)) return 'memory';
  return undefined;
}

/** MW_TEMPLATE_RENDER_FAILED naming the template, the language and the part. */
function renderFailed(message: string, fix: string, label: TemplateLabel, part: TemplatePart, extra: Record<string, unknown>, cause?: unknown): MailwrightError {
  return new MailwrightError(ErrorCodes.TEMPLATE_RENDER_FAILED, message, { fix, details: { ...label, part, ...extra }, ...(cause !== undefined ? { cause } : {}) });
}

/**
 * Renders one part of a template with LiquidJS in strict mode: a missing
 * variable, an unknown filter or a syntax error is MW_TEMPLATE_RENDER_FAILED
 * naming the template, the language, the part and the variable. HTML output
 * is escaped by default; subject and text are not. Templates cannot read
 * files (`include`, `render` and `layout` are refused), and a render over one
 * of its {@link TemplateLimits} fails with `details.limit` naming it.
 */
export async function renderPart(source: string, part: TemplatePart, data: Record<string, unknown>, label: TemplateLabel, limits: TemplateLimits = {}): Promise<string> {
  const bounds = withDefaultLimits(limits);
  const where = `template "${label.templateId}" (${label.language}, ${part})`;
  const over = (limit: LimitName, reason = ''): MailwrightError => {
    const { message, fix } = limitFailure(limit, bounds, where, reason);
    return renderFailed(message, fix, label, part, { limit, ...(reason !== '' ? { reason } : {}) });
  };
  if (source.length > bounds.parseLimit) throw over('parse');
  const { html, plain } = await loadEngines();
  let output: unknown;
  try {
    output = await (part === 'html' ? html : plain).parseAndRender(source, data, { renderLimit: bounds.renderLimit, memoryLimit: bounds.memoryLimit });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const original: unknown = (error as { originalError?: unknown } | undefined)?.originalError;
    if (original instanceof UnavailableTagError) {
      throw renderFailed(`The ${where} uses {% ${original.tag} %}, which is not available: templates cannot read files or other templates.`, 'Remove {% include %}, {% render %} and {% layout %} from the template, and write the text they would have brought in into the template itself.', label, part, { tag: original.tag, reason: message }, error);
    }
    const limit = limitOf(message);
    if (limit !== undefined) throw over(limit, message);
    const variable = /undefined variable: ([^,\s]+)/.exec(message)?.[1];
    throw renderFailed(
      variable !== undefined ? `The ${where} uses the variable "${variable}", which the data does not provide.` : `The ${where} cannot be rendered: ${message}`,
      variable !== undefined ? `Pass "${variable}" in the data, or remove it from the template.` : 'Fix the template syntax at the line and column given.',
      label,
      part,
      { ...(variable !== undefined ? { variable } : {}), reason: message },
      error,
    );
  }
  const text = String(output);
  if (text.length > bounds.outputLimit) throw over('output');
  return text;
}

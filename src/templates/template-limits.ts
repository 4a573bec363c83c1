import { z } from 'zod';

/**
 * Bounds on rendering one part (subject, HTML or text body) of a template, so a
 * hostile or mistaken template fails with MW_TEMPLATE_RENDER_FAILED instead of
 * holding the host's thread or exhausting its memory. See docs/security.md.
 */
export interface TemplateLimits {
  /** Longest template source parsed, in characters. @default 1000000 */
  parseLimit?: number;
  /**
   * Longest time one part may take to render, in milliseconds of wall-clock time. Checked
   * between tags and outputs and every few steps of a filter; one step of a filter over a
   * large array (`sort`, `uniq`) is not interrupted, and the memory limit bounds how large
   * that array can be. @default 1000
   */
  renderLimit?: number;
  /**
   * What one part may allocate, in characters of strings and items of arrays, as LiquidJS
   * counts it (filters, ranges such as `(1..n)`) and `{% capture %}` blocks. A range or a
   * filter over the limit fails before it allocates. @default 5000000
   */
  memoryLimit?: number;
  /** Longest rendered part, in characters. @default 5000000 */
  outputLimit?: number;
}

/** The limits in force when none is configured. */
export const DEFAULT_TEMPLATE_LIMITS: Required<TemplateLimits> = {
  parseLimit: 1_000_000,
  renderLimit: 1000,
  memoryLimit: 5_000_000,
  outputLimit: 5_000_000,
};

const limit = (unit: string) => z.number(`must be a number of ${unit}`).int(`must be a whole number of ${unit}`).positive(`must be a positive number of ${unit}`).optional();

/** `templateLimits` as createMailwright() checks it. */
export const templateLimitsSchema = z.strictObject(
  {
    parseLimit: limit('characters'),
    renderLimit: limit('milliseconds'),
    memoryLimit: limit('characters or array items'),
    outputLimit: limit('characters'),
  },
  'expected an object such as { renderLimit: 1000, memoryLimit: 5000000 }',
) satisfies z.ZodType<TemplateLimits>;

/** The limits with every one not given at its default. */
export const withDefaultLimits = (limits: TemplateLimits = {}): Required<TemplateLimits> => ({ ...DEFAULT_TEMPLATE_LIMITS, ...limits });

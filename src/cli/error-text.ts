import { isMailwrightError } from '../errors/mailwright-error.js';

/** An error as the CLI prints it: `Error MW_…: what happened` and `Fix: what to do` (docs/cli.md). */
export function errorText(error: unknown): string {
  if (!isMailwrightError(error)) return `Error: ${error instanceof Error ? error.message : String(error)}`;
  return `Error ${error.code}: ${error.message}${error.fix ? `\nFix: ${error.fix}` : ''}`;
}

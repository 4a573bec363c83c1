import { failureCatalogue } from '../src/errors/failure-catalogue.js';
import type { CatalogueEntry } from '../src/errors/catalogue-entry.js';

const section = (e: CatalogueEntry): string =>
  [
    `### ${e.code} — ${e.title}`,
    '',
    `*${e.permanent ? 'Permanent' : 'Transient'}* · category \`${e.category}\``,
    '',
    ...(e.examples.length ? ['Typical replies:', '', ...e.examples.map((x) => `- \`${x}\``), ''] : []),
    `**What happened.** ${e.explanation}`,
    '',
    `**Fix.** ${e.fix}`,
    '',
  ].join('\n');

/** docs/troubleshooting.md, generated from the failure catalogue (one section per code). */
export function renderTroubleshooting(): string {
  const seen = new Set<string>();
  const entries = failureCatalogue.filter((e) => !seen.has(e.code) && seen.add(e.code));
  const delivery = entries.filter((e) => e.match !== undefined);
  const input = entries.filter((e) => e.match === undefined);
  return [
    '# Troubleshooting: the failure catalogue',
    '',
    '<!-- Generated from src/errors/failure-catalogue.ts by `npm run docs:troubleshooting`. Do not edit by hand. -->',
    '',
    'Every failure mailwright reports has a stable code. Delivery failures are classified from the',
    "server's reply (SMTP code, enhanced status code, Graph error code, AADSTS code) and stored in the",
    'history with the explanation and fix below. `explainFailure(error)` returns the same text.',
    '',
    '## Delivery failures',
    '',
    ...delivery.map(section),
    '## Input and configuration errors',
    '',
    'These are raised by mailwright itself, most before anything is sent.',
    '',
    ...input.map(section),
  ].join('\n');
}

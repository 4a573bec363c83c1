import type { CatalogueEntry } from './catalogue-entry.js';
import { deliveryEntries } from './catalogue-delivery-entries.js';
import { fallbackEntries } from './catalogue-fallback-entries.js';
import { fileEntries } from './catalogue-file-entries.js';
import { graphEntries, serviceCodeEntries } from './catalogue-graph-entries.js';
import { inputEntries } from './catalogue-input-entries.js';
import { queueEntries } from './catalogue-queue-entries.js';
import { smtpSecurityEntries } from './catalogue-smtp-entries.js';
import type { ErrorCode } from './error-codes.js';

/**
 * The failure catalogue: every error code with its explanation and fix, in
 * matching order (first match wins). docs/troubleshooting.md is generated from it.
 */
export const failureCatalogue: readonly CatalogueEntry[] = [
  ...fileEntries,
  ...serviceCodeEntries,
  ...smtpSecurityEntries,
  ...queueEntries,
  ...deliveryEntries,
  ...graphEntries,
  ...inputEntries,
  ...fallbackEntries,
];

const byCode = new Map<ErrorCode, CatalogueEntry>();
for (const entry of failureCatalogue) if (!byCode.has(entry.code)) byCode.set(entry.code, entry);

/** The catalogue entry of a code. */
export function catalogueEntry(code: ErrorCode): CatalogueEntry | undefined {
  return byCode.get(code);
}

import type { CatalogueEntry } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/**
 * Failures writing a file (`protocol: 'file'`, the eml provider's draft): matched
 * first, so a path or system message is never read as a server reply.
 */
export const fileEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.EXPORT_FAILED,
    category: 'configuration',
    title: 'Draft file could not be written',
    explanation:
      'The .eml draft file could not be written: the eml provider\'s folder (its `directory` option) is under a plain file, cannot be created, is read-only or full, or the application may not write there. No server was involved and nothing was sent.',
    fix: 'Check that the eml provider\'s `directory` option names a folder that exists or can be created, and that the application may write there; the system error code in the message (ENOTDIR, EACCES, EROFS, ENOSPC…) says which. Then send the email again.',
    permanent: true,
    examples: ["Cannot write /srv/exports/01a2.eml: ENOTDIR: not a directory, mkdir '/srv/exports'", "Cannot write /srv/exports/01a2.eml: EACCES: permission denied, open '/srv/exports/01a2.eml'"],
    match: (raw) => raw.protocol === 'file',
  },
];

import type { CatalogueEntry } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/** Catch-all entries, matched last. */
export const fallbackEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.TRANSIENT_FAILURE,
    category: 'transient',
    title: 'Temporary failure (4.x.x)',
    explanation: 'The server reported a temporary problem (busy, greylisting, service shutting down). The email can be sent later.',
    fix: 'Queued email is retried automatically with back-off; an interactive email can be sent again a little later. If it keeps failing, check the server\'s status.',
    permanent: false,
    examples: ['421 4.3.2 Service not available, closing transmission channel', '451 4.7.500 Server busy, please try again later', '450 4.2.0 Greylisted'],
    match: (raw) => (raw.smtpCode !== undefined && raw.smtpCode >= 400 && raw.smtpCode < 500) || raw.enhanced?.startsWith('4.') === true,
  },
  {
    code: ErrorCodes.DELIVERY_FAILED,
    category: 'unknown',
    title: 'Delivery failed',
    explanation: 'The server refused the email permanently for a reason mailwright does not recognize. The server reply says more.',
    fix: 'Read the server reply and the transcript in the history; if the reply names a policy, ask the mail administrator.',
    permanent: true,
    examples: ['554 5.7.0 Message rejected'],
    match: () => true,
  },
];

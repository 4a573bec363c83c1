import { anyOf, errnoIn, textMatches, type CatalogueEntry } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/**
 * Failures of the queue itself, stored in the history like delivery failures: a queued
 * email that cannot be sent as stored, or an attempt another worker had to take over (known
 * by code, like input errors), or an SMTP attempt whose outcome is unknown (matched).
 */
export const queueEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.SMTP_OUTCOME_UNKNOWN,
    category: 'network',
    title: 'Connection lost before the server answered',
    explanation:
      'The whole message was sent, but the connection broke (or timed out after 10 minutes) before the server answered the end of the message, so whether the server accepted it is unknown. If it did, the recipients get the email twice (with the same Message-ID, which many mail clients show once); the history marks it a possible duplicate.',
    fix: 'Queued email is retried automatically; an interactive email can be sent again, once you have checked it did not arrive. If it happens often, look for a firewall, proxy or load balancer between mailwright and the server that cuts connections, or ask the server\'s administrator why it drops them.',
    permanent: false,
    examples: ['The connection broke after the whole message was sent, before the server answered (Connection closed unexpectedly): it may have been delivered'],
    match: anyOf(errnoIn('EOUTCOMEUNKNOWN'), textMatches(/after the whole message was sent, before the server answered/i)),
  },
  {
    code: ErrorCodes.MESSAGE_UNREADABLE,
    category: 'input',
    title: 'Queued message cannot be read',
    explanation:
      'The message stored with this queued email cannot be read: it is not valid JSON, has fields missing or of the wrong kind, or was written in a format version this version of mailwright does not know (queued by a newer version). The email failed without being sent; the other emails were sent as usual.',
    fix: 'If a newer version of mailwright queued it, send it with that version: run its distributor, or upgrade this one, then retry it (history.retry or `mailwright retry`). Otherwise the stored data was damaged (edited by hand, a partial restore): queue the email again with enqueue().',
    permanent: true,
    examples: [],
  },
  {
    code: ErrorCodes.LEASE_EXPIRED,
    category: 'transient',
    title: 'Taken over from a worker that stopped',
    explanation:
      'The distributor worker that was sending this email stopped (killed, crashed, or cut off from the database) before it recorded the outcome, so another worker took the email over once its lease expired. The first worker may have sent it already: if it did, the recipients get it twice. The history marks the email as a possible duplicate.',
    fix: 'Nothing to do for this email. If it happens often, look for distributor processes being killed (out of memory, a scheduler\'s time limit shorter than a run) or losing the database. A shorter lease (`mailwright distribute --lease 1m`, or createDistributor({ leaseMs })) lets another worker take over sooner after a crash.',
    permanent: false,
    examples: [],
  },
];

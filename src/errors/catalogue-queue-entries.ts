import type { CatalogueEntry } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/**
 * Failures of the queue itself, stored in the history like delivery failures: a queued
 * email that cannot be sent as stored, or an attempt another worker had to take over.
 * Known by code (no server reply to match).
 */
export const queueEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.MESSAGE_UNREADABLE,
    category: 'input',
    title: 'Queued message cannot be read',
    explanation:
      'The message stored with this queued email cannot be read: it is not valid JSON, has fields missing or of the wrong kind, or was written in a format version this version of mailwright does not know (queued by a newer version). The email failed without being sent; the other emails were sent as usual.',
    fix: 'If a newer version of mailwright queued it, send it with that version: run its distributor, or upgrade this one, then retry it (history.retry or `mailwright retry`). Otherwise the stored data was damaged (edited by hand, a partial restore): queue the email again with enqueue().',
    permanent: true,
    examples: ['The stored message of queued email 01a2… cannot be read: Unexpected token } in JSON at position 41', 'The stored message of queued email 01a2… is in format version 7, which this version of mailwright does not know'],
  },
  {
    code: ErrorCodes.LEASE_EXPIRED,
    category: 'transient',
    title: 'Taken over from a worker that stopped',
    explanation:
      'The distributor worker that was sending this email stopped (killed, crashed, or cut off from the database) before it recorded the outcome, so another worker took the email over once its lease expired. The first worker may have sent it already: if it did, the recipients get it twice. The history marks the email as a possible duplicate.',
    fix: 'Nothing to do for this email. If it happens often, look for distributor processes being killed (out of memory, a scheduler\'s time limit shorter than a run) or losing the database. A shorter lease (`mailwright distribute --lease 1m`, or createDistributor({ leaseMs })) lets another worker take over sooner after a crash.',
    permanent: false,
    examples: ['Worker host-1:4242:ab12cd34 stopped while sending; taken over by host-2:777:ef56ab78 after its lease expired at 2026-11-24T10:05:00.000Z'],
  },
];

import { randomUUID } from 'node:crypto';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import type { EmailRecord, NewEmailRecord } from '../../../src/store/email-record.js';
import type { HistoryQuery } from '../../../src/store/history-query.js';
import type { Store } from '../../../src/store/store.js';
import { expectMailwrightError } from '../../support/expect-mailwright-error.js';
import { at, newRecord, sendAsDenied } from '../support/email-fixtures.js';

/**
 * What a history screen asks of every Store: filters by recipient, user, subject text and
 * meta value, counts by status and by failure code, and which messages are kept (retry).
 * Part of the Store conformance suite (store-conformance.ts).
 */
export function describeHistoryScreens(store: () => Store): void {
  describe('history screens: filters, counts, kept messages', () => {
    const recipientUnknown = { ...sendAsDenied, code: ErrorCodes.RECIPIENT_UNKNOWN, message: '550 5.1.1 User unknown' };
    const records: NewEmailRecord[] = [
      newRecord({
        createdAt: at(1),
        status: 'failed',
        failure: sendAsDenied,
        userId: 'ana',
        subject: 'Facture n° 42 — ÉTÉ',
        recipients: [
          { kind: 'to', address: 'Zoë@Example.com', status: 'rejected' },
          { kind: 'bcc', address: 'audit@contoso.com', status: 'accepted' },
        ],
        meta: { recordId: 'CASE-42', attempt: 42, urgent: true },
        payload: 'kept',
      }),
      newRecord({
        createdAt: at(2),
        status: 'failed',
        failure: recipientUnknown,
        userId: 'bob',
        subject: 'Invoice 43',
        recipients: [{ kind: 'cc', address: 'billing@example.org', status: 'rejected' }],
        meta: { recordId: 42, urgent: false },
      }),
      newRecord({ createdAt: at(3), status: 'sent', forced: true, subject: '100% off_sale', meta: { recordId: 'CASE-43' } }),
      newRecord({ createdAt: at(4), status: 'queued', failure: sendAsDenied, userId: 'ana', subject: 'été', payload: 'waiting' }),
      newRecord({ createdAt: at(5), status: 'sent', forced: true, recipients: [{ kind: 'to', address: 'zoe@example.com', status: 'accepted' }] }),
    ];
    const [failedAna, failedBob, sentSale, queuedAna, sentForced] = records as [NewEmailRecord, NewEmailRecord, NewEmailRecord, NewEmailRecord, NewEmailRecord];
    const ids = async (query: HistoryQuery): Promise<string[]> => (await store().listEmails({ ...query, limit: 1000 })).items.map((r: EmailRecord) => r.id);
    const newestFirst = (...list: NewEmailRecord[]): string[] => list.map((r) => r.id).reverse();

    beforeEach(async () => {
      await store().insertEmails(records);
    });

    it('filters by recipient: an address or part of one, in To, Cc or Bcc, case-insensitively (Unicode too)', async () => {
      expect(await ids({ recipient: 'zoë@example.com' })).toEqual([failedAna.id]);
      expect(await ids({ recipient: ' ZOË ' })).toEqual([failedAna.id]);
      expect(await ids({ recipient: 'example.' })).toEqual(newestFirst(failedAna, failedBob, sentSale, queuedAna, sentForced));
      expect(await ids({ recipient: 'audit@' })).toEqual([failedAna.id]);
      expect(await ids({ recipient: 'billing' })).toEqual([failedBob.id]);
      expect(await ids({ recipient: 'nobody@' })).toEqual([]);
    });

    it('filters by user id, exactly', async () => {
      expect(await ids({ userId: 'ana' })).toEqual(newestFirst(failedAna, queuedAna));
      expect(await ids({ userId: 'an' })).toEqual([]);
    });

    it('filters by subject text, case-insensitively, with % and _ taken literally', async () => {
      expect(await ids({ subject: 'été' })).toEqual(newestFirst(failedAna, queuedAna));
      expect(await ids({ subject: 'INVOICE' })).toEqual([failedBob.id]);
      expect(await ids({ subject: '100% off_' })).toEqual([sentSale.id]);
      expect(await ids({ subject: '%' })).toEqual([sentSale.id]);
      expect(await ids({ subject: '_' })).toEqual([sentSale.id]);
      expect(await ids({ subject: '   ' })).toHaveLength(records.length);
    });

    it('filters by meta key and value, of the same type, every pair with AND', async () => {
      expect(await ids({ meta: { recordId: 'CASE-42' } })).toEqual([failedAna.id]);
      expect(await ids({ meta: { recordId: 42 } })).toEqual([failedBob.id]);
      expect(await ids({ meta: { recordId: '42' } })).toEqual([]);
      expect(await ids({ meta: { urgent: true } })).toEqual([failedAna.id]);
      expect(await ids({ meta: { urgent: false } })).toEqual([failedBob.id]);
      expect(await ids({ meta: { attempt: 42, recordId: 'CASE-42' } })).toEqual([failedAna.id]);
      expect(await ids({ meta: { attempt: 42, recordId: 'CASE-43' } })).toEqual([]);
      expect(await ids({ meta: { 'missing key': 'x' } })).toEqual([]);
    });

    it('combines the new filters with the others and pages them', async () => {
      expect(await ids({ userId: 'ana', status: 'failed', failureCode: 'MW_SEND_AS_DENIED', subject: 'facture' })).toEqual([failedAna.id]);
      const first = await store().listEmails({ recipient: 'example', limit: 2 });
      const second = await store().listEmails({ recipient: 'example', limit: 2, cursor: first.nextCursor ?? '' });
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual(newestFirst(failedAna, failedBob, sentSale, queuedAna, sentForced).slice(0, 4));
    });

    it('refuses a bad new filter with MW_INVALID_QUERY naming it', async () => {
      for (const [query, field] of [
        [{ recipient: 42 }, 'recipient'],
        [{ userId: ['ana'] }, 'userId'],
        [{ subject: {} }, 'subject'],
        [{ meta: 'recordId=1' }, 'meta'],
        [{ meta: { recordId: null } }, 'meta'],
        [{ meta: { recordId: Number.NaN } }, 'meta'],
        [{ meta: { 'a"b': 'x' } }, 'meta'],
      ] as const) {
        const error = await expectMailwrightError(store().listEmails(query as unknown as HistoryQuery), ErrorCodes.INVALID_QUERY);
        expect(error.details.field).toBe(field);
      }
    });

    it('counts by status (every status listed), by failure code (most frequent first) and forced sends', async () => {
      expect(await store().countEmails({})).toEqual({
        total: 5,
        byStatus: { queued: 1, sending: 0, sent: 2, failed: 2, deferred: 0, blocked: 0, exported: 0 },
        byFailureCode: [
          { code: 'MW_SEND_AS_DENIED', count: 2 },
          { code: 'MW_RECIPIENT_UNKNOWN', count: 1 },
        ],
        forced: 2,
      });
    });

    it('counts what the same filters list', async () => {
      const counts = await store().countEmails({ userId: 'ana', since: at(2) });
      expect(counts).toMatchObject({ total: 1, byStatus: { queued: 1, failed: 0 }, byFailureCode: [{ code: 'MW_SEND_AS_DENIED', count: 1 }], forced: 0 });
      expect((await store().countEmails({ status: ['failed', 'sent'], recipient: 'zo' })).byStatus).toMatchObject({ failed: 1, sent: 1, queued: 0 });
      expect(await store().countEmails({ subject: 'no such subject' })).toMatchObject({ total: 0, byFailureCode: [], forced: 0 });
      await expectMailwrightError(store().countEmails({ limit: 5 } as HistoryQuery), ErrorCodes.INVALID_QUERY);
      await expectMailwrightError(store().countEmails({ statuz: 'failed' } as HistoryQuery), ErrorCodes.INVALID_QUERY);
    });

    it('says which emails keep their message (retryable once failed)', async () => {
      const kept = await store().keptMessageIds([failedAna.id, failedBob.id, queuedAna.id, sentSale.id, randomUUID()]);
      expect([...kept].sort()).toEqual([failedAna.id, queuedAna.id].sort());
      expect(await store().keptMessageIds([])).toEqual([]);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { EmailPatch, EmailRecord, EmailStatus, NewEmailRecord } from '../../src/store/email-record.js';
import type { Store } from '../../src/store/store.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { at, attemptOf, msAt, newRecord, sendAsDenied } from './support/email-fixtures.js';
import { describeHistoryScreens } from './conformance/history-screens.js';

/** The record the store should hand back for an inserted one (no payload; createdAt = updatedAt). */
function stored(record: NewEmailRecord): EmailRecord {
  const { payload: _payload, createdAt, ...rest } = record;
  return { ...rest, createdAt: createdAt ?? '', updatedAt: createdAt ?? '' };
}

/** Every page of a query, following nextCursor. */
async function allPages(store: Store, query: Parameters<Store['listEmails']>[0]): Promise<EmailRecord[][]> {
  const pages: EmailRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listEmails({ ...query, ...(cursor !== undefined ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

/** Newest first: created desc, then id desc (the history order). */
function historyOrder(records: EmailRecord[]): string[] {
  return [...records]
    .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1))
    .map((r) => r.id);
}

/**
 * The behaviour every {@link Store} must have. Each test gets a fresh, empty,
 * migrated store from `factory` and closes it afterwards.
 */
export function describeStoreConformance(name: string, factory: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await factory();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('schema', () => {
      it('migrate() is idempotent', async () => {
        await store.migrate();
        await store.migrate();
        await store.putSetting('still', 'works');
        expect(await store.getSetting('still')).toBe('works');
      });
    });

    describe('emails', () => {
      it('round-trips every field, with JSON fields, unicode and numbers as numbers', async () => {
        const record = newRecord({
          status: 'failed',
          mode: 'interactive',
          providerId: 'exchange',
          from: 'Ana María Núñez <Ana.Nunez@Contoso.com>',
          senderAddress: 'ana.nunez@contoso.com',
          sender: 'Contoso Sales <sales@contoso.com>',
          userId: 'ana',
          recipients: [
            { kind: 'to', address: 'zoë@example.com', name: 'Zoë Ünal', status: 'rejected', smtpCode: 550, enhancedCode: '5.1.1', response: '550 5.1.1 unknown' },
            { kind: 'cc', address: 'cc@example.com', status: 'accepted', smtpCode: 250 },
            { kind: 'bcc', address: 'audit@contoso.com', status: 'pending' },
          ],
          subject: 'Facture n° 42 — 請求書 ✉️ "quoted" \'single\'',
          sizeBytes: 10_485_760,
          attempts: 3,
          deferrals: 10,
          forced: true,
          possibleDuplicate: true,
          priority: -5,
          dueAt: '2026-03-04T05:06:07.089Z',
          idempotencyKey: 'order-42/invoice',
          createdAt: '2026-03-04T05:06:07.001Z',
          sentAt: '2026-03-04T05:06:09.123Z',
          failure: sendAsDenied,
          blockedReason: 'Auto-forward to a blocked domain',
          response: '250 2.0.0 OK queued as 1A2B',
          providerMessageId: 'AAMkAGI2TG93AAA=',
          exportPath: '/var/mail/out/42.eml',
          meta: { templateId: 'invoice', recordId: 42, nested: { list: [1, 'two', null, true] }, text: 'ünïcødé ✓' },
          leaseOwner: 'worker-1',
          leaseExpiresAt: '2026-03-04T05:07:07.001Z',
        });
        const inserted = await store.insertEmail(record);
        expect(inserted).toEqual(stored(record));
        const read = await store.getEmail(record.id);
        expect(read).toEqual(stored(record));
        expect(typeof read?.sizeBytes).toBe('number');
        expect(typeof read?.priority).toBe('number');
        expect(read?.forced).toBe(true);
      });

      it('leaves absent optional fields absent and keeps a null provider', async () => {
        const record = newRecord({ providerId: null });
        await store.insertEmail(record);
        const read = await store.getEmail(record.id);
        expect(read).toEqual(stored(record));
        for (const key of ['sender', 'userId', 'idempotencyKey', 'sentAt', 'failure', 'blockedReason', 'response', 'providerMessageId', 'exportPath', 'leaseOwner', 'leaseExpiresAt', 'possibleDuplicate']) {
          expect(read).not.toHaveProperty(key);
        }
        expect(read?.providerId).toBeNull();
        expect(read?.forced).toBe(false);
      });

      it('stores the sender address lower-cased and times as ISO 8601 UTC', async () => {
        const record = newRecord({ senderAddress: 'Bob.Stone@Contoso.COM', dueAt: '2026-05-01T12:00:00+02:00', createdAt: '2026-05-01T10:00:00.5Z' });
        const inserted = await store.insertEmail(record);
        expect(inserted.senderAddress).toBe('bob.stone@contoso.com');
        expect(inserted.dueAt).toBe('2026-05-01T10:00:00.000Z');
        expect((await store.getEmail(record.id))?.createdAt).toBe('2026-05-01T10:00:00.500Z');
      });

      it('sets createdAt and updatedAt itself when the record has none', async () => {
        const { createdAt: _omit, ...record } = newRecord();
        const inserted = await store.insertEmail(record);
        expect(Number.isNaN(Date.parse(inserted.createdAt))).toBe(false);
        expect(inserted.updatedAt).toBe(inserted.createdAt);
        expect((await store.getEmail(record.id))?.createdAt).toBe(inserted.createdAt);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.getEmail(randomUUID())).toBeUndefined();
      });

      it('keeps the payload of a queued email', async () => {
        const payload = JSON.stringify({ subject: 'Grüße', html: '<p>✓</p>', attachments: [{ filename: 'a.pdf', content: 'JVBERi0=' }] });
        const withPayload = newRecord({ payload });
        const without = newRecord();
        const inserted = await store.insertEmail(withPayload);
        await store.insertEmail(without);
        expect(inserted).not.toHaveProperty('payload');
        expect(await store.getPayload(withPayload.id)).toBe(payload);
        expect(await store.getPayload(without.id)).toBeUndefined();
        expect(await store.getPayload(randomUUID())).toBeUndefined();
        const many = await store.getPayloads([withPayload.id, without.id, randomUUID()]);
        expect([...many]).toEqual([[withPayload.id, payload]]);
        expect((await store.getPayloads([])).size).toBe(0);
      });

      it('keeps a payload while the email may still be sent or once it failed, and drops it with the update that makes the email sent, exported or blocked', async () => {
        const retried = newRecord({ status: 'sending', payload: 'retried' });
        const finishedByAttempt = newRecord({ status: 'sending', payload: 'sent' });
        const failedByAttempt = newRecord({ status: 'sending', payload: 'failed' });
        const finishedByUpdate = newRecord({ status: 'queued', payload: 'blocked' });
        const insertedFinal = newRecord({ status: 'exported', payload: 'exported' });
        const insertedFailed = newRecord({ status: 'failed', payload: 'inserted failed' });
        await store.insertEmails([retried, finishedByAttempt, failedByAttempt, finishedByUpdate, insertedFinal, insertedFailed]);
        await store.finishAttempts([
          { emailId: retried.id, patch: { status: 'queued', attempts: 1 }, attempt: attemptOf(retried.id, { outcome: 'retrying' }) },
          { emailId: finishedByAttempt.id, patch: { status: 'sent', attempts: 1 }, attempt: attemptOf(finishedByAttempt.id) },
          { emailId: failedByAttempt.id, patch: { status: 'failed', attempts: 1, failure: sendAsDenied }, attempt: attemptOf(failedByAttempt.id, { outcome: 'failed' }) },
        ]);
        await store.updateEmail(finishedByUpdate.id, { status: 'deferred' });
        expect(await store.getPayload(finishedByUpdate.id)).toBe('blocked');
        await store.updateEmail(finishedByUpdate.id, { status: 'blocked', blockedReason: 'external recipient' });
        const ids = [retried, finishedByAttempt, failedByAttempt, finishedByUpdate, insertedFinal, insertedFailed].map((r) => r.id);
        expect(await store.getPayloads(ids)).toEqual(
          new Map([
            [retried.id, 'retried'],
            [failedByAttempt.id, 'failed'],
            [insertedFailed.id, 'inserted failed'],
          ]),
        );
        expect((await store.getEmail(finishedByAttempt.id))?.status).toBe('sent');
      });

      it('applies a patch, changes only the patched fields and clears optional fields patched with undefined', async () => {
        const record = newRecord({ status: 'sending', leaseOwner: 'w1', leaseExpiresAt: at(60_000), failure: sendAsDenied, createdAt: '2020-01-01T00:00:00.000Z' });
        await store.insertEmail(record);
        const changes = {
          status: 'sent',
          attempts: 2,
          deferrals: 1,
          forced: true,
          sizeBytes: 2048,
          providerId: 'exchange',
          sentAt: at(5_000),
          dueAt: at(4_000),
          recipients: [{ kind: 'to', address: 'customer@example.com', status: 'accepted', smtpCode: 250 }],
          response: '250 OK',
          providerMessageId: 'pm-1',
          exportPath: '/tmp/x.eml',
          blockedReason: 'none',
          meta: { retried: true },
        } satisfies EmailPatch;
        const patched = await store.updateEmail(record.id, { ...changes, failure: undefined, leaseOwner: undefined, leaseExpiresAt: undefined });
        const expected: EmailRecord = { ...stored(record), ...changes, updatedAt: patched.updatedAt };
        delete expected.failure;
        delete expected.leaseOwner;
        delete expected.leaseExpiresAt;
        expect(patched).toEqual(expected);
        expect(patched.updatedAt).not.toBe(record.createdAt);
        expect(await store.getEmail(record.id)).toEqual(expected);

        const again = await store.updateEmail(record.id, { deferrals: 2 });
        expect(again).toEqual({ ...expected, deferrals: 2, updatedAt: again.updatedAt });
      });

      it('applies a patch through finishAttempts exactly as updateEmail does, with the attempt logged', async () => {
        const patch = { status: 'failed', attempts: 3, forced: false, failure: sendAsDenied, response: '550 5.7.60', meta: { step: 3 }, sentAt: undefined, leaseOwner: undefined, leaseExpiresAt: undefined } satisfies EmailPatch;
        const sending = (): NewEmailRecord => newRecord({ status: 'sending', leaseOwner: 'w1', leaseExpiresAt: at(60_000), sentAt: at(1), providerMessageId: 'kept', payload: 'p' });
        const viaUpdate = sending();
        const viaAttempt = sending();
        await store.insertEmails([viaUpdate, viaAttempt]);
        const updated = await store.updateEmail(viaUpdate.id, patch);
        const attempt = attemptOf(viaAttempt.id, { outcome: 'failed', failure: sendAsDenied });
        expect(await store.finishAttempts([{ emailId: viaAttempt.id, patch, attempt, leaseOwner: 'w1' }])).toEqual({ missing: [], takenOver: [] });
        const finished = await store.getEmail(viaAttempt.id);
        expect(finished).toEqual({ ...updated, id: viaAttempt.id, messageId: viaAttempt.messageId, updatedAt: finished?.updatedAt });
        expect(finished).not.toHaveProperty('sentAt');
        expect(finished?.providerMessageId).toBe('kept');
        expect(await store.listAttempts(viaAttempt.id)).toEqual([attempt]);
        // A failed email keeps its message, for history.retry.
        expect(await store.getPayloads([viaUpdate.id, viaAttempt.id])).toEqual(new Map([[viaUpdate.id, 'p'], [viaAttempt.id, 'p']]));
      });

      it('refuses to update an unknown id with MW_EMAIL_NOT_FOUND', async () => {
        const id = randomUUID();
        const error = await expectMailwrightError(store.updateEmail(id, { status: 'sent' }), ErrorCodes.EMAIL_NOT_FOUND);
        expect(error.details.emailId).toBe(id);
      });
    });

    describe('idempotency keys', () => {
      it('finds an email by its key', async () => {
        const record = newRecord({ idempotencyKey: 'invoice-42' });
        await store.insertEmail(record);
        await store.insertEmail(newRecord({ idempotencyKey: 'invoice-43' }));
        expect((await store.findByIdempotencyKey('invoice-42'))?.id).toBe(record.id);
        expect(await store.findByIdempotencyKey('invoice-44')).toBeUndefined();
      });

      it('refuses a second email with the same key and keeps the first', async () => {
        const first = newRecord({ idempotencyKey: 'dup' });
        await store.insertEmail(first);
        const second = newRecord({ idempotencyKey: 'dup', payload: 'x' });
        const error = await expectMailwrightError(store.insertEmail(second), ErrorCodes.IDEMPOTENCY_KEY_CONFLICT);
        expect(error.details.existingEmailId).toBe(first.id);
        expect(await store.getEmail(second.id)).toBeUndefined();
        expect(await store.getPayload(second.id)).toBeUndefined();
        expect((await store.findByIdempotencyKey('dup'))?.id).toBe(first.id);
      });

      it('allows any number of emails without a key', async () => {
        await store.insertEmail(newRecord());
        await store.insertEmail(newRecord());
        expect((await store.listEmails({})).items).toHaveLength(2);
      });
    });

    describe('bulk insert', () => {
      it('inserts many records and their payloads in one call', async () => {
        const records = Array.from({ length: 2500 }, (_, i) =>
          newRecord({ createdAt: at(i), subject: `Bulk ${i}`, ...(i % 2 === 0 ? { payload: `payload ${i}` } : {}) }),
        );
        await store.insertEmails(records);
        const pages = await allPages(store, { limit: 1000 });
        expect(pages.flat()).toHaveLength(2500);
        expect(pages.flat()[0]?.subject).toBe('Bulk 2499');
        expect(await store.getPayload(records[1000]?.id ?? '')).toBe('payload 1000');
        expect(await store.getPayload(records[1001]?.id ?? '')).toBeUndefined();
        await store.insertEmails([]);
      });

      it('stores every field as given, whatever characters the text holds', async () => {
        const awkward = 'tab\there, new\nline, cr\r, back\\slash \\N, quote " \', ünïcødé 📧, comma, {brace}';
        const full = newRecord({
          status: 'failed',
          providerId: null,
          subject: awkward,
          from: `"${awkward}" <ana@contoso.com>`,
          sender: 'Office <office@contoso.com>',
          userId: 'u\t1',
          recipients: [{ kind: 'cc', address: 'b@example.com', status: 'rejected', response: awkward }],
          sizeBytes: 2 ** 40,
          attempts: 3,
          deferrals: 2,
          forced: true,
          priority: -5,
          idempotencyKey: awkward,
          sentAt: at(5),
          failure: sendAsDenied,
          response: awkward,
          meta: { note: awkward, n: 1 },
          payload: `{"text":"${awkward.replace(/[\\"\n\r\t]/g, ' ')}"}\n\\.\n`,
        });
        const bare = newRecord({ payload: '' });
        await store.insertEmails([full, bare]);
        const { payload, ...fields } = full;
        expect(await store.getEmail(full.id)).toEqual({ ...fields, updatedAt: full.createdAt });
        expect(await store.getPayload(full.id)).toBe(payload);
        expect(await store.getPayload(bare.id)).toBe('');
      });

      it('inserts nothing when one record of the batch conflicts', async () => {
        await store.insertEmail(newRecord({ idempotencyKey: 'taken' }));
        const batch = [newRecord(), newRecord({ idempotencyKey: 'taken' }), newRecord()];
        await expectMailwrightError(store.insertEmails(batch), ErrorCodes.IDEMPOTENCY_KEY_CONFLICT);
        for (const r of batch) expect(await store.getEmail(r.id)).toBeUndefined();
      });
    });

    describe('history list', () => {
      const senders = ['ana@contoso.com', 'bob@contoso.com', 'carl@contoso.com'];
      const statuses: EmailStatus[] = ['sent', 'failed', 'queued', 'blocked', 'exported', 'deferred', 'sending'];
      const providers = ['smtp', 'exchange', null];
      let all: EmailRecord[];

      beforeEach(async () => {
        const records = Array.from({ length: 42 }, (_, i) =>
          newRecord({
            // every third pair shares a millisecond, to exercise the id tie-break
            createdAt: at(Math.floor(i / 2) * 1000),
            senderAddress: senders[i % 3] ?? '',
            status: statuses[i % 7] ?? 'sent',
            providerId: providers[i % 2 === 0 ? 0 : (i % 3) % 2 === 0 ? 1 : 2] ?? null,
            subject: `Email ${i}`,
          }),
        );
        for (const r of records) await store.insertEmail(r);
        all = records.map(stored);
      });

      const ids = (records: EmailRecord[]) => records.map((r) => r.id);

      it('lists newest first (created desc, then id desc)', async () => {
        const page = await store.listEmails({ limit: 1000 });
        expect(ids(page.items)).toEqual(historyOrder(all));
        expect(page.nextCursor).toBeUndefined();
      });

      it('filters by one status and by several', async () => {
        expect(ids((await store.listEmails({ status: 'failed' })).items)).toEqual(historyOrder(all.filter((r) => r.status === 'failed')));
        const some = (await store.listEmails({ status: ['sent', 'blocked'] })).items;
        expect(ids(some)).toEqual(historyOrder(all.filter((r) => r.status === 'sent' || r.status === 'blocked')));
        expect(some.length).toBeGreaterThan(0);
      });

      it('filters by sender, case-insensitively', async () => {
        const items = (await store.listEmails({ sender: '  Bob@CONTOSO.com ' })).items;
        expect(ids(items)).toEqual(historyOrder(all.filter((r) => r.senderAddress === 'bob@contoso.com')));
        expect(items).toHaveLength(14);
        expect((await store.listEmails({ sender: 'nobody@contoso.com' })).items).toEqual([]);
      });

      it('filters by failure code, one or several, among failed and waiting email', async () => {
        const recipientUnknown = { ...sendAsDenied, code: ErrorCodes.RECIPIENT_UNKNOWN, message: '550 5.1.1 User unknown' };
        const failed = [newRecord({ status: 'failed', failure: sendAsDenied }), newRecord({ status: 'failed', failure: recipientUnknown, createdAt: at(1) })];
        const retrying = newRecord({ status: 'queued', failure: sendAsDenied, createdAt: at(2) });
        await store.insertEmails([...failed, retrying]);
        expect(ids((await store.listEmails({ failureCode: 'MW_SEND_AS_DENIED' })).items).sort()).toEqual([failed[0]!.id, retrying.id].sort());
        expect(ids((await store.listEmails({ failureCode: 'MW_SEND_AS_DENIED', status: 'failed' })).items)).toEqual([failed[0]!.id]);
        expect(ids((await store.listEmails({ failureCode: ['MW_SEND_AS_DENIED', 'MW_RECIPIENT_UNKNOWN'], status: 'failed' })).items)).toEqual([failed[1]!.id, failed[0]!.id]);
        expect((await store.listEmails({ failureCode: 'MW_CANCELLED' })).items).toEqual([]);
        expect((await store.listEmails({ failureCode: [] })).items).toHaveLength(45);
        const typo = await expectMailwrightError(store.listEmails({ failureCode: 'MW_SEND_AS_DENYED' as never }), ErrorCodes.INVALID_QUERY);
        expect(typo.details.field).toBe('failureCode');
      });

      it('filters by provider', async () => {
        const items = (await store.listEmails({ providerId: 'exchange' })).items;
        expect(ids(items)).toEqual(historyOrder(all.filter((r) => r.providerId === 'exchange')));
        expect(items.length).toBeGreaterThan(0);
      });

      it('filters by creation date: since inclusive, until exclusive, as ISO strings or Dates', async () => {
        const since = at(5_000);
        const until = new Date(msAt(12_000));
        const items = (await store.listEmails({ since, until, limit: 1000 })).items;
        expect(ids(items)).toEqual(historyOrder(all.filter((r) => r.createdAt >= since && r.createdAt < until.toISOString())));
        expect(items.map((r) => r.createdAt)).toContain(at(5_000));
        expect(items.map((r) => r.createdAt)).not.toContain(at(12_000));
        expect((await store.listEmails({ since: new Date(msAt(20_000)) })).items.map((r) => r.createdAt)).toEqual([at(20_000), at(20_000)]);
      });

      it('combines every filter with AND', async () => {
        const query = { status: ['sent', 'failed', 'queued'] as EmailStatus[], sender: 'ANA@contoso.com', providerId: 'smtp', since: at(2_000), until: at(19_000) };
        const expected = all.filter(
          (r) =>
            ['sent', 'failed', 'queued'].includes(r.status) &&
            r.senderAddress === 'ana@contoso.com' &&
            r.providerId === 'smtp' &&
            r.createdAt >= at(2_000) &&
            r.createdAt < at(19_000),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(ids((await store.listEmails(query)).items)).toEqual(historyOrder(expected));
      });

      it('pages with a cursor without duplicates or gaps, across ties', async () => {
        const pages = await allPages(store, { limit: 5 });
        expect(pages).toHaveLength(9);
        expect(pages.slice(0, 8).every((p) => p.length === 5)).toBe(true);
        expect(pages[8]).toHaveLength(2);
        expect(ids(pages.flat())).toEqual(historyOrder(all));
      });

      it('pages a filtered list the same way', async () => {
        const pages = await allPages(store, { status: ['sent', 'failed', 'queued', 'blocked'], sender: 'carl@contoso.com', limit: 2 });
        const expected = historyOrder(all.filter((r) => ['sent', 'failed', 'queued', 'blocked'].includes(r.status) && r.senderAddress === 'carl@contoso.com'));
        expect(ids(pages.flat())).toEqual(expected);
        expect(pages.length).toBe(Math.ceil(expected.length / 2));
      });

      it('gives no cursor when the last page is exactly full', async () => {
        const page = await store.listEmails({ limit: 42 });
        expect(page.items).toHaveLength(42);
        expect(page.nextCursor).toBeUndefined();
      });

      it('returns 50 items by default', async () => {
        await store.insertEmails(Array.from({ length: 20 }, (_, i) => newRecord({ createdAt: at(100_000 + i) })));
        const page = await store.listEmails({});
        expect(page.items).toHaveLength(50);
        expect(page.nextCursor).toEqual(expect.any(String));
        expect((await store.listEmails({ cursor: page.nextCursor ?? '' })).items).toHaveLength(12);
      });

      it('refuses a bad limit, cursor, status or date with MW_INVALID_QUERY', async () => {
        for (const limit of [0, -1, 1001, 2.5, Number.NaN]) {
          await expectMailwrightError(store.listEmails({ limit }), ErrorCodes.INVALID_QUERY);
        }
        await expect(store.listEmails({ limit: 1000 })).resolves.toBeDefined();
        await expectMailwrightError(store.listEmails({ cursor: 'not-a-cursor' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.listEmails({ cursor: Buffer.from('{"a":1}').toString('base64url') }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.listEmails({ status: 'lost' as EmailStatus }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.listEmails({ since: 'yesterday' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.listEmails({ until: new Date(Number.NaN) }), ErrorCodes.INVALID_QUERY);
      });
    });

    describeHistoryScreens(() => store);

    describe('attempts', () => {
      it('lists an email\'s attempts in the order they were appended', async () => {
        const email = newRecord();
        const other = newRecord();
        await store.insertEmail(email);
        await store.insertEmail(other);
        const deferred = attemptOf(email.id, { attempt: 1, outcome: 'deferred', startedAt: at(0), finishedAt: at(0) });
        const failed = attemptOf(email.id, {
          attempt: 1,
          outcome: 'retrying',
          failure: { ...sendAsDenied, permanent: false },
          transcript: 'S: 421 4.3.2 try later ✓',
          startedAt: at(60_000),
          finishedAt: at(61_500),
        });
        const sent = attemptOf(email.id, { attempt: 2, outcome: 'sent', providerId: 'exchange', startedAt: at(120_000), finishedAt: at(120_250) });
        await store.appendAttempt(deferred);
        await store.appendAttempt(attemptOf(other.id));
        await store.appendAttempt(failed);
        await store.appendAttempt(sent);
        expect(await store.listAttempts(email.id)).toEqual([deferred, failed, sent]);
        expect(await store.listAttempts(other.id)).toEqual([attemptOf(other.id)]);
        expect(await store.listAttempts(randomUUID())).toEqual([]);
      });

      it('finishes an attempt in one transaction: the patch and the log entry, or neither', async () => {
        const email = newRecord({ status: 'sending', leaseOwner: 'w1', leaseExpiresAt: at(60_000) });
        await store.insertEmail(email);
        const sent = attemptOf(email.id, { attempt: 1, outcome: 'sent', startedAt: at(0), finishedAt: at(250) });
        await store.finishAttempt(email.id, { status: 'sent', attempts: 1, sentAt: at(250), leaseOwner: undefined, leaseExpiresAt: undefined }, sent);
        const after = await store.getEmail(email.id);
        expect([after?.status, after?.attempts, after?.sentAt, after?.leaseOwner]).toEqual(['sent', 1, at(250), undefined]);
        expect(await store.listAttempts(email.id)).toEqual([sent]);
        const ghost = randomUUID();
        await expectMailwrightError(store.finishAttempt(ghost, { status: 'sent' }, attemptOf(ghost)), ErrorCodes.EMAIL_NOT_FOUND);
        expect(await store.listAttempts(ghost)).toEqual([]);
      });

      it('with a lease owner, an outcome changes the email only while no other worker holds it, and is logged either way', async () => {
        const mine = newRecord({ status: 'sending', leaseOwner: 'worker-a', leaseExpiresAt: at(60_000), payload: 'm' });
        const released = newRecord({ status: 'queued', payload: 'r' });
        const takenOver = newRecord({ status: 'sending', leaseOwner: 'worker-b', leaseExpiresAt: at(120_000), payload: 't' });
        await store.insertEmails([mine, released, takenOver]);
        const sent = { status: 'sent', attempts: 1, leaseOwner: undefined, leaseExpiresAt: undefined } as const;
        const result = await store.finishAttempts(
          [mine, released, takenOver].map((r) => ({ emailId: r.id, patch: sent, attempt: attemptOf(r.id), leaseOwner: 'worker-a' })).concat([
            { emailId: randomUUID(), patch: sent, attempt: attemptOf('gone'), leaseOwner: 'worker-a' },
          ]),
        );
        expect(result.takenOver).toEqual([takenOver.id]);
        expect(result.missing).toHaveLength(1);
        expect((await store.getEmail(mine.id))?.status).toBe('sent');
        expect((await store.getEmail(released.id))?.status).toBe('sent');
        const untouched = await store.getEmail(takenOver.id);
        expect([untouched?.status, untouched?.leaseOwner, untouched?.attempts]).toEqual(['sending', 'worker-b', 0]);
        expect(await store.listAttempts(takenOver.id)).toHaveLength(1);
        expect(await store.getPayload(takenOver.id)).toBe('t');
      });

      it('refuses an attempt of an unknown email with MW_EMAIL_NOT_FOUND', async () => {
        const ghost = randomUUID();
        await expectMailwrightError(store.appendAttempt(attemptOf(ghost)), ErrorCodes.EMAIL_NOT_FOUND);
        expect(await store.listAttempts(ghost)).toEqual([]);
      });

      it('keeps transcripts with newlines and failures intact in the attempt log', async () => {
        const email = newRecord();
        await store.insertEmail(email);
        const first = attemptOf(email.id, { attempt: 1, outcome: 'retrying', transcript: 'C: EHLO a\r\nS: 250 ok\n\nS: 421 later' });
        const second = attemptOf(email.id, { attempt: 2, outcome: 'failed', failure: sendAsDenied, startedAt: '2026-06-01T10:00:00+02:00', finishedAt: at(9) });
        await store.appendAttempt(first);
        await store.appendAttempt(second);
        expect(await store.listAttempts(email.id)).toEqual([first, { ...second, startedAt: '2026-06-01T08:00:00.000Z' }]);
      });
    });

    describe('settings', () => {
      it('gets, puts and overwrites JSON values', async () => {
        expect(await store.getSetting('email.parameters')).toBeUndefined();
        const value = { batchProviderId: 'smtp', retentionDays: 30, throttle: { smtp: 30 }, note: 'Grüße ✓', list: [1, null] };
        await store.putSetting('email.parameters', value);
        expect(await store.getSetting('email.parameters')).toEqual(value);
        await store.putSetting('email.parameters', { batchProviderId: 'exchange' });
        expect(await store.getSetting('email.parameters')).toEqual({ batchProviderId: 'exchange' });
        await store.putSetting('flag', false);
        await store.putSetting('count', 0);
        await store.putSetting('name', '');
        await store.putSetting('nothing', null);
        expect(await store.getSetting('flag')).toBe(false);
        expect(await store.getSetting('count')).toBe(0);
        expect(await store.getSetting('name')).toBe('');
        expect(await store.getSetting('nothing')).toBeNull();
      });

      it('deletes a setting put as undefined', async () => {
        await store.putSetting('temp', { a: 1 });
        await store.putSetting('temp', undefined);
        expect(await store.getSetting('temp')).toBeUndefined();
      });
    });

    describe('claimDue', () => {
      const now = msAt(3_600_000);
      const claim = (owner: string, limit = 100, at = now, leaseMs = 60_000) => store.claimDue({ now: at, limit, leaseMs, owner });

      it('claims due queued/deferred emails by priority desc, due asc, created asc, with a lease', async () => {
        const records = [
          newRecord({ subject: 'low-early', priority: 0, dueAt: at(1_000), createdAt: at(0) }),
          newRecord({ subject: 'high-late', priority: 5, dueAt: at(3_000), createdAt: at(0) }),
          newRecord({ subject: 'high-early', priority: 5, dueAt: at(2_000), createdAt: at(0) }),
          newRecord({ subject: 'low-early-created-later', priority: 0, dueAt: at(1_000), createdAt: at(500) }),
          newRecord({ subject: 'deferred-due', status: 'deferred', priority: 1, dueAt: at(3_600_000), createdAt: at(0) }),
          newRecord({ subject: 'negative', priority: -1, dueAt: at(0), createdAt: at(0) }),
          newRecord({ subject: 'not-due', priority: 9, dueAt: at(3_600_001), createdAt: at(0) }),
          newRecord({ subject: 'deferred-not-due', status: 'deferred', priority: 9, dueAt: at(7_200_000), createdAt: at(0) }),
          ...(['sent', 'failed', 'blocked', 'exported'] as const).map((status) => newRecord({ subject: status, status, priority: 9, dueAt: at(0) })),
          newRecord({ subject: 'interactive-in-flight', status: 'sending', priority: 9, dueAt: at(0) }),
        ];
        for (const r of records) await store.insertEmail(r);

        expect(await store.countDue(now)).toBe(6);
        const claimed = await claim('worker-a');
        expect(claimed.map((r) => r.subject)).toEqual(['high-early', 'high-late', 'deferred-due', 'low-early', 'low-early-created-later', 'negative']);
        // Leased now, so not due; once the leases expire they are due again, with 'not-due' come due.
        expect(await store.countDue(now)).toBe(0);
        expect(await store.countDue(now + 60_000)).toBe(7);
        for (const r of claimed) {
          expect(r.status).toBe('sending');
          expect(r.leaseOwner).toBe('worker-a');
          expect(r.leaseExpiresAt).toBe(new Date(now + 60_000).toISOString());
          expect(await store.getEmail(r.id)).toEqual(r);
        }
        expect((await store.getEmail(records[6]?.id ?? ''))?.status).toBe('queued');
      });

      it('respects the limit and continues where it stopped', async () => {
        const records = Array.from({ length: 7 }, (_, i) => newRecord({ dueAt: at(i), createdAt: at(0) }));
        await store.insertEmails(records);
        const first = await claim('w', 3);
        const second = await claim('w', 3);
        const third = await claim('w', 3);
        expect(first.map((r) => r.id)).toEqual(records.slice(0, 3).map((r) => r.id));
        expect(second.map((r) => r.id)).toEqual(records.slice(3, 6).map((r) => r.id));
        expect(third.map((r) => r.id)).toEqual(records.slice(6).map((r) => r.id));
        expect(await claim('w', 3)).toEqual([]);
      });

      it('does not take an email whose lease is still running, and takes it over once the lease expired', async () => {
        const record = newRecord({ dueAt: at(0) });
        await store.insertEmail(record);
        expect(await claim('worker-a', 10, now, 60_000)).toHaveLength(1);
        expect(await claim('worker-b', 10, now)).toEqual([]);
        expect(await claim('worker-b', 10, now + 59_999)).toEqual([]);
        const taken = await claim('worker-b', 10, now + 60_000, 30_000);
        expect(taken.map((r) => [r.id, r.leaseOwner, r.leaseExpiresAt])).toEqual([[record.id, 'worker-b', new Date(now + 90_000).toISOString()]]);
        expect(await claim('worker-a', 10, now + 60_001)).toEqual([]);
      });

      it('counts and logs a takeover, since the worker that stopped may have sent the email: attempts + 1, a possible duplicate', async () => {
        const record = newRecord({ dueAt: at(0), attempts: 2, providerId: 'smtp' });
        const fresh = newRecord({ dueAt: at(1) });
        await store.insertEmails([record, fresh]);
        await claim('worker-a', 1, now, 60_000);
        const [taken, other] = await claim('worker-b', 10, now + 60_000);
        expect([taken?.id, taken?.attempts, taken?.possibleDuplicate, other?.id, other?.attempts, other?.possibleDuplicate]).toEqual([record.id, 3, true, fresh.id, 0, undefined]);
        expect(await store.listAttempts(record.id)).toEqual([
          {
            emailId: record.id,
            attempt: 3,
            providerId: 'smtp',
            startedAt: new Date(now + 60_000).toISOString(),
            finishedAt: new Date(now + 60_000).toISOString(),
            outcome: 'taken-over',
            failure: expect.objectContaining({
              code: ErrorCodes.LEASE_EXPIRED,
              permanent: false,
              message: `Worker worker-a stopped while sending (its lease expired at ${new Date(now + 60_000).toISOString()}); taken over by worker-b.`,
            }),
          },
        ]);
        expect(await store.listAttempts(fresh.id)).toEqual([]);
        // The mark stays through the send and later patches.
        await store.updateEmail(record.id, { status: 'sent', sentAt: at(1), attempts: 4 });
        expect((await store.getEmail(record.id))?.possibleDuplicate).toBe(true);
      });

      it('releases only its own running leases: the emails wait again, as queued or deferred, and are claimable at once', async () => {
        const queued = newRecord({ subject: 'queued', dueAt: at(0) });
        const deferred = newRecord({ subject: 'deferred', status: 'deferred', deferrals: 2, dueAt: at(1) });
        const othersLease = newRecord({ subject: 'other worker', dueAt: at(2) });
        await store.insertEmails([queued, deferred, othersLease]);
        const mine = await claim('worker-a', 2);
        expect(mine.map((r) => r.subject)).toEqual(['queued', 'deferred']);
        await claim('worker-b', 1);
        const finished = newRecord({ subject: 'finished', status: 'sending', leaseOwner: 'worker-a', leaseExpiresAt: at(0), dueAt: at(0) });
        await store.insertEmail(finished);
        await store.updateEmail(finished.id, { status: 'sent', sentAt: at(1), leaseOwner: undefined, leaseExpiresAt: undefined });

        expect(await store.releaseLeases([queued.id, deferred.id, othersLease.id, finished.id], 'worker-a')).toBe(2);
        const released = await Promise.all([queued.id, deferred.id].map((id) => store.getEmail(id)));
        expect(released.map((r) => [r?.status, r?.leaseOwner, r?.leaseExpiresAt, r?.dueAt, r?.attempts])).toEqual([
          ['queued', undefined, undefined, at(0), 0],
          ['deferred', undefined, undefined, at(1), 0],
        ]);
        expect((await store.getEmail(othersLease.id))?.leaseOwner).toBe('worker-b');
        expect((await store.getEmail(finished.id))?.status).toBe('sent');
        expect((await claim('worker-c')).map((r) => r.subject)).toEqual(['queued', 'deferred']);
        expect(await store.releaseLeases([], 'worker-a')).toBe(0);
      });

      it('extends only the leases the owner still holds, and says which', async () => {
        const records = Array.from({ length: 3 }, (_, i) => newRecord({ dueAt: at(i) }));
        await store.insertEmails(records);
        const [held, expired, takenOver] = records.map((r) => r.id) as [string, string, string];
        await claim('worker-a', 3, now, 60_000);
        await store.updateEmail(expired, { leaseExpiresAt: at(3_600_000 + 10_000) });
        await store.updateEmail(takenOver, { leaseOwner: 'worker-b' });

        const kept = await store.extendLeases({ ids: [held, expired, takenOver], owner: 'worker-a', now: now + 30_000, leaseMs: 60_000 });
        expect(kept).toEqual([held]);
        expect((await store.getEmail(held))?.leaseExpiresAt).toBe(new Date(now + 90_000).toISOString());
        expect((await store.getEmail(expired))?.leaseExpiresAt).toBe(at(3_600_000 + 10_000));
        expect((await store.getEmail(takenOver))?.leaseOwner).toBe('worker-b');
        expect(await store.extendLeases({ ids: [], owner: 'worker-a', now, leaseMs: 60_000 })).toEqual([]);
      });

      it('never claims a finished email even with an old lease', async () => {
        const record = newRecord({ status: 'sending', leaseOwner: 'dead', leaseExpiresAt: at(0), dueAt: at(0) });
        await store.insertEmail(record);
        await store.updateEmail(record.id, { status: 'sent', sentAt: at(1) });
        expect(await claim('w')).toEqual([]);
      });

      it('hands each email to exactly one of 5 parallel callers', async () => {
        const records = Array.from({ length: 60 }, (_, i) => newRecord({ dueAt: at(i), priority: i % 3 }));
        await store.insertEmails(records);
        const worker = async (owner: string): Promise<string[]> => {
          const mine: string[] = [];
          for (;;) {
            const batch = await claim(owner, 4);
            if (batch.length === 0) return mine;
            mine.push(...batch.map((r) => r.id));
          }
        };
        const results = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map(worker));
        const claimed = results.flat();
        expect(claimed).toHaveLength(60);
        expect(new Set(claimed).size).toBe(60);
        expect(new Set(claimed)).toEqual(new Set(records.map((r) => r.id)));
        for (const [i, owner] of ['w1', 'w2', 'w3', 'w4', 'w5'].entries()) {
          for (const id of results[i] ?? []) expect((await store.getEmail(id))?.leaseOwner).toBe(owner);
        }
      });

      it('refuses invalid options with MW_INVALID_QUERY', async () => {
        await expectMailwrightError(store.claimDue({ now, limit: 0, leaseMs: 1000, owner: 'w' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.claimDue({ now, limit: 1, leaseMs: 0, owner: 'w' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.claimDue({ now, limit: 1, leaseMs: 1000, owner: ' ' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.countDue(Number.NaN), ErrorCodes.INVALID_QUERY);
      });
    });

    describe('changeEmails (history.retry, history.cancel)', () => {
      /** The retry's change: failed emails with their message, queued again with their round reset. */
      const retry = (dueAt: string) =>
        ({
          from: ['failed'],
          withMessage: true,
          patch: { status: 'queued', dueAt, attempts: 0, deferrals: 0, forced: false, failure: undefined, sentAt: undefined },
        }) as const;

      it('applies the patch to an email in one of the statuses, with its message when asked, and logs the attempt', async () => {
        const failed = newRecord({ status: 'failed', attempts: 5, deferrals: 10, forced: true, failure: sendAsDenied, sentAt: at(1), priority: 3, payload: 'message', idempotencyKey: 'k-1' });
        await store.insertEmail(failed);
        await store.appendAttempt(attemptOf(failed.id, { attempt: 5, outcome: 'failed', failure: sendAsDenied }));
        const requeued = attemptOf(failed.id, { attempt: 5, outcome: 'requeued', startedAt: at(60_000), finishedAt: at(60_000) });

        expect(await store.changeEmails([requeued], retry(at(60_000)))).toEqual([failed.id]);

        const record = await store.getEmail(failed.id);
        expect(record).toMatchObject({ status: 'queued', dueAt: at(60_000), attempts: 0, deferrals: 0, forced: false, priority: 3, idempotencyKey: 'k-1' });
        expect(record).not.toHaveProperty('failure');
        expect(record).not.toHaveProperty('sentAt');
        expect((await store.listAttempts(failed.id)).map((a) => a.outcome)).toEqual(['failed', 'requeued']);
        expect(await store.getPayload(failed.id)).toBe('message');
        expect((await store.claimDue({ now: msAt(60_000), limit: 10, leaseMs: 1000, owner: 'w' })).map((r) => r.id)).toEqual([failed.id]);
      });

      it('leaves an email in another status, without its message when one is needed, or unknown, as it was', async () => {
        const sent = newRecord({ status: 'sent', sentAt: at(1), payload: 'gone' });
        const queued = newRecord({ status: 'queued', payload: 'waiting' });
        const failedWithoutMessage = newRecord({ status: 'failed', mode: 'interactive', failure: sendAsDenied });
        const failed = newRecord({ status: 'failed', failure: sendAsDenied, payload: 'kept' });
        await store.insertEmails([sent, queued, failedWithoutMessage, failed]);
        const ids = [sent.id, queued.id, failedWithoutMessage.id, randomUUID(), failed.id];
        const before = await Promise.all(ids.map((id) => store.getEmail(id)));

        const changed = await store.changeEmails(
          ids.map((id) => attemptOf(id, { outcome: 'requeued' })),
          retry(at(5_000)),
        );

        expect(changed).toEqual([failed.id]);
        expect(await Promise.all(ids.slice(0, 4).map((id) => store.getEmail(id)))).toEqual(before.slice(0, 4));
        for (const id of ids.slice(0, 4)) expect(await store.listAttempts(id)).toEqual([]);
        expect(await store.changeEmails([], retry(at(5_000)))).toEqual([]);
      });

      it('does not change an email claimed meanwhile: the status is checked by the update itself', async () => {
        const waiting = newRecord({ status: 'queued', payload: 'p' });
        await store.insertEmail(waiting);
        const cancel = { from: ['queued', 'deferred'], patch: { status: 'failed', failure: sendAsDenied } } as const;
        expect(await store.claimDue({ now: msAt(0), limit: 10, leaseMs: 60_000, owner: 'w' })).toHaveLength(1);
        expect(await store.changeEmails([attemptOf(waiting.id, { outcome: 'cancelled' })], cancel)).toEqual([]);
        expect((await store.getEmail(waiting.id))?.status).toBe('sending');
        // A patch to a status without a payload (sent, exported, blocked) drops it, as updateEmail does.
        const blocked = await store.changeEmails([attemptOf(waiting.id, { outcome: 'cancelled' })], { from: ['sending'], patch: { status: 'blocked', blockedReason: 'test' } });
        expect(blocked).toEqual([waiting.id]);
        expect(await store.getPayload(waiting.id)).toBeUndefined();
      });
    });

    describe('throttle window', () => {
      it('counts and lists non-forced sends of one provider since an instant', async () => {
        const since = msAt(60_000);
        const sends = [
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(59_999) }), // before the window
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(60_000) }), // on the edge: counted
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(90_000) }),
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(75_000) }),
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(80_000), forced: true }), // forced: ignored
          newRecord({ status: 'sent', providerId: 'exchange', sentAt: at(70_000) }), // other provider
          newRecord({ status: 'queued', providerId: 'smtp' }), // not sent
        ];
        for (const r of sends) await store.insertEmail(r);
        expect(await store.countSentSince('smtp', since)).toBe(3);
        expect(await store.listSentTimesSince('smtp', since)).toEqual([msAt(60_000), msAt(75_000), msAt(90_000)]);
        expect(await store.countSentSince('exchange', since)).toBe(1);
        expect(await store.listSentTimesSince('exchange', since)).toEqual([msAt(70_000)]);
        expect(await store.countSentSince('eml', since)).toBe(0);
        expect(await store.listSentTimesSince('eml', since)).toEqual([]);
      });

      it('counts an email once updateEmail records its send, and not when it was forced', async () => {
        const normal = newRecord({ status: 'sending', providerId: 'smtp' });
        const forced = newRecord({ status: 'sending', providerId: 'smtp' });
        await store.insertEmail(normal);
        await store.insertEmail(forced);
        expect(await store.countSentSince('smtp', msAt(0))).toBe(0);
        await store.updateEmail(normal.id, { status: 'sent', sentAt: at(1_000) });
        await store.updateEmail(forced.id, { status: 'sent', sentAt: at(2_000), forced: true });
        expect(await store.countSentSince('smtp', msAt(0))).toBe(1);
        expect(await store.listSentTimesSince('smtp', msAt(0))).toEqual([msAt(1_000)]);
      });
    });

    describe('throttle slots (reserveSends)', () => {
      const now = msAt(120_000);
      const lease = { leaseOwner: 'w', leaseExpiresAt: at(400_000) } as const;
      /** An email claimed by worker w, not reserved yet. */
      const claimedBy = (overrides: Partial<NewEmailRecord> = {}): NewEmailRecord => newRecord({ status: 'sending', providerId: null, ...lease, ...overrides });
      const reserve = (emailIds: string[], limit: number, options: { providerId?: string; owner?: string; maxDeferrals?: number; at?: number } = {}) =>
        store.reserveSends({ providerId: options.providerId ?? 'smtp', emailIds, owner: options.owner ?? 'w', now: options.at ?? now, windowMs: 60_000, limit, maxDeferrals: options.maxDeferrals ?? 10 });

      it('gives the free slots of the window to the first emails: their provider and sentAt become now', async () => {
        const history = [
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(60_000) }), // on the window's edge: outside (now - 60 s)
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(70_000) }),
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(65_000) }),
          newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(80_000), forced: true }), // forced: not counted
          newRecord({ status: 'sent', providerId: 'exchange', sentAt: at(90_000) }), // another provider
        ];
        const claimed = Array.from({ length: 4 }, (_, i) => claimedBy({ createdAt: at(i) }));
        await store.insertEmails([...history, ...claimed]);
        const ids = claimed.map((r) => r.id);

        const slots = await reserve(ids.slice(0, 2), 4);
        expect(slots).toEqual({ reserved: ids.slice(0, 2), forced: [], deferred: [], sooner: 0, sentTimesMs: [msAt(65_000), msAt(70_000), now, now] });
        for (const id of ids.slice(0, 2)) expect(await store.getEmail(id)).toMatchObject({ providerId: 'smtp', sentAt: at(120_000), status: 'sending' });
        // The reservations count for the next caller at once.
        const next = await reserve(ids.slice(2), 4);
        expect(next).toMatchObject({ reserved: [], forced: [], sentTimesMs: [msAt(65_000), msAt(70_000), now, now] });
        // The k-th waiting email waits for the k-th slot: the send at 65 s frees one at 125 s, the one at 70 s at 130 s.
        expect(next.deferred).toEqual([
          { id: ids[2], untilMs: msAt(125_000), deferrals: 1 },
          { id: ids[3], untilMs: msAt(130_000), deferrals: 1 },
        ]);
        for (const [i, due] of [[2, 125_000], [3, 130_000]] as const) {
          const deferred = await store.getEmail(ids[i] as string);
          expect(deferred).toMatchObject({ status: 'deferred', deferrals: 1, dueAt: at(due), providerId: 'smtp' });
          expect([deferred?.leaseOwner, deferred?.sentAt]).toEqual([undefined, undefined]);
          expect(await store.listAttempts(ids[i] as string)).toEqual([{ emailId: ids[i], attempt: 0, providerId: 'smtp', startedAt: at(120_000), finishedAt: at(120_000), outcome: 'deferred' }]);
        }
      });

      it('places a claimed email behind every email waiting before it, claimed or not: priority, then creation', async () => {
        const window = Array.from({ length: 3 }, (_, i) => newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(100_000 + i * 1000) }));
        const waiting = [
          newRecord({ status: 'deferred', deferrals: 1, dueAt: at(160_000), createdAt: at(1) }), // waits for the first slot (at 160 s)
          claimedBy({ createdAt: at(2) }), // another worker's, not reserved yet
          newRecord({ status: 'queued', dueAt: at(119_000), createdAt: at(3) }), // due, not claimed yet
          newRecord({ status: 'queued', dueAt: at(500_000), createdAt: at(0) }), // not due: not waiting for a slot
          newRecord({ status: 'queued', dueAt: at(0), createdAt: at(9), priority: 5 }), // higher priority: first
        ];
        const mine = [claimedBy({ createdAt: at(4) }), claimedBy({ createdAt: at(5) })];
        await store.insertEmails([...window, ...waiting, ...mine]);
        const slots = await reserve(mine.map((r) => r.id), 5, { owner: 'w' });
        // Places: priority 5 (1), the deferred one (2), the other worker's (3), the queued one (4), then mine (5, 6).
        // L = 5 with 3 sends: places 1-2 free now; place 5 frees at 102 + 60 s, place 6 is more than 60 s away.
        expect(slots.reserved).toEqual([]);
        expect(slots.deferred).toEqual([
          { id: mine[0]?.id, untilMs: msAt(162_000), deferrals: 1 },
          { id: mine[1]?.id, untilMs: now + 60_000, deferrals: 1 },
        ]);
        // The deferred email at place 2 has a free slot now, and is made due now (only it: the others are due or claimed).
        expect(slots.sooner).toBe(1);
        expect(await store.getEmail(waiting[0]!.id)).toMatchObject({ status: 'deferred', dueAt: at(120_000), deferrals: 1 });
      });

      it('a deferral lasts up to one minute: deferred again sooner, it counts once; after maxDeferrals without a slot, forced', async () => {
        const full = Array.from({ length: 2 }, (_, i) => newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(100_000 + i * 10_000) }));
        const email = claimedBy();
        await store.insertEmails([...full, email]);
        expect((await reserve([email.id], 2)).deferred).toEqual([{ id: email.id, untilMs: msAt(160_000), deferrals: 1 }]);
        // Claimed again at its slot 40 s later, it finds the slot taken (an interactive send): it waits on, same deferral.
        await store.insertEmail(newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(150_000) }));
        await store.updateEmail(email.id, { status: 'sending', ...lease });
        expect((await reserve([email.id], 2, { at: msAt(160_000) })).deferred).toEqual([{ id: email.id, untilMs: msAt(170_000), deferrals: 1 }]);
        // A minute after its deferral began, the next one counts.
        await store.updateEmail(email.id, { status: 'sending', ...lease });
        await store.insertEmail(newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(165_000) }));
        expect((await reserve([email.id], 2, { at: msAt(180_000) })).deferred).toEqual([{ id: email.id, untilMs: msAt(210_000), deferrals: 2 }]);
        // With maxDeferrals 2 reached and no slot when its deferral is over, it is forced: sentAt now, not counted, out of the line.
        await store.updateEmail(email.id, { status: 'sending', ...lease });
        await store.insertEmails([200_000, 230_000].map((ms) => newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(ms) })));
        const forced = await reserve([email.id], 2, { at: msAt(240_000), maxDeferrals: 2 });
        expect(forced).toMatchObject({ reserved: [], forced: [email.id], deferred: [] });
        expect(await store.getEmail(email.id)).toMatchObject({ status: 'sending', forced: true, sentAt: at(240_000), providerId: 'smtp' });
        expect(await store.countSentSince('smtp', msAt(180_001))).toBe(2);
        // Released unsent (stop()), it is neither forced nor holding a slot.
        expect(await store.releaseLeases([email.id], 'w')).toBe(1);
        expect(await store.getEmail(email.id)).toMatchObject({ status: 'deferred', forced: false });
        expect((await store.getEmail(email.id))?.sentAt).toBeUndefined();
      });

      it('a forced email leaves the line: the emails behind it move up a slot', async () => {
        const full = Array.from({ length: 2 }, (_, i) => newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(100_000 + i * 10_000) }));
        const old = claimedBy({ deferrals: 10, createdAt: at(0) });
        const next = claimedBy({ createdAt: at(1) });
        const behind = newRecord({ status: 'deferred', deferrals: 1, dueAt: at(180_000), createdAt: at(2) }); // third: no slot within a minute
        await store.insertEmails([...full, old, next, behind]);
        const slots = await reserve([old.id, next.id], 2);
        expect(slots).toMatchObject({ reserved: [], forced: [old.id], deferred: [{ id: next.id, untilMs: msAt(160_000), deferrals: 1 }], sooner: 1 });
        // With the forced one gone, the email behind is second: the slot the send at 110 s frees at 170 s.
        expect((await store.getEmail(behind.id))?.dueAt).toBe(at(170_000));
      });

      it('with no emails, only makes due sooner the deferred emails whose slot came earlier (a send failed)', async () => {
        const window = [newRecord({ status: 'sent', providerId: 'smtp', sentAt: at(100_000) })];
        const waiting = newRecord({ status: 'deferred', deferrals: 1, dueAt: at(160_000) });
        await store.insertEmails([...window, waiting]);
        expect(await reserve([], 1)).toEqual({ reserved: [], forced: [], deferred: [], sooner: 0, sentTimesMs: [msAt(100_000)] });
        await store.updateEmail(window[0]!.id, { status: 'failed', sentAt: undefined });
        expect(await reserve([], 1)).toMatchObject({ sooner: 1, sentTimesMs: [] });
        expect((await store.getEmail(waiting.id))?.dueAt).toBe(at(120_000));
      });

      it('a reservation older than the window still holds its slot while its email is being sent', async () => {
        const slow = newRecord({ status: 'sending', providerId: 'smtp', sentAt: at(10_000), leaseOwner: 'x', leaseExpiresAt: at(200_000) });
        const crashed = newRecord({ status: 'sending', providerId: 'smtp', sentAt: at(10_000), leaseOwner: 'gone', leaseExpiresAt: at(100_000) });
        const next = Array.from({ length: 3 }, (_, i) => claimedBy({ createdAt: at(i) }));
        await store.insertEmails([slow, crashed, ...next]);
        // The slow send's slot is taken; the crashed worker's lease has expired, so its slot is free.
        const slots = await reserve(next.map((r) => r.id), 2);
        expect(slots).toMatchObject({ reserved: [next[0]?.id], sentTimesMs: [now, now] });
      });

      it('does not count an email being reserved again (a takeover within the window) twice', async () => {
        const takenOver = claimedBy({ providerId: 'smtp', sentAt: at(100_000), createdAt: at(0) });
        const other = claimedBy({ createdAt: at(1) });
        await store.insertEmails([takenOver, other]);
        expect((await reserve([takenOver.id, other.id], 2)).reserved).toEqual([takenOver.id, other.id]);
      });

      it('plans only the emails still leased to the caller', async () => {
        const mine = claimedBy();
        const theirs = claimedBy({ leaseOwner: 'other' });
        await store.insertEmails([mine, theirs]);
        expect(await reserve([mine.id, theirs.id], 5)).toMatchObject({ reserved: [mine.id], forced: [], deferred: [] });
        expect((await store.getEmail(theirs.id))?.sentAt).toBeUndefined();
      });

      it('shares the limit between parallel callers: 5 workers reserving 3 each under a limit of 7 get 7 in all, the rest deferred', async () => {
        const claimed = Array.from({ length: 15 }, (_, i) => claimedBy({ createdAt: at(i), leaseOwner: `w${Math.floor(i / 3)}` }));
        await store.insertEmails(claimed);
        const results = await Promise.all([0, 1, 2, 3, 4].map((w) => reserve(claimed.slice(w * 3, w * 3 + 3).map((r) => r.id), 7, { owner: `w${w}` })));
        expect(results.flatMap((r) => r.reserved)).toHaveLength(7);
        expect(results.flatMap((r) => r.deferred)).toHaveLength(8);
        expect(await store.countSentSince('smtp', now - 59_999)).toBe(7);
      });

      it('an outcome other than sent clears the slot; a release clears it too', async () => {
        const [a, b] = [claimedBy({ createdAt: at(0) }), claimedBy({ createdAt: at(1) })];
        await store.insertEmails([a, b]);
        await reserve([a.id, b.id], 5);
        await store.updateEmail(a.id, { status: 'queued', sentAt: undefined });
        expect(await store.releaseLeases([b.id], 'w')).toBe(1);
        expect(await store.countSentSince('smtp', 0)).toBe(0);
        expect((await store.getEmail(b.id))?.sentAt).toBeUndefined();
      });

      it('refuses invalid options with MW_INVALID_QUERY', async () => {
        await expectMailwrightError(reserve([], 0), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(reserve([], 1, { providerId: ' ' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(reserve([], 1, { owner: '' }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(reserve([], 1, { maxDeferrals: -1 }), ErrorCodes.INVALID_QUERY);
        await expectMailwrightError(store.reserveSends({ providerId: 'smtp', emailIds: [], owner: 'w', now, windowMs: 0, limit: 1, maxDeferrals: 10 }), ErrorCodes.INVALID_QUERY);
      });
    });

    describe('retention purge', () => {
      it('deletes only finished emails created before the cutoff, with their attempt logs', async () => {
        const cutoff = at(86_400_000);
        const old = (status: EmailStatus) => newRecord({ status, createdAt: at(1_000), payload: `payload ${status}` });
        const finishedOld = (['sent', 'failed', 'blocked', 'exported'] as const).map(old);
        const waitingOld = (['queued', 'sending', 'deferred'] as const).map(old);
        const finishedAtCutoff = newRecord({ status: 'sent', createdAt: cutoff, payload: 'edge' });
        const finishedNew = newRecord({ status: 'failed', createdAt: at(86_400_001), payload: 'new' });
        const all = [...finishedOld, ...waitingOld, finishedAtCutoff, finishedNew];
        for (const r of all) {
          await store.insertEmail(r);
          await store.appendAttempt(attemptOf(r.id));
        }

        expect(await store.purgeFinishedBefore(cutoff)).toBe(4);

        for (const r of finishedOld) {
          expect(await store.getEmail(r.id)).toBeUndefined();
          expect(await store.listAttempts(r.id)).toEqual([]);
          expect(await store.getPayload(r.id)).toBeUndefined();
        }
        for (const r of [...waitingOld, finishedAtCutoff, finishedNew]) {
          expect((await store.getEmail(r.id))?.id).toBe(r.id);
          expect(await store.listAttempts(r.id)).toHaveLength(1);
        }
        for (const r of waitingOld) expect(await store.getPayload(r.id)).toBe(r.payload);
        expect(await store.getPayload(finishedNew.id)).toBe('new'); // failed, kept for a retry until purged
        expect(await store.purgeFinishedBefore(cutoff)).toBe(0);
      });

      it('refuses a cutoff that is not a date', async () => {
        await expectMailwrightError(store.purgeFinishedBefore('30 days ago'), ErrorCodes.INVALID_QUERY);
      });
    });

    describe('lifecycle', () => {
      it('reports use after close as MW_STORE_FAILED', async () => {
        const other = await factory();
        await other.migrate();
        await other.close();
        await other.close();
        await expectMailwrightError(other.getEmail('x'), ErrorCodes.STORE_FAILED);
      });
    });
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import type { EnqueueOptions } from '../../src/queue/enqueue-options.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';

describe('enqueue options are checked: a bad one is a typed error and nothing is queued', () => {
  let dir: string;
  let mailwright: Mailwright;
  const message = { from: 'batch@contoso.com', to: 'customer@example.com', subject: 'Statement', text: 'x' };
  const queued = async (): Promise<number> => (await mailwright.history.list({})).items.length;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-enqueue-options-'));
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    mailwright = await createMailwright({ store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }), providers: [emlProvider({ directory: dir })], users: new InMemoryUserDirectory(), clock });
  });
  afterEach(async () => {
    await mailwright.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [{ sendAfter: 'tomorrow' }, 'sendAfter: must be an ISO 8601 date/time such as 2026-11-25T08:00:00Z, or a valid Date'],
    [{ sendAfter: '2026-02-30T08:00:00Z' }, 'sendAfter: must be an ISO 8601 date/time'],
    [{ sendAfter: new Date(Number.NaN) }, 'sendAfter: must be an ISO 8601 date/time'],
    [{ priority: 1.5 }, 'priority: priority must be a whole number'],
    [{ priority: 'high' }, 'priority: Invalid input: expected number, received string'],
    [{ priority: 2 ** 31 }, 'priority: priority must be at most 2147483647'], // PostgreSQL's integer column
    [{ meta: { amount: 10n } }, 'meta: must be plain JSON data'],
    [{ idempotencyKey: '  ' }, 'idempotencyKey: idempotencyKey must not be empty'],
    [{ userId: '' }, 'userId: userId must not be empty'],
    [{ prio: 3 }, '(options): Unrecognized key: "prio"'],
  ])('enqueue(%o) is refused: %s', async (options, message_) => {
    const error = await expectMailwrightError(mailwright.enqueue(message, options as EnqueueOptions), ErrorCodes.INVALID_SETTINGS);
    expect(error.message).toContain(message_);
    expect(error.fix).toMatch(/^Pass \{ priority\?: whole number, sendAfter\?: ISO 8601 string or Date/);
    expect(await queued()).toBe(0);
  });

  it('enqueueMany names the item with bad options and queues none of the batch', async () => {
    const error = await expectMailwrightError(
      mailwright.enqueueMany([{ message }, { message, options: { sendAfter: 'next week' } }]),
      ErrorCodes.INVALID_SETTINGS,
    );
    expect(error.details.index).toBe(1);
    expect(await queued()).toBe(0);
  });

  it('takes ISO strings with any offset and Dates, stored as UTC', async () => {
    const [withOffset, fromDate] = await mailwright.enqueueMany([
      { message, options: { sendAfter: '2026-11-25T09:30:00+01:00', priority: -2, idempotencyKey: 'k-1' } },
      { message, options: { sendAfter: new Date('2026-11-26T08:00:00Z') } },
    ]);
    const stored = await Promise.all([withOffset, fromDate].map((id) => mailwright.history.get(id as string)));
    expect(stored.map((r) => [r?.dueAt, r?.priority])).toEqual([
      ['2026-11-25T08:30:00.000Z', -2],
      ['2026-11-26T08:00:00.000Z', 0],
    ]);
  });
});

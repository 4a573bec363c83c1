import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { DISTRIBUTOR_LAST_RUN_KEY, type DistributorLastRun } from '../../src/queue/last-run.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('the distributor stores a summary of its last run (for the admin console)', () => {
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  const clock = new ManualClock('2026-11-24T10:00:00.000Z');
  const lastRun = () => mailwright.store.getSetting<DistributorLastRun>(DISTRIBUTOR_LAST_RUN_KEY);

  beforeAll(async () => {
    server = await startSmtpTestServer({ starttls: false });
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: ':memory:', clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory(),
      clock,
    });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
  });

  it('a failed run: when, which worker, and why', async () => {
    const distributor = mailwright.createDistributor({ workerId: 'worker-1' });
    await expect(distributor.runOnce()).rejects.toMatchObject({ code: 'MW_NO_BATCH_PROVIDER' });
    expect(await lastRun()).toEqual({
      workerId: 'worker-1',
      startedAt: '2026-11-24T10:00:00.000Z',
      finishedAt: '2026-11-24T10:00:00.000Z',
      error: { code: 'MW_NO_BATCH_PROVIDER', message: expect.stringContaining('No batch email provider') },
    });
  });

  it('a run that sent: its counts', async () => {
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
    await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Hello', text: 'x' });
    clock.advance({ minutes: 1 });
    const summary = await mailwright.createDistributor({ workerId: 'worker-2' }).runOnce();
    expect(await lastRun()).toEqual({ workerId: 'worker-2', startedAt: '2026-11-24T10:01:00.000Z', finishedAt: '2026-11-24T10:01:00.000Z', summary });
    expect(summary).toMatchObject({ sent: 1 });
  });
});

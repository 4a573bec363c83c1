import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { describePostgres, pgConnectionString, pgSchemas } from '../support/postgres.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

// Several distributors, as on several machines, sharing one PostgreSQL schema (real server, real SMTP server).
describePostgres('distributors sharing PostgreSQL', () => {
  const schemas = pgSchemas();
  let server: SmtpTestServer;
  const instances: Mailwright[] = [];
  beforeAll(async () => {
    server = await startSmtpTestServer({ starttls: false });
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((m) => m.close()));
    server.reset();
  });
  afterAll(async () => {
    await server.close();
    await schemas.dropAll();
  });

  async function workers(count: number, clock: ManualClock): Promise<Mailwright[]> {
    const schema = schemas.fresh();
    for (let i = 0; i < count; i += 1) {
      instances.push(
        await createMailwright({
          store: createPostgresStore({ connectionString: pgConnectionString, schema, clock }),
          providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
          users: new InMemoryUserDirectory(),
          clock,
        }),
      );
    }
    return instances.slice(-count);
  }
  const subjects = () => server.messages.map((m) => String(m.parsed.subject)).sort();

  it('three workers running at once send each email once and share the per-minute limit', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00.000Z');
    const [first, ...others] = await workers(3, clock);
    await first!.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 30 } });
    await first!.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ message: { from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `email ${String(i).padStart(3, '0')}`, text: 'x' } })));

    const perMinute: number[] = [];
    for (let minute = 0; minute < 4; minute += 1) {
      const runs = await Promise.all([first!, ...others].map((m) => m.createDistributor({ claimBatch: 20 }).runOnce()));
      perMinute.push(runs.reduce((sum, run) => sum + run.sent, 0));
      clock.advance({ minutes: 1 });
    }
    expect(perMinute).toEqual([30, 30, 30, 10]);
    expect(subjects()).toEqual(Array.from({ length: 100 }, (_, i) => `email ${String(i).padStart(3, '0')}`));
  });

  it('without a limit, three workers split a backlog and send each email once', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00.000Z');
    const all = await workers(3, clock);
    await all[0]!.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 } });
    await all[0]!.enqueueMany(Array.from({ length: 90 }, (_, i) => ({ message: { from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `bulk ${String(i).padStart(2, '0')}`, text: 'x' } })));
    const runs = await Promise.all(all.map((m) => m.createDistributor({ claimBatch: 10 }).runOnce()));
    expect(runs.reduce((sum, run) => sum + run.sent, 0)).toBe(90);
    expect(runs.filter((run) => run.sent > 0).length).toBeGreaterThan(1);
    expect(subjects()).toEqual(Array.from({ length: 90 }, (_, i) => `bulk ${String(i).padStart(2, '0')}`));
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/program.js';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { formatHistoryTable } from '../../src/history/format-history-table.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer, type SmtpRule, type SmtpTestServer } from '../support/smtp-test-server.js';

const T0 = '2026-11-24T10:00:00.000Z';

/** What the history says about one attempt's outcome (issue 21.5): refused recipients, retries given up, takeovers. */
describe('what the history says about attempts (SQLite file, real SMTP server, the CLI)', () => {
  let dir: string;
  let db: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let clock: ManualClock;

  async function setup(rules: SmtpRule[]): Promise<void> {
    server = await startSmtpTestServer({ starttls: false, rules });
    clock = new ManualClock(T0);
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: db, clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, mailbox: 'batch@contoso.com' } })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', displayName: 'Ana' }]),
      clock,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
  }
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-outcomes-'));
    db = join(dir, 'queue.db');
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `mailwright history --json` on the same database. */
  async function historyJson(): Promise<Record<string, unknown>[]> {
    let out = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: () => undefined, progress: () => undefined, isTTY: false, columns: 200, env: {} };
    expect(await runCli(['--db', db, 'history', '--json'], io)).toBe(0);
    return JSON.parse(out) as Record<string, unknown>[];
  }
  const tableOf = async (id: string) => formatHistoryTable([(await mailwright.history.get(id))!], { width: 400 }).replace(/[│┌┐└┘├┤┬┴┼─\s]+/g, ' ');

  describe('refused recipients', () => {
    const rules: SmtpRule[] = [
      { rcpt: 'gone@example.com', code: 550, message: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
      { rcpt: 'full@example.com', code: 552, message: '5.2.2 Mailbox full' },
      { rcpt: 'grey@example.com', code: 451, message: '4.7.1 Greylisted, try again later', times: 1 },
    ];

    it('a partly refused email is sent, each refused recipient stored with its code and reply; the table and --json say it was partly refused', async () => {
      await setup(rules);
      const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: ['ok@example.com', 'gone@example.com'], cc: 'full@example.com', subject: 'partly', text: 'x' });
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
      const email = await mailwright.history.get(id);
      expect(email?.status).toBe('sent');
      expect(email?.recipients).toEqual([
        { kind: 'to', address: 'ok@example.com', status: 'accepted' },
        { kind: 'to', address: 'gone@example.com', status: 'rejected', smtpCode: 550, enhancedCode: '5.1.1', response: '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
        { kind: 'cc', address: 'full@example.com', status: 'rejected', smtpCode: 552, enhancedCode: '5.2.2', response: '552 5.2.2 Mailbox full' },
      ]);
      const table = await tableOf(id);
      expect(table).toContain('Partly delivered: 2 of 3 recipients refused');
      expect(table).toContain('gone@example.com refused: 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown');
      const [json] = await historyJson();
      expect(json).toMatchObject({ id, status: 'sent', partlyRefused: { refused: 2, of: 3 } });
    });

    it('an email whose every recipient is refused fails with each recipient\'s code and reply stored', async () => {
      await setup(rules);
      const both = await mailwright.enqueue({ from: 'batch@contoso.com', to: ['gone@example.com', 'full@example.com'], subject: 'all refused', text: 'x' });
      const one = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'gone@example.com', subject: 'one refused', text: 'x' });
      expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 2 });
      const email = await mailwright.history.get(both);
      expect(email?.recipients.map((r) => [r.address, r.status, r.smtpCode, r.enhancedCode])).toEqual([
        ['gone@example.com', 'rejected', 550, '5.1.1'],
        ['full@example.com', 'rejected', 552, '5.2.2'],
      ]);
      expect((await mailwright.history.get(one))?.recipients).toEqual([
        { kind: 'to', address: 'gone@example.com', status: 'rejected', smtpCode: 550, enhancedCode: '5.1.1', response: '550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
      ]);
      expect(await tableOf(both)).toContain('full@example.com refused: 552 5.2.2 Mailbox full');
      // Nobody received it, so it was not "partly" refused.
      expect((await historyJson()).find((r) => r.id === both)?.partlyRefused).toBeUndefined();
    });

    it('a recipient refused for now is shown refused until the retry delivers to it; then its old reply is gone', async () => {
      await setup(rules);
      const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'grey@example.com', subject: 'grey', text: 'x' });
      expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 1 });
      expect((await mailwright.history.get(id))?.recipients).toEqual([{ kind: 'to', address: 'grey@example.com', status: 'rejected', smtpCode: 451, enhancedCode: '4.7.1', response: '451 4.7.1 Greylisted, try again later' }]);
      clock.advance({ hours: 1 });
      expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
      expect((await mailwright.history.get(id))?.recipients).toEqual([{ kind: 'to', address: 'grey@example.com', status: 'accepted' }]);
    });

    it('an interactive send refused for every recipient stores each reply too', async () => {
      await setup(rules);
      await expect(mailwright.send({ to: 'gone@example.com', subject: 'now', text: 'x' }, { userId: 'ana', provider: 'smtp' })).rejects.toMatchObject({ code: ErrorCodes.RECIPIENT_UNKNOWN });
      const [email] = (await mailwright.history.list({ limit: 1 })).items;
      expect(email?.recipients).toEqual([expect.objectContaining({ address: 'gone@example.com', status: 'rejected', smtpCode: 550, enhancedCode: '5.1.1' })]);
    });
  });

  it('after the last allowed attempt, a transient failure says it is not retried any more and how to retry it', async () => {
    await setup([{ onData: true, code: 451, message: '4.3.0 Temporary server error' }]);
    await mailwright.parameters.update({ maxAttempts: 2 });
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'x', text: 'x' });
    const failures: string[] = [];
    mailwright.events.on('failed', (e) => failures.push(e.failure.fix));
    expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 1 });
    expect((await mailwright.history.get(id))?.failure?.fix).toMatch(/retried automatically/);
    clock.advance({ hours: 1 });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    const email = await mailwright.history.get(id);
    expect(email).toMatchObject({ status: 'failed', attempts: 2, failure: { code: ErrorCodes.TRANSIENT_FAILURE, permanent: false } });
    expect(email?.failure?.fix).not.toMatch(/retried automatically/);
    expect(email?.failure?.fix).toMatch(/^This was attempt 2 of 2 \(maxAttempts\): it is not retried any more\. .*history\.retry\(\[id\]\) or `mailwright retry <id>`/);
    expect(email?.failure?.fix).toContain("check the server's status");
    expect(email?.attemptLog.at(-1)?.failure?.fix).toBe(email?.failure?.fix);
    expect(failures).toEqual([email?.failure?.fix]);
    expect(await tableOf(id)).toContain('it is not retried any more');
  });

  it('an email taken over after its lease expired has the takeover in its attempt log, counted: the history shows a possible duplicate', async () => {
    await setup([]);
    const id = await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'x', text: 'x' });
    // A worker claims it and dies mid-send (SIGKILL: nothing more is written).
    expect(await mailwright.store.claimDue({ now: clock.now().toMillis(), limit: 10, leaseMs: 60_000, owner: 'host-1:4242:dead' })).toHaveLength(1);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 0 }); // leased: not taken yet
    clock.advance({ seconds: 61 });
    expect(await mailwright.createDistributor({ workerId: 'host-2:7:alive' }).runOnce()).toMatchObject({ sent: 1 });
    const email = await mailwright.history.get(id);
    expect(email).toMatchObject({ status: 'sent', attempts: 2, possibleDuplicate: true });
    expect(email?.attemptLog.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'taken-over'],
      [2, 'sent'],
    ]);
    expect(email?.attemptLog[0]?.failure).toMatchObject({ code: ErrorCodes.LEASE_EXPIRED, permanent: false });
    expect(email?.attemptLog[0]?.failure?.message).toBe('Worker host-1:4242:dead stopped while sending (its lease expired at 2026-11-24T10:01:00.000Z); taken over by host-2:7:alive.');
    expect(await tableOf(id)).toContain('Possible duplicate: an earlier attempt may have been delivered');
    expect((await historyJson())[0]).toMatchObject({ id, possibleDuplicate: true, attempts: 2 });
  });
});

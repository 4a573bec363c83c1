import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { PINO_LEVELS, pinoCapture } from '../support/pino-capture.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

describe('event listeners never stop sending (SQLite file, real SMTP server, real pino logger)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  const log = pinoCapture();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-listeners-'));
    server = await startSmtpTestServer({ starttls: false });
    const clock = new ManualClock('2026-11-24T10:00:00.000Z');
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db'), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com' }]),
      clock,
      logger: log.logger,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
  });
  afterAll(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a distributor run of 10 emails sends all 10 when a `sent` listener throws on the 4th, and logs the exception', async () => {
    const ids = await mailwright.enqueueMany(Array.from({ length: 10 }, (_, i) => ({ message: { from: 'ana@contoso.com', to: `c${i}@example.com`, subject: `n${i}`, text: 'x' } })));
    let seen = 0;
    const heard: string[] = [];
    const offs = [
      mailwright.events.on('sent', () => {
        seen += 1;
        if (seen === 4) throw new Error('dashboard listener broke');
      }),
      mailwright.events.on('sent', (e) => heard.push(e.emailId)), // a later listener still hears every email
      mailwright.events.on('sent', async () => Promise.reject(new Error('async listener broke'))),
    ];
    try {
      const summary = await mailwright.distributor.runOnce();
      expect(summary).toMatchObject({ sent: 10, failed: 0 });
    } finally {
      offs.forEach((off) => off());
    }
    expect(server.messages).toHaveLength(10);
    expect(heard.sort()).toEqual([...ids].sort());
    const { items } = await mailwright.history.list({ limit: 100 });
    expect(items.map((r) => r.status)).toEqual(Array(10).fill('sent'));
    await new Promise((resolve) => setImmediate(resolve)); // the rejected promises' handlers have run
    const listenerErrors = log.entries().filter((e) => e.level === PINO_LEVELS.error && e.event === 'sent');
    expect(listenerErrors.map((e) => (e.err as { message: string }).message).sort()).toEqual([...Array(10).fill('async listener broke'), 'dashboard listener broke'].sort());
  });
});

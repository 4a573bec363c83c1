import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import type { QueueEventName, QueueEvents } from '../../src/queue/queue-events.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { PINO_LEVELS, pinoCapture, type PinoEntry } from '../support/pino-capture.js';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.js';

const SEND_AS_DENIED = '5.7.1 Client does not have permissions to send as this sender';

describe('send events and logs, for interactive and queued email alike (SQLite file, real SMTP server, real pino logger)', () => {
  let dir: string;
  let server: SmtpTestServer;
  let mailwright: Mailwright;
  let log: ReturnType<typeof pinoCapture>;
  let heard: { event: QueueEventName; payload: QueueEvents[QueueEventName] }[];
  const clock = new ManualClock('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-observe-'));
    server = await startSmtpTestServer({
      starttls: false,
      rules: [
        { from: 'bob@contoso.com', code: 550, message: SEND_AS_DENIED },
        { from: 'flaky@contoso.com', code: 451, message: '4.3.0 Temporary server error, try again', times: 1 },
      ],
    });
  });
  beforeEach(async () => {
    log = pinoCapture();
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, `${Math.random().toString(36).slice(2)}.db`), clock }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory([
        { id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } },
        { id: 'bob', email: 'bob@contoso.com', options: { providerId: 'smtp' } },
      ]),
      clock,
      logger: log.logger, // a pino instance as it is: fields first, then the message
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp' });
    heard = [];
    for (const event of ['queued', 'sending', 'sent', 'deferred', 'retrying', 'failed', 'forced'] as const) {
      mailwright.events.on(event, (payload) => heard.push({ event, payload }));
    }
  });
  afterEach(() => mailwright.close());
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const outcomes = (): PinoEntry[] => log.entries().filter((e) => e.level >= PINO_LEVELS.info);

  it('an interactive send emits `sending` and `sent`, as a queued one does, and logs its outcome at info with id, provider and reply', async () => {
    const { emailId } = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Now', text: 'x' }, 'ana'));
    const sendingNow = { emailId, providerId: 'smtp', attempt: 1, mode: 'interactive' };
    expect(heard).toEqual([
      { event: 'sending', payload: sendingNow },
      { event: 'sent', payload: { ...sendingNow, forced: false } },
    ]);
    expect(outcomes()).toEqual([expect.objectContaining({ level: PINO_LEVELS.info, msg: 'email sent', emailId, providerId: 'smtp', mode: 'interactive', attempt: 1, response: expect.stringMatching(/^250 /) })]);

    heard.length = 0;
    const queuedId = await mailwright.enqueue({ from: 'ana@contoso.com', to: 'c@example.com', subject: 'Later', text: 'x' });
    await mailwright.distributor.runOnce();
    const sendingQueued = { emailId: queuedId, providerId: 'smtp', attempt: 1, mode: 'batch' };
    expect(heard.map((h) => h.event)).toEqual(['queued', 'sending', 'sent']);
    expect(heard.slice(1)).toEqual([
      { event: 'sending', payload: sendingQueued },
      { event: 'sent', payload: { ...sendingQueued, forced: false } },
    ]);
    expect(outcomes().at(-1)).toEqual(expect.objectContaining({ level: PINO_LEVELS.info, msg: 'email sent', emailId: queuedId, providerId: 'smtp', mode: 'batch' }));
  });

  it('a refused interactive send emits `failed` with the classified failure, and logs the code', async () => {
    const error = await mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Refused', text: 'x' }, 'bob')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailwrightError);
    const { emailId } = (error as MailwrightError).details as { emailId: string };
    expect(heard.map((h) => h.event)).toEqual(['sending', 'failed']);
    expect(heard[1]!.payload).toEqual({ emailId, providerId: 'smtp', attempt: 1, mode: 'interactive', failure: expect.objectContaining({ code: 'MW_SEND_AS_DENIED', smtpCode: 550, permanent: true }) });
    expect(outcomes()).toEqual([
      expect.objectContaining({ level: PINO_LEVELS.warn, msg: 'email failed', emailId, providerId: 'smtp', mode: 'interactive', attempt: 1, code: 'MW_SEND_AS_DENIED', permanent: true }),
    ]);
  });

  it('a test email emits the same events', async () => {
    const result = await mailwright.sendTestEmail({ provider: 'smtp', to: 'admin@example.com', from: 'ana@contoso.com' });
    expect(result.ok).toBe(true);
    expect(heard.map((h) => [h.event, (h.payload as { emailId: string }).emailId])).toEqual([
      ['sending', result.emailId],
      ['sent', result.emailId],
    ]);
  });

  it('a queued email that fails transiently logs its retry (warn, with the code), then its success', async () => {
    const id = await mailwright.enqueue({ from: 'flaky@contoso.com', to: 'c@example.com', subject: 'Flaky', text: 'x' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 1 });
    clock.advance({ minutes: 5 });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect(heard.map((h) => h.event)).toEqual(['queued', 'sending', 'retrying', 'sending', 'sent']);
    expect(outcomes().map((e) => [e.level, e.msg, e.emailId, e.code])).toEqual([
      [PINO_LEVELS.warn, 'email attempt failed; it will be retried', id, 'MW_TRANSIENT_FAILURE'],
      [PINO_LEVELS.info, 'email sent', id, undefined],
    ]);
  });
});

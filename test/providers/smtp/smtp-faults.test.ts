import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { systemClock } from '../../../src/clock/clock.js';
import { ManualClock } from '../../../src/clock/manual-clock.js';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { createMailwright, type Mailwright } from '../../../src/mailwright.js';
import type { SmtpSettingsInput } from '../../../src/parameters/smtp-settings.js';
import { smtpProvider } from '../../../src/providers/smtp/smtp-provider.js';
import type { EmailRecord } from '../../../src/store/email-record.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import { startFaultSmtpServer, type FaultSmtpServer, type FaultSmtpServerOptions } from '../../support/fault-smtp-server.js';

const T0 = '2026-11-24T10:00:00.000Z';
/** Message size for the slow-reader case; MAILWRIGHT_SLOW_SERVER_MB=10 runs the full 10 MB (about four minutes). */
const SLOW_MESSAGE_BYTES = Math.round(Number(process.env.MAILWRIGHT_SLOW_SERVER_MB ?? 0.5) * 1_048_576);

/** An SMTP server that misbehaves (issue 21.7): each fault ends classified, retried or failed as designed, nothing lost. */
describe('SMTP servers that misbehave (fault-injecting socket server, the distributor, SQLite file)', () => {
  let dir: string;
  let server: FaultSmtpServer;
  let mailwright: Mailwright;
  let clock: ManualClock;

  async function setup(serverOptions: FaultSmtpServerOptions, settings: Partial<SmtpSettingsInput> = {}, useSystemClock = false): Promise<void> {
    server = await startFaultSmtpServer(serverOptions);
    clock = new ManualClock(T0);
    const time = useSystemClock ? systemClock : clock;
    mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'queue.db'), clock: time }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, connectionTimeoutMs: 1000, ...settings } })],
      users: new InMemoryUserDirectory(),
      clock: time,
    });
    await mailwright.parameters.update({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 40 * 1_048_576 });
  }
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-faults-'));
  });
  afterEach(async () => {
    await mailwright.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const enqueue = (subject: string, extra: object = {}) => mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject, text: 'x', ...extra });
  const get = async (id: string) => (await mailwright.history.get(id))!;
  const subjects = () => server.messages.filter((m) => m.answered).map((m) => /^Subject: (.*)$/m.exec(m.raw.toString())?.[1]);
  const later = () => clock.advance({ hours: 1 });

  it('the connection dropped after the final dot, before the reply: outcome unknown, retried, and a possible duplicate recorded', async () => {
    await setup({ fault: (p) => (p.overall === 1 ? { kind: 'drop-after-dot' } : undefined) });
    const id = await enqueue('dropped');
    expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 1 });
    const waiting = await get(id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, possibleDuplicate: true, failure: { code: ErrorCodes.SMTP_OUTCOME_UNKNOWN, permanent: false } });
    expect(waiting.failure?.message).toMatch(/after the whole message was sent.*may have been delivered/);
    later();
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect(await get(id)).toMatchObject({ status: 'sent', attempts: 2, possibleDuplicate: true });
    // The server had it twice, the first time without answering: nothing lost, the duplicate flagged.
    expect(server.messages.map((m) => m.answered)).toEqual([false, true]);
  });

  it('a server that stalls mid-DATA: the send times out and is retried (not a possible duplicate: the message never got through)', async () => {
    await setup({ fault: (p) => (p.overall === 1 ? { kind: 'stall-in-data', afterBytes: 64 * 1024 } : undefined) });
    // Larger than the socket buffers can hold (4 MB here), so the client is still writing when the server stops reading.
    const id = await enqueue('stalled', { attachments: [{ filename: 'big.bin', content: Buffer.alloc(8 * 1_048_576, 7) }] });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ retried: 1 });
    const waiting = await get(id);
    expect(waiting).toMatchObject({ status: 'queued', failure: { code: ErrorCodes.CONNECTION_FAILED, permanent: false } });
    expect(waiting.failure?.message).toMatch(/Timeout/i);
    expect(waiting.possibleDuplicate).toBeUndefined();
    later();
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect(subjects()).toEqual(['stalled']);
  });

  it('421 mid-session on a pooled connection: that email is retried, the next goes out on a new connection', async () => {
    await setup({ fault: (p) => (p.connection === 1 && p.onConnection === 2 ? { kind: 'reply-421-at-mail' } : undefined) });
    const ids = [await enqueue('one'), await enqueue('two'), await enqueue('three')];
    expect(await mailwright.createDistributor({ concurrency: 1 }).runOnce()).toMatchObject({ sent: 2, retried: 1 });
    expect(await get(ids[1]!)).toMatchObject({ status: 'queued', failure: { smtpCode: 421, enhancedCode: '4.7.0', permanent: false } });
    expect(server.connections).toBe(2);
    later();
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect(subjects()).toEqual(['one', 'three', 'two']);
  });

  it('the server closing a pooled connection as it is reused: replaced at once, no attempt counted, no back-off', async () => {
    await setup({ fault: (p) => (p.connection === 1 && p.onConnection === 2 ? { kind: 'close-at-mail' } : undefined) });
    const [first, second] = [await enqueue('first'), await enqueue('second')];
    expect(await mailwright.createDistributor({ concurrency: 1 }).runOnce()).toMatchObject({ sent: 2, retried: 0 });
    const again = await get(second!);
    expect(again).toMatchObject({ status: 'sent', attempts: 1 });
    expect(again.attemptLog.map((a) => a.outcome)).toEqual(['sent']);
    expect(again.attemptLog[0]?.transcript).toMatch(/closed the pooled connection.*new connection/);
    expect((await get(first!)).attempts).toBe(1);
    expect(server.connections).toBe(2);
    expect(subjects()).toEqual(['first', 'second']);
  });

  it('the server closing an idle pooled connection before it is reused: a new one is opened, nothing failed', async () => {
    await setup({ idleCloseMs: 50 });
    const first = await enqueue('first');
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    await new Promise((r) => setTimeout(r, 300)); // the server's idle timeout (50 ms) closes the pooled connection
    const second = await enqueue('second');
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1, retried: 0 });
    expect([(await get(first)).attempts, (await get(second)).attempts]).toEqual([1, 1]);
    expect(server.connections).toBe(2);
  });

  it('a TLS handshake that fails, and a server certificate that has expired: MW_TLS_FAILED, failed at once, nothing sent', async () => {
    await setup({ brokenTls: true }, { requireTls: true });
    const broken = await enqueue('broken handshake');
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    expect(await get(broken)).toMatchObject({ status: 'failed', attempts: 1, failure: { code: ErrorCodes.TLS_FAILED, permanent: true } });
    await mailwright.close();
    await server.close();

    const expired = await expiredCertificate(); // trusted (its own CA): only its dates are wrong
    await setup({ tls: expired }, { requireTls: true, ca: expired.cert });
    const id = await enqueue('expired certificate');
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    const email = await get(id);
    expect(email).toMatchObject({ status: 'failed', attempts: 1, failure: { code: ErrorCodes.TLS_FAILED, permanent: true } });
    expect(email.failure?.message).toMatch(/certificate has expired/);
    expect(server.messages).toHaveLength(0);
  });

  it(`a ${(SLOW_MESSAGE_BYTES / 1_048_576).toFixed(1)} MB message to a server reading at 50 KB/s: sent once, its lease kept meanwhile (real clock)`, async () => {
    // Default timeouts: a connection silent for 60 s fails; the kernel's send buffer (4 MB here) lets a write wait about 30 s.
    await setup({ fault: () => ({ kind: 'slow-reader', bytesPerSecond: 50 * 1024 }) }, { connectionTimeoutMs: 30_000 }, true);
    const id = await enqueue('slow', { attachments: [{ filename: 'scan.bin', content: Buffer.alloc(SLOW_MESSAGE_BYTES, 3) }] });
    // A 3 s lease, renewed every second while the send lasts; another worker looks in meanwhile.
    const run = mailwright.createDistributor({ leaseMs: 3000, workerId: 'slow-sender' }).runOnce();
    const other = mailwright.createDistributor({ leaseMs: 3000, workerId: 'other' });
    let status: EmailRecord['status'] = 'queued';
    let looks = 0;
    while (status !== 'sent') {
      await new Promise((r) => setTimeout(r, 1000));
      expect(await other.runOnce()).toMatchObject({ sent: 0 });
      looks += 1;
      status = (await get(id)).status;
    }
    expect(await run).toMatchObject({ sent: 1 });
    expect(looks).toBeGreaterThan(3); // the send outlasted the lease
    expect(await get(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(server.messages.map((m) => m.answered)).toEqual([true]);
  }, 600_000);
});

/** A certificate for 127.0.0.1 that expired a year ago. */
async function expiredCertificate(): Promise<{ key: string; cert: string }> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 2 * 365 * 86_400_000),
    notAfterDate: new Date(now - 365 * 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

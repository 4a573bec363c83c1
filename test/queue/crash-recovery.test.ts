import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { ManualClock } from '../../src/clock/manual-clock.js';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer } from '../support/smtp-test-server.js';

// The child sends with concurrency 2: at most its 2 sends in flight plus its maxUnrecorded outcomes not stored yet go out twice.
it.each([
  { maxUnrecorded: 2, atMostTwice: 4 },
  { maxUnrecorded: 0, atMostTwice: 2 },
])('a distributor killed with SIGKILL mid-batch loses nothing; at most $atMostTwice emails in flight (maxUnrecorded $maxUnrecorded) are sent twice', async ({ maxUnrecorded, atMostTwice }) => {
  const dir = await mkdtemp(join(tmpdir(), 'mw-crash-'));
  const db = join(dir, 'queue.db');
  const server = await startSmtpTestServer({ starttls: false, dataDelayMs: 150 });
  const open = (clock?: ManualClock) =>
    createMailwright({
      store: createSqliteStore({ filename: db, ...(clock ? { clock } : {}) }),
      providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
      users: new InMemoryUserDirectory(),
      ...(clock ? { clock } : {}),
    });
  try {
    const setup = await open();
    await setup.parameters.update({ batchProviderId: 'smtp' });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => setup.enqueue({ from: 'batch@contoso.com', to: `c${i}@example.com`, subject: `n${i}`, text: 'x' })));
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'distribute-child.ts'), db, String(server.port), String(maxUnrecorded)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    await server.waitForMessages(4);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(output).not.toContain('finished');
    const beforeRecovery = server.messages.length;
    expect(beforeRecovery).toBeLessThan(20);

    // Another worker, after the dead worker's leases (60 s) have expired.
    const clock = new ManualClock(DateTime.utc().plus({ minutes: 2 }));
    const recovery = await open(clock);
    await recovery.distributor.runOnce();
    await server.waitForMessages(20);
    const records = (await recovery.history.list({ limit: 100 })).items;
    expect(records).toHaveLength(20);
    expect(records.every((r) => r.status === 'sent')).toBe(true);

    const received = server.messages.map((m) => m.parsed.messageId as string);
    const byMessageId = new Map<string, number>();
    for (const id of received) byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
    expect(byMessageId.size).toBe(20); // none lost
    const duplicates = [...byMessageId.values()].filter((n) => n > 1).length;
    expect(duplicates).toBeLessThanOrEqual(atMostTwice);
    // The history shows what happened: every email sent twice was taken over, its takeover counted as an
    // attempt and logged, and it is marked a possible duplicate.
    const retaken = await Promise.all(ids.map((id) => recovery.history.get(id)));
    expect(retaken.every((r) => (r?.attemptLog.length ?? 0) >= 1)).toBe(true);
    const sentTwice = retaken.filter((r) => (byMessageId.get(r!.messageId) ?? 0) > 1);
    expect(sentTwice.length).toBe(duplicates);
    for (const r of sentTwice) {
      expect([r?.possibleDuplicate, r?.attempts, r?.attemptLog.map((a) => a.outcome)]).toEqual([true, 2, ['taken-over', 'sent']]);
    }
    // Nothing the dead worker left untouched (never claimed) is marked.
    expect(retaken.filter((r) => r?.possibleDuplicate !== true).every((r) => r?.attempts === 1)).toBe(true);
    await recovery.close();
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

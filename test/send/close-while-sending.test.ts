import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailwright } from '../../src/mailwright.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../src/users/in-memory-user-directory.js';
import { startSmtpTestServer } from '../support/smtp-test-server.js';

describe('close() while an interactive send is in flight (real SMTP server, SQLite file)', () => {
  it('waits for it: the email is sent, reported sent, and recorded sent, not left sending', async () => {
    const server = await startSmtpTestServer({ starttls: false, dataDelayMs: 300 });
    const dir = await mkdtemp(join(tmpdir(), 'mw-close-'));
    const filename = join(dir, 'mw.db');
    const open = () =>
      createMailwright({
        store: createSqliteStore({ filename }),
        providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false } })],
        users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'smtp' } }]),
      });
    try {
      const mailwright = await open();
      const sending = mailwright.send(await mailwright.compose({ to: 'c@example.com', subject: 'Closing time', text: 'x' }, 'ana'));
      const closed = mailwright.close();
      const result = await sending;
      await closed;
      expect(result.status).toBe('sent');
      expect(server.messages.map((m) => m.parsed.subject)).toEqual(['Closing time']);
      const again = await open();
      expect(await again.history.get(result.emailId)).toMatchObject({ status: 'sent', attempts: 1 });
      await again.close();
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

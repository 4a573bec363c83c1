import { join } from 'node:path';
import { createMailwright, type Mailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';

/** A mailwright instance on a fresh SQLite file sending to a local sink, with no throttle. */
export async function benchMailwright(dir: string, port: number): Promise<Mailwright> {
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'bench.db') }),
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false }, maxIdleConnections: 8 })],
    users: new InMemoryUserDirectory(),
  });
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 }, attachmentSizeLimitBytes: 50 * 1024 * 1024 });
  return mailwright;
}

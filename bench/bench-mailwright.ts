import { join } from 'node:path';
import { createMailwright, type Mailwright } from '../src/mailwright.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { InMemoryUserDirectory } from '../src/users/in-memory-user-directory.js';

/**
 * A mailwright instance on a fresh SQLite file (`name`) sending to a local sink, with no
 * throttle, over at most `connections` SMTP connections (default 4); `wrapStore`
 * substitutes parts of the store for a diagnostic.
 */
export async function benchMailwright(
  dir: string,
  port: number,
  options: { name?: string; connections?: number; wrapStore?: (store: Store) => Store } = {},
): Promise<Mailwright> {
  const store = createSqliteStore({ filename: join(dir, options.name ?? 'bench.db'), ...(process.env.MW_BENCH_THREAD === 'worker' ? { thread: 'worker' as const } : {}) });
  const mailwright = await createMailwright({
    store: options.wrapStore?.(store) ?? store,
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port, requireTls: false, requireAuth: false }, maxConnections: options.connections ?? 4 })],
    users: new InMemoryUserDirectory(),
  });
  await mailwright.parameters.update({ batchProviderId: 'smtp', perMinuteLimits: { smtp: 0 }, attachmentSizeLimitBytes: 50 * 1024 * 1024 });
  return mailwright;
}

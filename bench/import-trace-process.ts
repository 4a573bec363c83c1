import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// What an SMTP-only start loads: the package entry point, createMailwright() with the default
// SQLite store and the SMTP provider, parameters set, one email queued. Every module URL the
// process resolves is logged by module hooks; it reports the modules per package.

const dir = await mkdtemp(join(tmpdir(), 'mw-bench-trace-'));
const logFile = join(dir, 'imports.log');
const compiled = import.meta.url.endsWith('.js');
register(pathToFileURL(join(import.meta.dirname, '..', compiled ? '..' : '', 'test', 'support', 'import-log-hooks.mjs')).href, { data: { logFile } });
try {
  const { createMailwright, createSqliteStore, smtpProvider, InMemoryUserDirectory } = await import('../src/index.js');
  const mailwright = await createMailwright({
    store: createSqliteStore({ filename: join(dir, 'trace.db') }),
    providers: [smtpProvider({ id: 'smtp', settings: { host: '127.0.0.1', port: 2525, requireTls: false, requireAuth: false } })],
    users: new InMemoryUserDirectory(),
  });
  await mailwright.parameters.update({ batchProviderId: 'smtp' });
  await mailwright.enqueue({ from: 'batch@contoso.com', to: 'c@example.com', subject: 'Report', text: 'Hello.' });
  await mailwright.close();
  const modules = new Map<string, Set<string>>();
  for (const url of new Set((await readFile(logFile, 'utf8')).split('\n'))) {
    const owner = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node:' : url.includes('/src/') ? 'mailwright' : undefined);
    if (owner !== undefined) modules.set(owner, (modules.get(owner) ?? new Set()).add(url));
  }
  process.send?.(Object.fromEntries([...modules].map(([owner, urls]) => [owner, urls.size])));
} finally {
  await rm(dir, { recursive: true, force: true });
}

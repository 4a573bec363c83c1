import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

describe('mailwright CLI as a process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-cli-process-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits quietly with 0 when the reader of its output goes away (`mailwright history | head`)', async () => {
    const store = createSqliteStore({ filename: join(dir, 'pipe.db') });
    await store.migrate();
    await store.close();
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--db', join(dir, 'pipe.db'), 'history', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line is written: every write fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('`admin` serves the console on 127.0.0.1 over the SQLite file, only to whoever has the token it printed; SIGTERM stops it', async () => {
    const db = join(dir, 'admin.db');
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--db', db, 'admin', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Admin console for sqlite store: (http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]+)\n/.exec(out);
          if (match) resolve(match);
        });
        child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
      });
      const [, address, token] = printed as unknown as [string, string, string];
      expect((await fetch(`${address}history`)).status).toBe(403);
      expect((await fetch(`${address}?token=wrong`, { redirect: 'manual' })).status).toBe(403);
      const login = await fetch(`${address}history?token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/history');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^mw_admin_token=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
      const page = await fetch(`${address}history`, { headers: { cookie: cookie.split(';')[0]! } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>Email history</h1>');
      expect((await fetch(`${address}parameters`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 60_000);
});

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
});

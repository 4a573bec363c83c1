import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { createSqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.js';
import { expectMailwrightError } from '../support/expect-mailwright-error.js';
import { foreignFolder, withPermissiveUmask } from '../support/file-modes.js';
import { newRecord } from './support/email-fixtures.js';

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('SQLite store files are private to the user running mailwright', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-sqlite-perms-'));
  });
  withPermissiveUmask();
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each<[string, SqliteStoreOptions]>([
    ['on the calling thread', {}],
    ['on a worker thread', { thread: 'worker' }],
  ])('a new database %s: folder 0700, database and its -wal and -shm files 0600', async (name, options) => {
    const folder = join(dir, `new-${name.replaceAll(' ', '-')}`, 'nested');
    const filename = join(folder, 'mw.db');
    const store = createSqliteStore({ ...options, filename });
    try {
      await store.migrate();
      await store.insertEmail(newRecord());
      const files = (await readdir(folder)).sort();
      expect(files).toEqual(['mw.db', 'mw.db-shm', 'mw.db-wal']);
      for (const file of files) expect([file, (await modeOf(join(folder, file))).toString(8)]).toEqual([file, '600']);
      expect((await modeOf(folder)).toString(8)).toBe('700');
      expect((await modeOf(join(dir, `new-${name.replaceAll(' ', '-')}`))).toString(8)).toBe('700');
    } finally {
      await store.close();
    }
  });

  it('an existing database others may read is made private, with its -wal and -shm files', async () => {
    const folder = join(dir, 'existing');
    await mkdir(folder, { mode: 0o755 });
    const filename = join(folder, 'mw.db');
    const old = new Database(filename);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    for (const file of ['mw.db', 'mw.db-wal', 'mw.db-shm']) await chmod(join(folder, file), 0o644);
    const store = createSqliteStore({ filename });
    try {
      await store.migrate();
      for (const file of ['mw.db', 'mw.db-wal', 'mw.db-shm']) expect([file, (await modeOf(join(folder, file))).toString(8)]).toEqual([file, '600']);
    } finally {
      await store.close();
      old.close();
    }
  });

  it.each([0o777, 0o775, 0o1777])('a folder writable by others (mode %o) is refused with MW_UNSAFE_FOLDER; nothing is created in it', async (mode) => {
    const folder = join(dir, `open-${mode.toString(8)}`);
    await mkdir(folder);
    await chmod(folder, mode);
    const store = createSqliteStore({ filename: join(folder, 'mw.db') });
    try {
      const error = await expectMailwrightError(store.migrate(), ErrorCodes.UNSAFE_FOLDER);
      expect(error.message).toContain(folder);
      expect(error.message).toContain('writable by other users');
      expect(error.details).toMatchObject({ path: folder, mode: mode.toString(8) });
      expect(error.fix).toContain(`chmod 700 ${folder}`);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a folder owned by another user is refused with MW_UNSAFE_FOLDER', async () => {
    const folder = await foreignFolder(dir);
    const store = createSqliteStore({ filename: join(folder, 'mw.db') });
    try {
      const error = await expectMailwrightError(store.migrate(), ErrorCodes.UNSAFE_FOLDER);
      expect(error.message).toContain('owned by another user');
      expect(error.details).toMatchObject({ path: folder });
      if (folder !== '/') expect(await readdir(folder)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { createMailwright } from '../../../src/mailwright.js';
import { emlProvider } from '../../../src/providers/eml/eml-provider.js';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../../../src/users/in-memory-user-directory.js';
import { expectMailwrightError } from '../../support/expect-mailwright-error.js';
import { foreignFolder, withPermissiveUmask } from '../../support/file-modes.js';
import { testMessage } from '../../support/test-message.js';

const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o7777).toString(8);
const context = (emailId: string) => ({ mode: 'interactive' as const, emailId, attempt: 1 });

describe('.eml drafts are private to the user running mailwright', () => {
  let dir: string;
  const made: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-eml-perms-'));
  });
  withPermissiveUmask();
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await Promise.all(made.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('by default, a draft (with its Bcc) is 0600 in a private 0700 folder of its own, not the shared /tmp/mailwright-eml', async () => {
    const first = await emlProvider().send(testMessage({ bcc: [{ address: 'audit@contoso.com' }] }), context('draft-1'));
    const second = await emlProvider().send(testMessage(), context('draft-2'));
    const [a, b] = [first.artifact?.path as string, second.artifact?.path as string];
    made.push(dirname(a), dirname(b));
    expect(dirname(a)).not.toBe(join(tmpdir(), 'mailwright-eml'));
    expect(dirname(a)).not.toBe(dirname(b)); // not predictable: another user cannot plant it beforehand
    expect(dirname(a).startsWith(join(tmpdir(), 'mailwright-eml-'))).toBe(true);
    expect(await modeOf(dirname(a))).toBe('700');
    expect(await modeOf(a)).toBe('600');
    expect((await stat(dirname(a))).uid).toBe(process.geteuid?.());
  });

  it('a configured folder that does not exist is created 0700; drafts are 0600', async () => {
    const folder = join(dir, 'drafts', 'ana');
    const receipt = await emlProvider({ directory: folder }).send(testMessage(), context('draft-3'));
    expect(receipt.artifact?.path).toBe(join(folder, 'draft-3.eml'));
    expect([await modeOf(join(dir, 'drafts')), await modeOf(folder), await modeOf(join(folder, 'draft-3.eml'))]).toEqual(['700', '700', '600']);
  });

  it.each([0o777, 0o1777, 0o770])('a configured folder writable by others (mode %o, e.g. planted beforehand) is refused with MW_UNSAFE_FOLDER; nothing is written', async (mode) => {
    const folder = join(dir, `planted-${mode.toString(8)}`);
    await mkdir(folder);
    await chmod(folder, mode);
    const error = await expectMailwrightError(emlProvider({ directory: folder }).send(testMessage(), context('draft-4')), ErrorCodes.UNSAFE_FOLDER);
    expect(error.message).toContain('writable by other users');
    expect(await readdir(folder)).toEqual([]);
  });

  it('a configured folder owned by another user is refused with MW_UNSAFE_FOLDER', async () => {
    const folder = await foreignFolder(dir);
    const error = await expectMailwrightError(emlProvider({ directory: folder }).send(testMessage(), context('draft-5')), ErrorCodes.UNSAFE_FOLDER);
    expect(error.message).toContain('owned by another user');
    if (folder !== '/') expect(await readdir(folder)).toEqual([]);
  });

  it('an interactive send to an unsafe folder ends failed in the history with MW_UNSAFE_FOLDER, its explanation and fix', async () => {
    const folder = join(dir, 'planted-history');
    await mkdir(folder);
    await chmod(folder, 0o777);
    const mailwright = await createMailwright({
      store: createSqliteStore({ filename: join(dir, 'mw.db') }),
      providers: [emlProvider({ directory: folder })],
      users: new InMemoryUserDirectory([{ id: 'ana', email: 'ana@contoso.com', options: { providerId: 'eml' } }]),
    });
    try {
      const error = await expectMailwrightError(mailwright.send({ to: 'customer@example.com', subject: 'Quote', text: 'Hi' }, { userId: 'ana' }), ErrorCodes.UNSAFE_FOLDER);
      const record = (await mailwright.history.list({})).items[0];
      expect(record?.status).toBe('failed');
      expect(record?.failure).toMatchObject({ code: ErrorCodes.UNSAFE_FOLDER, category: 'configuration', permanent: true, message: error.message });
      expect(record?.failure?.fix).toContain(`chmod 700 ${folder}`);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await mailwright.close();
    }
  });
});

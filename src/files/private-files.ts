import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** Mode of folders mailwright creates: the owner only. */
export const PRIVATE_FOLDER_MODE = 0o700;
/** Mode of files mailwright creates: the owner may read and write, no one else. */
export const PRIVATE_FILE_MODE = 0o600;

/** The effective user id, or undefined where files have no POSIX owner and mode (Windows). */
const currentUser = (): number | undefined => process.geteuid?.();

const octal = (mode: number): string => (mode & 0o7777).toString(8);

/**
 * Makes sure `folder` is private to this user: creates it (and its missing
 * parents) with mode 0700, or checks the existing one. A folder writable by
 * other users (group or others may write, e.g. 0777 or 0775), or owned by
 * another user, is refused with MW_UNSAFE_FOLDER: whoever can write there can
 * read, replace or plant the files mailwright keeps in it. Nothing is changed
 * in an existing folder. `what` names the folder's use in the error.
 */
export function ensurePrivateFolder(folder: string, what: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  const user = currentUser();
  if (user === undefined) return;
  const info = statSync(folder);
  const problem =
    info.uid !== user ? `is owned by another user (uid ${info.uid})` : (info.mode & 0o022) !== 0 ? `is writable by other users (mode ${octal(info.mode)})` : undefined;
  if (problem === undefined) return;
  throw new MailwrightError(ErrorCodes.UNSAFE_FOLDER, `The folder ${folder} (${what}) ${problem}: another user could read, replace or plant its files, so mailwright does not use it.`, {
    fix: `Use a folder that belongs to the user running the application and that only it may write to (\`chown $(id -u) ${folder} && chmod 700 ${folder}\`), or name another folder.`,
    details: { path: folder, mode: octal(info.mode), ownerUid: info.uid, userUid: user },
  });
}

/** Gives an existing file mode 0600 if others (group or world) have any access to it. */
export function restrictFile(path: string): void {
  if (currentUser() === undefined || !existsSync(path)) return;
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
}

/** Creates `path` empty with mode 0600 if it does not exist, else makes it 0600 (see {@link restrictFile}). */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, constants.O_CREAT | constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0), PRIVATE_FILE_MODE));
  restrictFile(path);
}

/** Writes `content` to `path` with mode 0600 (an existing file is truncated and made 0600); never through a symbolic link. */
export async function writePrivateFile(path: string, content: Buffer): Promise<void> {
  const handle = await open(path, constants.O_CREAT | constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), PRIVATE_FILE_MODE);
  try {
    if (currentUser() !== undefined) await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

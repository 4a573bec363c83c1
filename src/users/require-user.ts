import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { DirectoryUser, UserDirectory } from './user-directory.js';

/** The user with this id, or MW_USER_NOT_FOUND. */
export async function requireUser(users: UserDirectory, userId: string): Promise<DirectoryUser> {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw new MailwrightError(ErrorCodes.USER_NOT_FOUND, `No user id was given (got ${userId === undefined ? 'nothing' : JSON.stringify(userId)}).`, {
      fix: 'Pass the id of the user who sends, e.g. compose(message, "ana").',
      details: { userId: userId ?? null },
    });
  }
  const user = await users.getUser(userId);
  if (user === undefined) {
    throw new MailwrightError(ErrorCodes.USER_NOT_FOUND, `No user "${userId}" in the user directory.`, {
      fix: 'Pass the id of a user your UserDirectory knows.',
      details: { userId },
    });
  }
  return user;
}

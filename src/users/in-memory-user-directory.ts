import type { DirectoryUser, UserDirectory, UserEmailOptions } from './user-directory.js';

/** A {@link UserDirectory} held in memory: for tests, demos and small hosts. */
export class InMemoryUserDirectory implements UserDirectory {
  private readonly users = new Map<string, DirectoryUser>();

  constructor(users: DirectoryUser[] = []) {
    for (const user of users) this.users.set(user.id, structuredClone(user));
  }

  /** Adds or replaces a user. */
  put(user: DirectoryUser): void {
    this.users.set(user.id, structuredClone(user));
  }

  async getUser(id: string): Promise<DirectoryUser | undefined> {
    const user = this.users.get(id);
    return user === undefined ? undefined : structuredClone(user);
  }

  async updateOptions(id: string, options: Partial<UserEmailOptions>): Promise<void> {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`No user with id "${id}"`);
    user.options = { ...user.options, ...options };
  }
}

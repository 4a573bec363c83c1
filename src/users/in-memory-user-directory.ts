import type { DirectoryUser, UserDirectory, UserEmailOptions, UserEmailOptionsUpdate } from './user-directory.js';

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

  async updateOptions(id: string, options: UserEmailOptionsUpdate): Promise<void> {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`No user with id "${id}"`);
    const merged: Record<string, unknown> = { ...user.options, ...options };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    user.options = merged as UserEmailOptions;
  }
}

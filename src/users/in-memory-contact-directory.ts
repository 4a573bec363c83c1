import type { ContactDirectory, DirectoryContact } from './contact-directory.js';

/** A {@link ContactDirectory} held in memory, for tests and small hosts. */
export class InMemoryContactDirectory implements ContactDirectory {
  private readonly contacts = new Map<string, DirectoryContact>();

  constructor(contacts: readonly DirectoryContact[] = []) {
    for (const contact of contacts) this.contacts.set(contact.id, contact);
  }

  async getContact(id: string): Promise<DirectoryContact | undefined> {
    return this.contacts.get(id);
  }

  /** Adds or replaces a contact. */
  put(contact: DirectoryContact): void {
    this.contacts.set(contact.id, contact);
  }

  /** Removes a contact; true when it existed. */
  delete(id: string): boolean {
    return this.contacts.delete(id);
  }
}

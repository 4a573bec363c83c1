/** A mail contact: someone outside the organization an administrator can forward a mailbox to. */
export interface DirectoryContact {
  /** The contact's id in the directory. */
  id: string;
  /** The contact's email address. */
  email: string;
  /** Display name, kept exactly. */
  displayName?: string;
}

/** The host's directory of mail contacts (read only). */
export interface ContactDirectory {
  /** The contact with this id, or undefined. */
  getContact(id: string): Promise<DirectoryContact | undefined>;
}

/** A mail contact: someone outside the organization an administrator can forward a mailbox to. */
export interface DirectoryContact {
  id: string;
  email: string;
  /** Display name, kept exactly. */
  displayName?: string;
}

/** The host's directory of mail contacts (read only). */
export interface ContactDirectory {
  getContact(id: string): Promise<DirectoryContact | undefined>;
}

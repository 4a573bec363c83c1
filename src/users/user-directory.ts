/** How a provider's mailbox represents a user who is not the mailbox owner. */
export type SenderMode = 'sendAs' | 'sendOnBehalf';

/** A user's email options, kept by the host in its user directory. */
export interface UserEmailOptions {
  /**
   * "Sender email": send from this address instead of the directory email.
   * Needs Send As or Send On Behalf permission on the server.
   */
  senderEmail?: string;
  /** Display name to use with {@link UserEmailOptions.senderEmail}. @default the user's display name */
  senderName?: string;
  /** "Email provider ID" for interactive sending. Blank means ask each time. */
  providerId?: string;
  /** Set when the user chose a provider with "do not ask again". */
  doNotAskAgain?: boolean;
  /** Opt-in to workflow email notifications. @default false */
  emailNotifications?: boolean;
  /** Preferred language, e.g. "fr-CA". */
  language?: string;
}

/**
 * A change of a user's email options, as `userEmailOptionsSchema` returns it from a
 * settings form: each option given is set, and one given as `undefined` is cleared (a
 * Sender email emptied on the form). Typed so that the schema's output is accepted under
 * `exactOptionalPropertyTypes` too.
 */
export type UserEmailOptionsUpdate = { [K in keyof UserEmailOptions]?: UserEmailOptions[K] | undefined };

/** A user as the host application's directory knows them. */
export interface DirectoryUser {
  /** The user's id in the host application. */
  id: string;
  /** The user's email: the default From address. */
  email: string;
  /** Display name, kept exactly (casing, accents, punctuation). */
  displayName?: string;
  /** External users (portal, guest) cannot use Exchange. @default false */
  external?: boolean;
  /** The user's email options. */
  options?: UserEmailOptions;
}

/**
 * The host application's user directory. mailwright only reads users and
 * writes back their email options ("do not ask again").
 */
export interface UserDirectory {
  /** The user with this id, or undefined. */
  getUser(id: string): Promise<DirectoryUser | undefined>;
  /** Merges `options` into the user's stored email options; an option given as `undefined` is cleared. */
  updateOptions(id: string, options: UserEmailOptionsUpdate): Promise<void>;
}

import type { Address, MessageInput } from '../message/message.js';

/** A message composed for a user: From already resolved from their identity. */
export interface Draft extends MessageInput {
  from: Address;
  /** The user who will send it. */
  userId: string;
}

/** Options of an interactive `send()`. */
export interface SendOptions {
  /** The sending user. @default draft.userId */
  userId?: string;
  /** Provider id chosen for this send. @default the user's "Email provider ID" */
  provider?: string;
  /** "Do not ask again": store `provider` as the user's choice. @default false */
  rememberChoice?: boolean;
  /** Host facts stored with the history record (record id, template id…). */
  meta?: Record<string, unknown>;
}

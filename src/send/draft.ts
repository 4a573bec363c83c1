import type { Address, MessageInput } from '../message/message.js';

/** A message composed for a user: From already resolved from their identity. */
export interface Draft extends MessageInput {
  /** The user's From address, as resolved from the directory. */
  from: Address;
  /** The user who will send it. */
  userId: string;
}

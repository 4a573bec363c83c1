import { z } from 'zod';
import { nonBlankString, parseOptions } from '../parameters/parse-settings.js';

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

/** The options as JavaScript callers may pass them: unknown keys refused (a typo such as `provder` must not pass silently). */
const sendOptionsSchema = z.strictObject({
  userId: nonBlankString('userId').optional(),
  provider: nonBlankString('provider').optional(),
  rememberChoice: z.boolean().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** Checks `send()` options; throws MW_INVALID_SETTINGS naming every bad option. */
export function parseSendOptions(options: SendOptions): SendOptions {
  return parseOptions(sendOptionsSchema, options, 'send options', 'Pass { userId?: string, provider?: provider id, rememberChoice?: boolean, meta?: object }.');
}

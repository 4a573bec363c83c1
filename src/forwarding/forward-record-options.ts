import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { AddressInput } from '../message/message.js';
import { optionNames, refuseUnknownOptions } from '../parameters/option-names.js';
import { nonBlankString, parseOptions, settingsIssues } from '../parameters/parse-settings.js';
import type { ForwardableRecord } from './forwardable-record.js';

/** Options of `forwardRecord()`. */
export interface ForwardRecordOptions {
  /** The record to forward: its conversation and every attachment go along. */
  record: ForwardableRecord;
  /** The agent forwarding it: From = their address and display name, exactly as in the directory. */
  agentUserId: string;
  /** To recipients: one address or a list. */
  to: AddressInput | AddressInput[];
  /** Cc recipients: one address or a list. */
  cc?: AddressInput | AddressInput[];
  /** Forward theme (a template id). @default 'mailwright.forward' */
  theme?: string;
  /** The agent's comment, above the conversation. @default '' */
  comment?: string;
  /** Theme language. @default the agent's language, else the theme's default */
  language?: string;
  /** The organization (legal entity) the record belongs to: its own organization forward theme is preferred. @default none */
  organizationId?: string;
  /**
   * When the email would exceed the attachment size limit: `'refuse'` throws
   * MW_ATTACHMENT_TOO_LARGE listing the attachments; `'link'` replaces every
   * attachment by the link the record provides (`attachmentLink`).
   * @default 'refuse'
   */
  oversize?: 'refuse' | 'link';
}

const FORWARD_OPTIONS = optionNames<ForwardRecordOptions>({ record: true, agentUserId: true, to: true, cc: true, theme: true, comment: true, language: true, organizationId: true, oversize: true });

/** The option values checked here (JavaScript callers are not held to the types); the user and the addresses are checked where they are used. */
const forwardOptionsSchema = z.object({
  record: z.custom<ForwardableRecord>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be the record to forward: an object with id, subject, conversation and attachments',
  ),
  theme: nonBlankString('theme').optional(),
  comment: z.string('must be text').optional(),
  language: nonBlankString('language').optional(),
  organizationId: nonBlankString('organizationId').optional(),
  oversize: z.enum(['refuse', 'link'], 'must be "refuse" or "link"').optional(),
});

/** A record as the {@link ForwardableRecord} type describes it: its fields are the forward's content (subject, body, attachments, header). */
const recordSchema = z.object({
  id: z.string('must be a non-empty string, e.g. the case number').refine((id) => id.trim() !== '', 'must not be empty'),
  subject: z.string('must be text'),
  conversation: z.array(z.custom<object>((value) => typeof value === 'object' && value !== null, 'must be { from, sentAt, text }'), 'must be an array of { from, sentAt, text }, oldest first'),
  attachments: z.array(z.unknown(), 'must be an array of attachments (empty when there are none)'),
  attachmentLink: z.custom<NonNullable<ForwardableRecord['attachmentLink']>>((value) => typeof value === 'function', 'must be a function (attachment) => Promise<string>').optional(),
});

/**
 * Refuses bad options, then a record not shaped as ForwardableRecord, before
 * anything is sent or journaled: a bad option is MW_INVALID_SETTINGS, as for
 * every call's options; a bad record field is MW_INVALID_MESSAGE, as for the
 * content of any message (the record is the forward's content).
 */
export function checkForwardOptions(options: ForwardRecordOptions): void {
  const fix = 'Pass { record, agentUserId, to, cc?, theme?, comment?, language?, organizationId?, oversize?: "refuse" | "link" } (see ForwardRecordOptions).';
  parseOptions(forwardOptionsSchema, options, 'forwardRecord options', fix);
  refuseUnknownOptions(options, FORWARD_OPTIONS, 'forwardRecord options');
  const result = recordSchema.safeParse(options.record);
  if (result.success) return;
  const issues = settingsIssues(result.error).map((issue) => ({ ...issue, field: `record.${issue.field}` }));
  throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `The record to forward is not a ForwardableRecord: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`, {
    fix: 'Give the record an id (non-empty string), a subject (string), a conversation (array of { from, sentAt, text }) and attachments (array, empty when there are none).',
    details: { issues },
  });
}

import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../errors/mailwright-error.js';
import { parseAddress } from '../message/address.js';
import type { Address, MessageInput } from '../message/message.js';
import { optionNames, refuseUnknownOptions } from '../parameters/option-names.js';
import { nonBlankString, parseOptions } from '../parameters/parse-settings.js';
import type { EnqueueOptions } from '../queue/enqueue-options.js';
import type { DirectoryUser, UserDirectory } from '../users/user-directory.js';
import type { TemplateLevel } from './email-template.js';
import type { RenderedTemplate, TemplateCatalog } from './template-catalog.js';

/** Options of `notify()`. */
export interface NotifyOptions {
  /** Users to notify (ids, not blank); each gets one email in their language if they opted in, once even when listed twice. */
  userIds: string[];
  /** The template to render for each user. */
  templateId: string;
  /** Template data; `user` (id, name, email, language) is added for each recipient. */
  data: Record<string, unknown>;
  /** Queue priority. @default 0 */
  priority?: number;
  /** Makes `notify()` safe to repeat: each user's email gets the key `${idempotencyKey}:${userId}`. */
  idempotencyKey?: string;
  /** The organization (legal entity) the workflow runs for: its own organization template is preferred. @default none */
  organizationId?: string;
  /**
   * The workflow's level: `system` uses the system template only, `organization` the
   * organization template only (MW_TEMPLATE_NOT_FOUND without one). @default none: an
   * organization template overrides the system one
   */
  workflowLevel?: TemplateLevel;
}

const NOTIFY_OPTIONS = optionNames<NotifyOptions>({ userIds: true, templateId: true, data: true, priority: true, idempotencyKey: true, organizationId: true, workflowLevel: true });

/** The values checked here (JavaScript callers are not held to the types); the others are checked where they are used. */
const notifyOptionsSchema = z.object(
  {
    userIds: z.array(nonBlankString('a user id'), 'must be an array of user ids, e.g. ["ana", "bob"]'),
    templateId: nonBlankString('templateId'),
    data: z.record(z.string(), z.unknown(), 'must be an object of template variables').optional(),
    organizationId: nonBlankString('organizationId').optional(),
    workflowLevel: z.enum(['system', 'organization'], 'must be "system" or "organization"').optional(),
  },
  'expected an object such as { userIds: ["ana"], templateId, data }',
);

/** Checks `notify()` options; throws MW_INVALID_SETTINGS before anything is queued. Returns the user ids, each once, in order. */
function checkNotifyOptions(options: NotifyOptions): string[] {
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) refuseUnknownOptions(options, NOTIFY_OPTIONS, 'notify options');
  const { userIds } = parseOptions(
    notifyOptionsSchema,
    options,
    'notify options',
    'Pass { userIds: array of user ids, e.g. ["ana", "bob"], templateId, data, priority?, idempotencyKey?, organizationId?, workflowLevel?: "system" | "organization" }.',
  );
  return [...new Set(userIds)];
}

/** The user's recipient address, or the MW_INVALID_ADDRESS error naming the user when their directory email is missing or invalid. */
function recipientOf(user: DirectoryUser): Address | MailwrightError {
  const email: unknown = user.email;
  const fix = `Set a valid email address for the user "${user.id}" in the user directory.`;
  if (typeof email !== 'string' || email.trim() === '') {
    return new MailwrightError(ErrorCodes.INVALID_ADDRESS, `The user "${user.id}" cannot be notified: they have no email address in the user directory.`, {
      fix,
      details: { userId: user.id, field: 'email' },
    });
  }
  try {
    return parseAddress(user.displayName ? { name: user.displayName, address: email } : email, 'email');
  } catch (error) {
    if (!isMailwrightError(error, ErrorCodes.INVALID_ADDRESS)) throw error;
    return new MailwrightError(ErrorCodes.INVALID_ADDRESS, `The user "${user.id}" cannot be notified: ${error.message}`, {
      fix,
      details: { ...error.details, userId: user.id },
      cause: error,
    });
  }
}

/** Why a user got no notification. */
export type SkipReason = 'not-opted-in' | 'unknown-user' | 'invalid-address';

/** What `notify()` did for each user. */
export interface NotifyResult {
  /** Users notified: their email's id and the language used. */
  queued: { userId: string; emailId: string; language: string }[];
  /** Users not notified, and why (with the error for an invalid address). */
  skipped: { userId: string; reason: SkipReason; error?: MailwrightError }[];
}

/** Dependencies of {@link Notifier}. */
export interface NotifierDeps {
  users: UserDirectory;
  templates: TemplateCatalog;
  enqueue(message: MessageInput, options: EnqueueOptions): Promise<string>;
}

/**
 * Workflow notifications: one email per opted-in user, rendered in the user's
 * language and queued for the distributor. Users who did not opt in are
 * reported as skipped. Template problems (not found, bad sender, render error)
 * are raised before anything is queued for anyone.
 */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Renders and queues one notification per opted-in user; reports the others as skipped. */
  async notify(options: NotifyOptions): Promise<NotifyResult> {
    const userIds = checkNotifyOptions(options);
    const result: NotifyResult = { queued: [], skipped: [] };
    const ready: { user: DirectoryUser; to: Address; rendered: RenderedTemplate }[] = [];
    const selection = { ...(options.organizationId !== undefined ? { organizationId: options.organizationId } : {}), ...(options.workflowLevel !== undefined ? { level: options.workflowLevel } : {}) };
    for (const userId of userIds) {
      const user = await this.deps.users.getUser(userId);
      if (user === undefined) result.skipped.push({ userId, reason: 'unknown-user' });
      else if (user.options?.emailNotifications !== true) result.skipped.push({ userId, reason: 'not-opted-in' });
      else {
        const to = recipientOf(user);
        if (to instanceof MailwrightError) {
          result.skipped.push({ userId, reason: 'invalid-address', error: to });
          continue;
        }
        const language = user.options.language;
        const data = { ...options.data, user: { id: user.id, name: user.displayName ?? '', email: user.email, language: language ?? '' } };
        ready.push({ user, to, rendered: await this.deps.templates.render(options.templateId, { ...(language !== undefined ? { language } : {}), ...selection, data }) });
      }
    }
    for (const { user, to, rendered } of ready) {
      try {
        const emailId = await this.deps.enqueue(
          {
            from: rendered.from,
            to,
            subject: rendered.subject,
            ...(rendered.html !== undefined ? { html: rendered.html } : {}),
            ...(rendered.text !== undefined ? { text: rendered.text } : {}),
          },
          {
            priority: options.priority ?? 0,
            meta: {
              templateId: rendered.templateId,
              templateOrigin: rendered.origin,
              language: rendered.language,
              notifiedUserId: user.id,
              ...(options.organizationId !== undefined ? { organizationId: options.organizationId } : {}),
              ...(options.workflowLevel !== undefined ? { workflowLevel: options.workflowLevel } : {}),
            },
            ...(options.idempotencyKey !== undefined ? { idempotencyKey: `${options.idempotencyKey}:${user.id}` } : {}),
          },
        );
        result.queued.push({ userId: user.id, emailId, language: rendered.language });
      } catch (error) {
        if (!isMailwrightError(error, ErrorCodes.INVALID_ADDRESS)) throw error;
        result.skipped.push({ userId: user.id, reason: 'invalid-address', error });
      }
    }
    return result;
  }
}

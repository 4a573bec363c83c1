import type { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { catalogueEn } from './catalogue-en.js';
import { formatSettingsMessage, isFieldKey, settingsCatalogue, type SettingsCatalogue, type SettingsFieldKey, type SettingsMessageKey, type SettingsSchemaName } from './settings-catalogue.js';
import { schemaName } from './settings-fields.js';

/** One bad field of a settings object. */
export interface SettingsIssue {
  /** Dotted path, e.g. "perMinuteLimits.smtp" or "certificate.privateKey". */
  field: string;
  /** What is wrong with the field (never echoes its value), for a settings screen to show next to it. */
  message: string;
  /**
   * The message's key in the settings catalogue, to show it in another language
   * (`translateSettingsIssues`): a field key such as "smtpSettings.port" (the field's
   * `invalid` text) or a message key such as "usernameNeedsPassword". Absent for options
   * that are not settings.
   */
  messageKey?: SettingsFieldKey | SettingsMessageKey;
  /** Values of the message's `{placeholders}`, e.g. `{ provider: "smtp2" }`. */
  params?: Record<string, string>;
}

/** A settings issue with a catalogue message (English; see `translateSettingsIssues`). */
export function ruleSettingsIssue(field: string, key: SettingsMessageKey, params: Record<string, string> = {}): SettingsIssue {
  return { field, message: formatSettingsMessage(catalogueEn.messages[key], params), messageKey: key, ...(Object.keys(params).length > 0 ? { params } : {}) };
}

/** Every `schema.path` prefix of a field key: where a path segment names a field, not a record key. */
const FIELD_PREFIXES = new Set(
  Object.keys(catalogueEn.fields).flatMap((key) => {
    const parts = key.split('.');
    return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

/** The catalogue key of the field at `path` of a settings schema (record keys read as `*`), if it has one. */
function fieldKeyOf(schema: SettingsSchemaName, path: readonly string[]): SettingsFieldKey | undefined {
  let key: string = schema;
  for (const segment of path) key = FIELD_PREFIXES.has(`${key}.${segment}`) ? `${key}.${segment}` : `${key}.*`;
  return isFieldKey(key) ? key : undefined;
}

/** The names of the fields directly under `path` of a settings schema. */
function fieldNamesUnder(schema: SettingsSchemaName, path: readonly string[]): string[] {
  const prefix = [schema, ...path].join('.');
  return Object.keys(catalogueEn.fields)
    .filter((key) => key.startsWith(`${prefix}.`) && !key.slice(prefix.length + 1).includes('.'))
    .map((key) => key.slice(prefix.length + 1))
    .filter((name) => name !== '*');
}

type Issue = z.core.$ZodIssue;

/** One zod issue of a settings schema as settings issues (an unknown-keys issue names each key). */
function issuesOf(issue: Issue, schema: SettingsSchemaName | undefined): SettingsIssue[] {
  const path = issue.path.map(String);
  const field = path.join('.');
  const ruleParams = issue.code === 'custom' ? (issue as { params?: Record<string, string> }).params : undefined;
  const messageKey = ruleParams?.messageKey as SettingsMessageKey | undefined;
  if (ruleParams !== undefined && messageKey !== undefined) {
    const { messageKey: _key, ...params } = ruleParams;
    return [{ field, message: issue.message, messageKey, ...(Object.keys(params).length > 0 ? { params } : {}) }];
  }
  if (schema === undefined) return [{ field, message: issue.message }];
  if (issue.code === 'invalid_union') {
    // A value of one member's kind (an object where `true` or an object is allowed): that member's issues.
    const matching = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
    if (matching.length === 1) return matching[0]!.flatMap((inner) => issuesOf({ ...inner, path: [...issue.path, ...inner.path] } as Issue, schema));
  }
  if (issue.code === 'unrecognized_keys') {
    const fields = fieldNamesUnder(schema, path).join(', ');
    return issue.keys.map((key) => ruleSettingsIssue([...path, key].join('.'), 'unknownField', { field: key, fields }));
  }
  if (issue.code === 'invalid_key') {
    // A record key: its own check says why (an unknown provider), else the record's message.
    const inner = issue.issues.flatMap((i) => issuesOf({ ...i, path } as Issue, schema));
    const ruled = inner.filter((i) => i.messageKey !== undefined && !isFieldKey(i.messageKey));
    if (ruled.length > 0) return ruled.slice(0, 1);
    const recordKey = fieldKeyOf(schema, path.slice(0, -1));
    return [{ field, message: recordKey === undefined ? issue.message : catalogueEn.fields[recordKey].invalid, ...(recordKey !== undefined ? { messageKey: recordKey } : {}) }];
  }
  const key = fieldKeyOf(schema, path);
  return [{ field, message: key === undefined ? issue.message : catalogueEn.fields[key].invalid, ...(key !== undefined ? { messageKey: key } : {}) }];
}

/**
 * zod issues as {@link SettingsIssue}s (never echoing the received value: it may be a
 * password). For a settings schema (email parameters, SMTP and Exchange settings, user email
 * options) each issue has the catalogue message of its field and its `messageKey`, and an
 * unknown field is one issue naming it.
 */
export function settingsIssues(error: z.ZodError, schema?: z.ZodType): SettingsIssue[] {
  const name = schema === undefined ? undefined : schemaName(schema);
  const seen = new Set<string>();
  return error.issues
    .flatMap((issue) => issuesOf(issue, name))
    .filter((issue) => {
      // One message per field and key: a field's checks all give its message.
      const id = `${issue.field}\u0000${issue.messageKey ?? issue.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}

/**
 * Settings issues in another language: each issue with a `messageKey` gets the message of
 * that language's catalogue (a built-in one, `fr` or `en`, or a host's own); the others
 * are left as they are.
 * @param locale A BCP 47 tag such as "fr-CA", or a catalogue.
 */
export function translateSettingsIssues(issues: readonly SettingsIssue[], locale: string | SettingsCatalogue): SettingsIssue[] {
  const catalogue = settingsCatalogue(locale);
  if (!Array.isArray(issues as unknown)) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, 'translateSettingsIssues() takes the issues of an MW_INVALID_SETTINGS error (an array).', {
      fix: 'Pass error.details.issues, or the issues settingsFromForm() returned.',
      details: { field: 'issues' },
    });
  }
  return issues.map((issue) => {
    const key = issue.messageKey;
    if (key === undefined) return issue;
    const template = isFieldKey(key) ? catalogue.fields[key]?.invalid : catalogue.messages[key];
    return template === undefined ? issue : { ...issue, message: formatSettingsMessage(template, issue.params) };
  });
}

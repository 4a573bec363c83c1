import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { optionNames, refuseUnknownOptions } from './option-names.js';
import type { ProviderInfo } from '../providers/provider.js';
import type { SettingsCatalogue, SettingsSchemaName } from './settings-catalogue.js';
import { SECRET_FIELDS } from './settings-fields.js';
import { settingsIssues, translateSettingsIssues, type SettingsIssue } from './settings-issues.js';
import { settingsSchemas, type SettingsSchemas } from './settings-schemas.js';

/** Form data as hosts get it: `URLSearchParams`, `FormData`, name/value pairs, or a parsed body (`req.body`). */
export type SettingsFormData = URLSearchParams | FormData | Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>;

/** Options of {@link settingsFromForm}. */
export interface SettingsFormOptions {
  /** The registered providers (`mailwright.providers()`), to check provider ids. @default none: any provider id */
  providers?: readonly ProviderInfo[];
  /** Language of the messages: a BCP 47 tag (`en` and `fr` are built in) or a catalogue. @default 'en' */
  locale?: string | SettingsCatalogue;
  /** Form fields that are not settings, besides those whose name starts with `_` (e.g. `_csrf`). @default [] */
  ignore?: readonly string[];
}

/** What {@link settingsFromForm} made of a form: typed settings, or every bad field with its message. */
export type SettingsFormResult<T> =
  | {
      /** The form's settings are valid. */
      success: true;
      /** The typed settings, ready for `parameters.update()`, `smtpSettings.save()`, … */
      data: T;
    }
  | {
      /** Some fields are not valid. */
      success: false;
      /** Every bad field, keyed by its dotted path. */
      issues: SettingsIssue[];
      /** The first message of each bad field, by dotted path (the form field's name): what to show next to it. */
      errors: Record<string, string>;
    };

const FORM_OPTIONS = optionNames<SettingsFormOptions>({ providers: true, locale: true, ignore: true });

/** The form field whose values name fields to clear (set to `null`: a stored password, a certificate). */
export const CLEAR_FIELD = '_clear';

const TRUE = new Set(['true', 'on', '1', 'yes']);
const FALSE = new Set(['false', 'off', '0', 'no']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type JsonNode = { type?: string; anyOf?: JsonNode[]; properties?: Record<string, JsonNode>; additionalProperties?: JsonNode | boolean };

/** The node of a JSON Schema at a path, looking through `anyOf` (a nullable field), and whether null is allowed there. */
function nodeAt(root: JsonNode, path: readonly string[]): { node: JsonNode; nullable: boolean } | undefined {
  let node: JsonNode | undefined = root;
  let nullable = false;
  for (const segment of path) {
    const next: JsonNode | boolean | undefined = node?.properties?.[segment] ?? node?.additionalProperties;
    if (typeof next !== 'object') return undefined;
    nullable = next.anyOf?.some((member) => member.type === 'null') ?? false;
    node = next.anyOf?.find((member) => member.type !== 'null') ?? next;
  }
  return node === undefined ? undefined : { node, nullable };
}

/**
 * A form value as the field's type: numbers and booleans (a checkbox's "on") parsed, text as
 * it is (the schema trims it). An empty value leaves the field unset, or sets it to null when
 * it may be null (the batch provider "none"); an empty secret keeps the stored one. A value
 * that cannot be read as the type is passed on as it is, so that the field's message says
 * what to enter.
 */
function coerce(value: string, field: { node: JsonNode; nullable: boolean } | undefined, name: string): unknown {
  if (value === '') return field?.nullable && !SECRET_FIELDS.has(name) ? null : undefined;
  const type = field?.node.type;
  if (type === 'integer' || type === 'number') return NUMBER.test(value.trim()) ? Number(value.trim()) : value;
  if (type === 'boolean') return TRUE.has(value.toLowerCase()) ? true : FALSE.has(value.toLowerCase()) ? false : value;
  return value;
}

/** The form's name/value pairs, values as text (a file is passed on as it is: the field's message refuses it). */
function entriesOf(form: SettingsFormData): [string, unknown][] {
  if (form instanceof URLSearchParams || (typeof FormData !== 'undefined' && form instanceof FormData)) return [...form.entries()];
  if (Symbol.iterator in form) return [...(form as Iterable<readonly [string, unknown]>)].map(([name, value]) => [name, value]);
  return Object.entries(form).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v): [string, unknown] => [name, v]) : [[name, value] as [string, unknown]]));
}

/** Sets `value` at a dotted path of `target`, making the objects on the way. */
function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const segment of path.slice(0, -1)) {
    const next = at[segment];
    at = (typeof next === 'object' && next !== null ? next : (at[segment] = {})) as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}

/**
 * Turns a settings form into typed settings with the same per-field messages as the rest of
 * mailwright, so that a settings screen needs no hand-written coercion or error mapping.
 * Field names are the settings' dotted paths (`port`, `perMinuteLimits.smtp`,
 * `certificate.thumbprintSha256`). Numbers are parsed (`'60'` → 60); a boolean takes
 * `true`/`on`/`1` or `false`/`off`/`0`, the last value winning, so a checkbox goes with a
 * hidden field of the same name before it (`<input type=hidden name=requireTls value=false>`);
 * an empty field is left out (its default applies; a secret left empty keeps the stored one)
 * or null where null is allowed (the batch provider "none"); each value of the `_clear`
 * field names a field to clear (`_clear=password`). Fields this schema does not have are
 * refused, except those named in `ignore` or starting with `_`.
 * @param name Which settings: `emailParameters`, `smtpSettings`, `exchangeSettings` or `userEmailOptions`.
 */
export function settingsFromForm<N extends SettingsSchemaName>(name: N, form: SettingsFormData, options: SettingsFormOptions = {}): SettingsFormResult<z.output<SettingsSchemas[N]>> {
  const schemas = settingsSchemas(options.providers);
  if (!Object.hasOwn(schemas, name)) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `settingsFromForm() does not know the settings ${JSON.stringify(name)}.`, {
      fix: `Pass one of ${Object.keys(schemas).join(', ')}.`,
      details: { field: 'name' },
    });
  }
  if (typeof form !== 'object' || form === null) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, 'settingsFromForm() takes the form data: URLSearchParams, FormData, name/value pairs or a parsed body.', {
      fix: 'Pass e.g. new URLSearchParams(body), await request.formData() or req.body.',
      details: { field: 'form' },
    });
  }
  refuseUnknownOptions(options, FORM_OPTIONS, 'settingsFromForm options');
  const schema: z.ZodType = schemas[name];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const ignore = new Set(options.ignore ?? []);
  const values = new Map<string, unknown>();
  const cleared: string[] = [];
  for (const [field, value] of entriesOf(form)) {
    if (field === CLEAR_FIELD && typeof value === 'string' && value !== '') cleared.push(value);
    else if (!field.startsWith('_') && !ignore.has(field)) values.set(field, value); // the last value wins
  }
  const input: Record<string, unknown> = {};
  for (const [field, value] of values) {
    const path = field.split('.');
    const coerced = typeof value === 'string' ? coerce(value, nodeAt(json, path), path[path.length - 1]!) : value;
    if (coerced !== undefined) setAt(input, path, coerced);
  }
  for (const field of cleared) setAt(input, field.split('.'), null);
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data as z.output<SettingsSchemas[N]> };
  const issues = translateSettingsIssues(settingsIssues(result.error, schema), options.locale ?? 'en');
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[issue.field] ??= issue.message;
  return { success: false, issues, errors };
}

import { z } from 'zod';
import { addressProblem } from '../message/address.js';
import type { ProviderInfo } from '../providers/provider.js';
import { catalogueEn } from './catalogue-en.js';
import { formatSettingsMessage, type SettingsFieldKey, type SettingsMessageKey, type SettingsSchemaName } from './settings-catalogue.js';

// Building blocks of the settings schemas. Each field's zod checks all report the field's
// catalogue message, and each check zod's JSON Schema cannot express (a trimmed value, a
// case-insensitive pattern, an address, a rule between fields) carries the JSON Schema
// keywords that give the same verdict, so that a settings screen validating with the
// JSON Schema and mailwright validating with zod agree (test/parameters/schema-agreement.test.ts).

const names = new WeakMap<object, SettingsSchemaName>();

/** Registers a settings schema under its catalogue name (for per-field messages). */
export function named<T extends z.ZodType>(schema: T, name: SettingsSchemaName): T {
  names.set(schema, name);
  return schema;
}

/** The catalogue name of a settings schema, if it is one. */
export const schemaName = (schema: z.ZodType): SettingsSchemaName | undefined => names.get(schema);

/** zod's error option for a field: its catalogue message (English), for every check. */
export const invalid = (key: SettingsFieldKey) => ({ error: catalogueEn.fields[key].invalid });

/** The names of secret fields, at any depth: stored encrypted, `writeOnly` in JSON Schema, never shown back. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'clientSecret', 'privateKey', 'pfx', 'pfxPassword']);

/** The JSON Schema format of an email address as `send()` accepts it; see `settingsFormats`. */
export const ADDRESS_FORMAT = 'mailwright-address';

/** Adds a rule issue: its English message, and its key and parameters for other languages. */
export function ruleIssue(ctx: z.RefinementCtx, key: SettingsMessageKey, path: (string | number)[], params: Record<string, string> = {}): void {
  ctx.addIssue({ code: 'custom', path, message: formatSettingsMessage(catalogueEn.messages[key], params), params: { messageKey: key, ...params } });
}

/** The source of a regular expression matching `text` in any letter case (JSON Schema patterns have no `i` flag). */
export const anyCase = (text: string): string =>
  [...text].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');

/** Text that zod trims and that must not be blank. */
export const trimmedText = (key: SettingsFieldKey) => z.string(invalid(key)).trim().min(1).meta({ pattern: '\\S' });

/**
 * Text that zod trims, then matches against `source` whole. `source` must not match
 * leading or trailing white space, so that its JSON Schema pattern (white space allowed
 * around it) gives the same verdict.
 */
export const trimmedMatch = (key: SettingsFieldKey, source: string) =>
  z
    .string(invalid(key))
    .trim()
    .regex(new RegExp(`^(?:${source})$`))
    .meta({ pattern: `^\\s*(?:${source})\\s*$` });

/** An email address as `send()` accepts it (internationalized and quoted ones too), trimmed. */
export const addressField = (key: SettingsFieldKey) =>
  z
    .string(invalid(key))
    .trim()
    .refine((value) => addressProblem(value) === undefined)
    .meta({ format: ADDRESS_FORMAT });

/** JSON Schema for "one of these strings" (an empty list allows nothing). */
const oneOf = (ids: readonly string[]) => (ids.length > 0 ? { enum: [...ids] } : { not: {} });

/**
 * A provider id that must be one of `allowed` (among the registered `providers`): the
 * JSON Schema lists them as an enum, zod says which rule it breaks.
 */
export function providerIdField(key: SettingsFieldKey, providers: readonly ProviderInfo[], allowed: (p: ProviderInfo) => boolean, notAllowed: SettingsMessageKey) {
  const ids = providers.filter(allowed).map((p) => p.id);
  const registered = providers.map((p) => p.id).join(', ') || 'none';
  return z
    .string(invalid(key))
    .superRefine((id, ctx) => {
      if (ids.includes(id)) return;
      ruleIssue(ctx, providers.some((p) => p.id === id) ? notAllowed : 'unknownProvider', [], { provider: id, registered });
    })
    .meta(oneOf(ids));
}

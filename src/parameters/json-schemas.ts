import { z } from 'zod';
import type { ProviderInfo } from '../providers/provider.js';
import { settingsCatalogue, type SettingsCatalogue, type SettingsFieldKey, type SettingsSchemaName } from './settings-catalogue.js';
import { optionNames, refuseUnknownOptions } from './option-names.js';
import { SECRET_FIELDS } from './settings-fields.js';
import { settingsSchemas } from './settings-schemas.js';

/** A JSON Schema (draft 2020-12) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** JSON Schema (draft 2020-12) of every settings object, keyed by name. */
export type SettingsJsonSchemas = Record<SettingsSchemaName, JsonSchema>;

/** Options of {@link settingsJsonSchemas}. */
export interface SettingsJsonSchemaOptions {
  /**
   * The registered providers (`mailwright.providers()`): the batch provider, the per-minute
   * limits' keys and a user's provider are then enums of the providers that fit.
   * @default none: any provider id
   */
  providers?: readonly ProviderInfo[];
  /** Language of the titles and descriptions: a BCP 47 tag (`en` and `fr` are built in) or a catalogue of the host's own. @default 'en' */
  locale?: string | SettingsCatalogue;
}

const JSON_SCHEMA_OPTIONS = optionNames<SettingsJsonSchemaOptions>({ providers: true, locale: true });

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Gives each property under `path` its catalogue title and description, and marks secret
 * fields `writeOnly` (settings screens never show them back). Descends into nested objects,
 * records (`*`) and the members of `anyOf` (a nullable field).
 */
function annotate(schema: JsonObject, path: string, catalogue: SettingsCatalogue): void {
  const visit = (property: unknown, key: string, name: string): void => {
    if (!isObject(property)) return;
    const text = catalogue.fields[key as SettingsFieldKey];
    if (text !== undefined) Object.assign(property, { title: text.title, description: text.description });
    if (SECRET_FIELDS.has(name)) property.writeOnly = true;
    annotate(property, key, catalogue);
  };
  if (isObject(schema.properties)) for (const [name, property] of Object.entries(schema.properties)) visit(property, `${path}.${name}`, name);
  if (isObject(schema.additionalProperties)) visit(schema.additionalProperties, `${path}.*`, '*');
  if (Array.isArray(schema.anyOf)) for (const member of schema.anyOf) if (isObject(member)) annotate(member, path, catalogue);
}

/**
 * JSON Schemas of the settings objects, for host settings screens: email parameters, SMTP
 * settings, Exchange settings and user email options (input side: defaults are shown).
 * Every field has a title and description from the settings catalogue, in `locale`; secret
 * fields are `writeOnly`; with `providers`, provider ids are enums. A JSON Schema validator
 * gives the same verdict as mailwright on the same input once it knows the formats of
 * `settingsFormats` (e.g. `ajv.addFormat(name, check)` for each).
 */
export function settingsJsonSchemas(options: SettingsJsonSchemaOptions = {}): SettingsJsonSchemas {
  refuseUnknownOptions(options, JSON_SCHEMA_OPTIONS, 'settingsJsonSchemas options');
  const catalogue = settingsCatalogue(options.locale);
  const schemas = settingsSchemas(options.providers);
  const json = (name: SettingsSchemaName): JsonSchema => {
    const schema = z.toJSONSchema(schemas[name], { io: 'input', unrepresentable: 'any' }) as JsonObject;
    annotate(schema, name, catalogue);
    return { ...schema, ...catalogue.schemas[name] };
  };
  return { emailParameters: json('emailParameters'), smtpSettings: json('smtpSettings'), exchangeSettings: json('exchangeSettings'), userEmailOptions: json('userEmailOptions') };
}

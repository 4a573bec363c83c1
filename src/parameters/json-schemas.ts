import { z } from 'zod';
import { emailParametersSchema } from './email-parameters.js';
import { smtpSettingsSchema } from './smtp-settings.js';
import { userEmailOptionsSchema } from './user-email-options.js';

/** JSON Schema (draft 2020-12) of every settings object, keyed by name. */
export type SettingsJsonSchemas = Record<string, Record<string, unknown>>;

const FIELDS_NEVER_ECHOED = new Set(['password', 'clientSecret', 'privateKey', 'pfx', 'pfxPassword']);
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is data, not a subschema. */
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Marks secret fields `writeOnly`, at any depth (e.g. the Exchange settings'
 * `certificate.privateKey`), so settings screens never show them back.
 */
function markWriteOnly(schema: JsonObject): JsonObject {
  const properties = schema.properties;
  if (isObject(properties)) {
    for (const [name, property] of Object.entries(properties)) if (FIELDS_NEVER_ECHOED.has(name) && isObject(property)) property.writeOnly = true;
  }
  for (const [keyword, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && isObject(value)) {
      for (const subschema of Object.values(value)) if (isObject(subschema)) markWriteOnly(subschema);
    } else if (Array.isArray(value)) {
      for (const subschema of value) if (isObject(subschema)) markWriteOnly(subschema);
    } else if (isObject(value)) markWriteOnly(value);
  }
  return schema;
}

/**
 * JSON Schemas of the settings objects for host settings screens: email
 * parameters, SMTP settings, user email options, plus any `extra` zod schemas
 * (e.g. the Exchange provider's). Input side: defaults are shown.
 */
export function settingsJsonSchemas(extra: Record<string, z.ZodType> = {}): SettingsJsonSchemas {
  const schemas: Record<string, z.ZodType> = {
    emailParameters: emailParametersSchema,
    smtpSettings: smtpSettingsSchema,
    userEmailOptions: userEmailOptionsSchema,
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      name,
      markWriteOnly(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    ]),
  );
}

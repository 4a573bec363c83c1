import { z } from 'zod';
import { emailParametersSchema } from './email-parameters.js';
import { smtpSettingsSchema } from './smtp-settings.js';
import { userEmailOptionsSchema } from './user-email-options.js';

/** JSON Schema (draft 2020-12) of every settings object, keyed by name. */
export type SettingsJsonSchemas = Record<string, Record<string, unknown>>;

const FIELDS_NEVER_ECHOED = ['password', 'clientSecret'];

/** Marks secret fields `writeOnly` so settings screens never show them back. */
function markWriteOnly(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const name of FIELDS_NEVER_ECHOED) {
    const property = properties?.[name];
    if (property !== undefined) property.writeOnly = true;
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

import type { ProviderInfo } from '../providers/provider.js';
import { emailParametersSchemaFor } from './email-parameters.js';
import { exchangeSettingsSchema } from './exchange-settings.js';
import { smtpSettingsSchema } from './smtp-settings.js';
import { userEmailOptionsSchemaFor } from './user-email-options.js';

/**
 * The zod schemas of the settings objects, keyed as `settingsJsonSchemas()` keys their
 * JSON Schemas; with the registered `providers`, provider ids are checked against them.
 */
export function settingsSchemas(providers?: readonly ProviderInfo[]) {
  return {
    emailParameters: emailParametersSchemaFor(providers),
    smtpSettings: smtpSettingsSchema,
    exchangeSettings: exchangeSettingsSchema,
    userEmailOptions: userEmailOptionsSchemaFor(providers),
  };
}

/** The zod schemas of the settings objects, by name (see {@link settingsSchemas}). */
export type SettingsSchemas = ReturnType<typeof settingsSchemas>;

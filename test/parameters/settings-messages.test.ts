import { z } from 'zod';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { parseSettings } from '../../src/parameters/parse-settings.js';
import { settingsCatalogues, type SettingsFieldKey } from '../../src/parameters/settings-catalogue.js';
import { settingsIssues, translateSettingsIssues, type SettingsIssue } from '../../src/parameters/settings-issues.js';
import { settingsSchemas } from '../../src/parameters/settings-schemas.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
/** A valid value of each settings object, to spoil one field of. */
const VALID: Record<string, Record<string, unknown>> = {
  emailParameters: {},
  smtpSettings: { host: 'smtp.contoso.com', requireAuth: false },
  exchangeSettings: { tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', certificate: { thumbprintSha256: 'ab'.repeat(32), privateKey: KEY } },
  userEmailOptions: {},
};

/** `base` with the field at `path` (dotted; `*` = a record key `smtp`) set to `value`. */
function withField(base: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const key = head === '*' ? 'smtp' : head!;
  const inner = (base[key] ?? {}) as Record<string, unknown>;
  return { ...base, [key]: rest.length === 0 ? value : withField(inner, rest, value) };
}

type JsonNode = { type?: string; anyOf?: JsonNode[]; properties?: Record<string, JsonNode>; additionalProperties?: JsonNode };

/** The JSON type of the field at `path` (through `anyOf`: its object member when the path goes on; `*` = a record's values). */
function typeAt(node: JsonNode | undefined, path: string[]): string | undefined {
  const plain = node?.anyOf?.find((member) => (path.length > 0 ? member.type === 'object' : member.type !== 'null')) ?? node;
  if (path.length === 0) return plain?.type;
  const [head, ...rest] = path;
  return typeAt(head === '*' ? plain?.additionalProperties : plain?.properties?.[head!], rest);
}

const issuesOf = (schema: z.ZodType, value: unknown): SettingsIssue[] => {
  try {
    parseSettings(schema, value, 'settings');
  } catch (error) {
    expect((error as MailwrightError).code).toBe(ErrorCodes.INVALID_SETTINGS);
    return (error as MailwrightError).details.issues as SettingsIssue[];
  }
  throw new Error('expected MW_INVALID_SETTINGS');
};

describe('per-field messages: every field of every settings schema', () => {
  const schemas = settingsSchemas();
  const en = settingsCatalogues.en!;
  const fr = settingsCatalogues.fr!;
  const fields = Object.keys(en.fields) as SettingsFieldKey[];

  it.each(fields)('%s: a value of the wrong kind gives the field its catalogue message, keyed by its dotted path, in English and French', (key) => {
    const [name, ...path] = key.split('.');
    const schema = schemas[name as keyof typeof schemas];
    const field = path.join('.').replace('*', 'smtp');
    const isText = typeAt(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode, path) === 'string';
    const issues = issuesOf(schema, withField(VALID[name!]!, path, isText ? 42 : 'not valid'));
    expect(issues).toEqual([{ field, message: en.fields[key].invalid, messageKey: key }]);
    expect(translateSettingsIssues(issues, 'fr-CA')).toEqual([{ field, message: fr.fields[key].invalid, messageKey: key }]);
  });

  it('values of the right kind but out of range read as the field, not as zod ("Too small: expected number to be >=0")', () => {
    const issues = issuesOf(schemas.emailParameters, { historyRetentionDays: -1, maxAttempts: 101, attachmentSizeLimitBytes: 0, perMinuteLimits: { smtp: 1.5 } });
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['attachmentSizeLimitBytes', en.fields['emailParameters.attachmentSizeLimitBytes'].invalid],
      ['historyRetentionDays', en.fields['emailParameters.historyRetentionDays'].invalid],
      ['perMinuteLimits.smtp', en.fields['emailParameters.perMinuteLimits.*'].invalid],
      ['maxAttempts', en.fields['emailParameters.maxAttempts'].invalid],
    ]);
    expect(issues.map((i) => i.message).join(' ')).not.toMatch(/Too small|Too big|expected/);
    expect(issuesOf(schemas.smtpSettings, { host: '   ', port: 70_000, requireAuth: false }).map((i) => i.field)).toEqual(['host', 'port']);
  });

  it('rules between fields and provider checks have their own messages, with their parameters, in both languages', () => {
    const providers = [emlProvider({ id: 'eml', write: false })];
    const params = settingsSchemas(providers).emailParameters;
    const issues = issuesOf(params, { batchProviderId: 'ghost', perMinuteLimits: { ghost: 5 } });
    expect(issues).toEqual([
      { field: 'batchProviderId', message: 'No provider "ghost"; registered: eml.', messageKey: 'unknownProvider', params: { provider: 'ghost', registered: 'eml' } },
      { field: 'perMinuteLimits.ghost', message: 'No provider "ghost"; registered: eml.', messageKey: 'unknownProvider', params: { provider: 'ghost', registered: 'eml' } },
    ]);
    expect(translateSettingsIssues(issues, 'fr')[0]?.message).toBe('Aucun fournisseur « ghost » ; fournisseurs inscrits : eml.');
    expect(issuesOf(schemas.smtpSettings, { host: 'h' })).toEqual([expect.objectContaining({ field: 'username', messageKey: 'authNeedsUsername' })]);
    expect(issuesOf(schemas.smtpSettings, { host: 'h', requireAuth: false, password: 'p' })).toEqual([expect.objectContaining({ field: 'username', messageKey: 'passwordNeedsUsername' })]);
  });

  it('an unknown field is named, with the fields there are', () => {
    const issues = issuesOf(schemas.userEmailOptions, { sender: 'a@contoso.com' });
    expect(issues).toEqual([
      {
        field: 'sender',
        message: '"sender" is not a setting; the settings are senderEmail, senderName, providerId, doNotAskAgain, emailNotifications, language.',
        messageKey: 'unknownField',
        params: { field: 'sender', fields: 'senderEmail, senderName, providerId, doNotAskAgain, emailNotifications, language' },
      },
    ]);
    expect(issuesOf(schemas.exchangeSettings, { ...VALID.exchangeSettings, certificate: { thumbprintSha256: 'ab'.repeat(32), privateKey: KEY, pem: 'x' } })[0]).toMatchObject({
      field: 'certificate.pem',
      params: { fields: 'thumbprintSha256, privateKey, x5c, pfx, pfxPassword' },
    });
  });

  it('a schema that is not a settings schema keeps zod\'s messages (settingsIssues without a name)', () => {
    const result = z.strictObject({ a: z.number() }).safeParse({ a: 'x' });
    expect(settingsIssues(result.error!)).toEqual([{ field: 'a', message: 'Invalid input: expected number, received string' }]);
  });
});

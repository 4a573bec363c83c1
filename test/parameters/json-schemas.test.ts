import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';
import { settingsCatalogues } from '../../src/parameters/settings-catalogue.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';

type Schema = { properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; propertyNames?: Schema; anyOf?: Schema[]; writeOnly?: boolean; title?: string; description?: string; enum?: unknown[] };

/** The property schemas of a JSON Schema by dotted path (`*` for a record's values), through `anyOf`. */
function fieldsOf(schema: Schema, path = ''): Map<string, Schema> {
  const fields = new Map<string, Schema>();
  const visit = (property: Schema, key: string): void => {
    fields.set(key, property);
    for (const [k, v] of fieldsOf(property, key)) fields.set(k, v);
  };
  for (const member of [schema, ...(schema.anyOf ?? [])]) {
    for (const [name, property] of Object.entries(member.properties ?? {})) visit(property, path ? `${path}.${name}` : name);
    if (typeof member.additionalProperties === 'object') visit(member.additionalProperties, path ? `${path}.*` : '*');
  }
  return fields;
}

describe('settingsJsonSchemas', () => {
  const schemas = settingsJsonSchemas();

  it('covers the email parameters, SMTP and Exchange settings and user email options', () => {
    expect(Object.keys(schemas)).toEqual(['emailParameters', 'smtpSettings', 'exchangeSettings', 'userEmailOptions']);
  });

  it.each(Object.keys(settingsCatalogues))('gives every field of every schema a title and description from the %s catalogue', (locale) => {
    const catalogue = settingsCatalogues[locale]!;
    const localized = settingsJsonSchemas({ locale });
    const keys: string[] = [];
    for (const [name, schema] of Object.entries(localized)) {
      expect(schema).toMatchObject(catalogue.schemas[name as keyof typeof catalogue.schemas]);
      for (const [path, field] of fieldsOf(schema as Schema)) {
        const key = `${name}.${path}`;
        keys.push(key);
        const text = catalogue.fields[key as keyof typeof catalogue.fields];
        expect({ key, title: field.title, description: field.description }).toEqual({ key, title: text?.title, description: text?.description });
      }
    }
    // Every field of the catalogue is a field of a schema: none is left over from a field removed.
    expect(keys.sort()).toEqual(Object.keys(catalogue.fields).sort());
  });

  it('a French screen gets French titles: fr-CA falls back to fr, an unknown language to English', () => {
    const port = (locale: string) => fieldsOf(settingsJsonSchemas({ locale }).smtpSettings as Schema).get('port')?.description;
    expect(port('fr-CA')).toContain('pour STARTTLS');
    expect(port('de')).toContain('for STARTTLS');
  });

  it('marks secret fields writeOnly at any depth (the Exchange certificate.privateKey too), and no other field', () => {
    const writeOnly = Object.entries(schemas).flatMap(([name, schema]) => [...fieldsOf(schema as Schema)].filter(([, f]) => f.writeOnly).map(([path]) => `${name}.${path}`));
    expect(writeOnly.sort()).toEqual(['exchangeSettings.certificate.pfx', 'exchangeSettings.certificate.pfxPassword', 'exchangeSettings.certificate.privateKey', 'exchangeSettings.clientSecret', 'smtpSettings.password']);
  });

  it('lists the registered providers that fit as enums: batch-capable for the batch provider, interactive for a user, all for the limits', () => {
    const providers = [smtpProvider({ id: 'smtp', settings: { host: 'h', requireAuth: false } }), emlProvider({ id: 'eml', write: false })];
    const withProviders = settingsJsonSchemas({ providers });
    const params = fieldsOf(withProviders.emailParameters as Schema);
    expect((params.get('batchProviderId')?.anyOf ?? []).find((m) => m.enum)?.enum).toEqual(['smtp']);
    expect(params.get('perMinuteLimits')?.propertyNames?.enum).toEqual(['smtp', 'eml']);
    expect(fieldsOf(withProviders.userEmailOptions as Schema).get('providerId')?.enum).toEqual(['smtp', 'eml']);
    expect(settingsJsonSchemas({ providers: [] }).emailParameters).toMatchObject({ properties: { batchProviderId: { anyOf: [{ not: {} }, { type: 'null' }] } } });
  });
});

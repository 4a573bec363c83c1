import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import type { z } from 'zod';
import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';
import { settingsFormats } from '../../src/parameters/settings-formats.js';
import { settingsSchemas } from '../../src/parameters/settings-schemas.js';
import type { ProviderInfo } from '../../src/providers/provider.js';

// A host that validates a settings form with the JSON Schema (ajv, in the browser or on its
// server) must reach mailwright's verdict (zod) on the same input: a value one accepts and the
// other refuses is a form that cannot be saved, or a save that was never checked.

const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;

const PROVIDERS: ProviderInfo[] = [
  { id: 'smtp', kind: 'smtp', displayName: 'SMTP', interactive: true, batch: true, microsoft365: false },
  { id: 'eml', kind: 'eml', displayName: 'Use an email app', interactive: true, batch: false, microsoft365: false },
  { id: 'exchange', kind: 'exchange', displayName: 'Exchange', interactive: false, batch: true, microsoft365: true },
];

/** Values on the edges of the fields' checks, by kind. */
const IDS = ['smtp', 'eml', 'exchange', 'ghost', ' smtp ', '', ' '];
const GUIDS = ['11111111-2222-3333-4444-555555555555', 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', ' aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee ', '1111111-2222-3333-4444-555555555555', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeg'];
const DOMAINS = ['contoso.onmicrosoft.com', 'Contoso.OnMicrosoft.COM', ' contoso.com\t', 'contoso', 'a..b', 'a.b c'];
const AUTHORITIES = ['login.microsoftonline.com', 'LOGIN.MicrosoftOnline.com/', 'https://login.microsoftonline.com', ' HTTPS://login.microsoftonline.com/ ', 'https://login.microsoftonline.us', 'http://login.microsoftonline.com', 'login.microsoftonline.com//'];
const ADDRESSES = ['ana@contoso.com', ' ana@contoso.com ', 'jörg@bücher.example', '"ana smith"@contoso.com', 'ana@contoso', 'ana smith@contoso.com', 'Ana <ana@contoso.com>', 'a@b@c.com', 'ana@[127.0.0.1]', 'x@localhost', 'ana@1.2.3.4', 'ana@contoso.com\n', '@contoso.com', ''];
const KEYS = ['-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----', 'PRIVATE KEY-----', 'private key-----', '', 'MIIB'];
const THUMBPRINTS = ['ab'.repeat(32), 'AB'.repeat(32), ` ${'ab'.repeat(32)} `, 'ab'.repeat(31), 'zz'.repeat(32)];
const LANGUAGES = ['fr', 'fr-CA', 'FR-ca', 'fra', 'f', 'fr_CA', 'fr-', 'zh-Hant-TW', ' fr', ''];
const NAMES = ['Ana Núñez', ' Ana ', 'two\nlines', 'Ana\r', 'Ana \n Núñez', ' ', '', '\uFEFFAna\uFEFF', '\n Ana \n'];
const HOSTS = ['smtp.contoso.com', ' smtp.contoso.com ', '', ' \t', '\uFEFF', 'x'];

const oneOf = <T,>(values: readonly T[]) => fc.constantFrom(...values);
const text = fc.oneof(oneOf([...IDS, ...DOMAINS, ...ADDRESSES, ...NAMES]), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }));
const number = fc.oneof(
  oneOf([0, -0, 1, -1, 1.5, 465, 587, 65_535, 65_536, 30_000, 26_214_400, 36_500, 36_501, 100, 101, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21]),
  fc.integer({ min: -100, max: 70_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
/** A value of any kind: mostly scalars, sometimes an object or an array. */
const anyValue = fc.oneof({ weight: 8, arbitrary: scalar }, { weight: 1, arbitrary: fc.dictionary(oneOf(IDS), scalar, { maxKeys: 3 }) }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) });

/** A field's values: mostly valid ones, sometimes edge values that may not be, sometimes any kind of value. */
const field = (valid: readonly unknown[], edges: readonly unknown[] = []) =>
  fc.oneof({ weight: 10, arbitrary: oneOf(valid) }, { weight: edges.length > 0 ? 3 : 0, arbitrary: oneOf(edges.length > 0 ? edges : valid) }, { weight: 1, arbitrary: anyValue });
const count = (valid: readonly number[], edges: readonly number[]) => fc.oneof({ weight: 12, arbitrary: field(valid, edges) }, { weight: 1, arbitrary: number });

/** An object with some of `fields`, and now and then a field it should not have. */
function settingsObject(fields: Record<string, fc.Arbitrary<unknown>>, requiredKeys: string[] = []) {
  return fc
    .tuple(fc.record(fields, { requiredKeys }), fc.oneof({ weight: 14, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: oneOf(['prot', 'tennant', 'sender']) }), scalar)
    .map(([value, extra, extraValue]) => (extra === null ? value : { ...value, [extra]: extraValue }));
}

const split = (values: readonly string[], valid: (v: string) => boolean) => [values.filter(valid), values.filter((v) => !valid(v))] as const;
const limits = fc.dictionary(fc.oneof({ weight: 6, arbitrary: oneOf(['smtp', 'eml', 'exchange']) }, { weight: 1, arbitrary: oneOf(IDS) }), count([0, 1, 30, 100], [-1, 2.5]), { maxKeys: 3 });
const certificate = fc.oneof(
  settingsObject({ thumbprintSha256: field(THUMBPRINTS.slice(0, 3), THUMBPRINTS.slice(3)), privateKey: field(KEYS.slice(0, 2), KEYS.slice(2)), x5c: field(['chain']) }, ['thumbprintSha256']),
  fc.constant(null),
);
const [goodAddresses, badAddresses] = split(ADDRESSES, (a) => !/contoso$|^ana smith|^Ana <|a@b@c|\n|^@|^$/.test(a));

const CORPORA: Record<keyof ReturnType<typeof settingsSchemas>, fc.Arbitrary<unknown>> = {
  emailParameters: settingsObject({
    batchProviderId: field(['smtp', 'exchange', null], ['eml', 'ghost', ' smtp ', '', ' ']),
    attachmentSizeLimitBytes: count([1, 26_214_400], [0, -1, 1.5]),
    historyRetentionDays: count([0, 30, 36_500], [-1, 36_501]),
    perMinuteLimits: fc.oneof({ weight: 8, arbitrary: limits }, { weight: 1, arbitrary: anyValue }),
    maxDeferrals: count([0, 10], [-1, 0.5]),
    maxAttempts: count([1, 5, 100], [0, 101]),
  }),
  smtpSettings: settingsObject(
    {
      host: field(HOSTS.slice(0, 2), HOSTS.slice(2)),
      port: count([1, 25, 465, 587, 65_535], [0, 65_536, 58.7]),
      requireTls: field([true, false]),
      implicitTls: field([true, false]),
      requireAuth: field([false, false, true]),
      username: field(goodAddresses, ['', ' ']),
      password: field(['S3cret', null], ['', ' ']),
      mailbox: field(goodAddresses, badAddresses),
      connectionTimeoutMs: count([1, 30_000], [0, -5]),
      ca: field(['-----BEGIN CERTIFICATE-----', '']),
      servername: field(['smtp.contoso.com', '']),
    },
    ['host'],
  ),
  exchangeSettings: settingsObject(
    {
      tenantId: field([...GUIDS.slice(0, 3), ...DOMAINS.slice(0, 3)], [...GUIDS.slice(3), ...DOMAINS.slice(3)]),
      clientId: field(GUIDS.slice(0, 3), GUIDS.slice(3)),
      clientSecret: field(['s3cret~value', null], ['', ' ']),
      certificate,
      authorityHost: field(AUTHORITIES.slice(0, 4), AUTHORITIES.slice(4)),
      batchMailbox: field(goodAddresses.filter((a) => !a.includes('"') && !a.includes('[') && !a.includes('localhost')), badAddresses),
      saveToSentItems: field([true, false]),
    },
    ['tenantId', 'clientId'],
  ),
  userEmailOptions: settingsObject({
    senderEmail: field(goodAddresses, badAddresses),
    senderName: field(NAMES.slice(0, 2), NAMES.slice(2)),
    providerId: field(['smtp', 'eml'], ['exchange', 'ghost', ' smtp ', '', ' ']),
    doNotAskAgain: field([true, false]),
    emailNotifications: field([true, false]),
    language: field(LANGUAGES.slice(0, 4), LANGUAGES.slice(4)),
  }),
};

function validators(providers?: ProviderInfo[]) {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  for (const [name, check] of Object.entries(settingsFormats)) ajv.addFormat(name, check);
  const json = settingsJsonSchemas(providers === undefined ? {} : { providers });
  const zod = settingsSchemas(providers);
  return (name: keyof typeof zod, value: unknown) => ({ zod: (zod[name] as z.ZodType).safeParse(value).success, jsonSchema: ajv.validate(json[name], value) });
}

describe.each([
  ['without providers', undefined],
  ['with the registered providers as enums', PROVIDERS],
])('the JSON Schemas give the same verdict as zod (%s), over a generated corpus', (_label, providers) => {
  const verdicts = validators(providers);

  it.each(Object.keys(CORPORA) as (keyof typeof CORPORA)[])('%s', (name) => {
    let accepted = 0;
    fc.assert(
      fc.property(CORPORA[name], (value) => {
        const verdict = verdicts(name, value);
        if (verdict.zod) accepted += 1;
        expect({ value, ...verdict }).toEqual({ value, zod: verdict.jsonSchema, jsonSchema: verdict.jsonSchema });
      }),
      { numRuns: 3000, seed: 2024 },
    );
    // A corpus of refusals only would prove little: it holds values on both sides.
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('the cases of issue 24', () => {
  const verdicts = validators();

  it('an uppercase client id: accepted by both', () => {
    expect(verdicts('exchangeSettings', { tenantId: 'contoso.onmicrosoft.com', clientId: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', clientSecret: 's' })).toEqual({ zod: true, jsonSchema: true });
  });

  it('{ host, username }: the same verdict (accepted: a save keeps the stored password)', () => {
    expect(verdicts('smtpSettings', { host: 'smtp.contoso.com', username: 'mailer@contoso.com' })).toEqual({ zod: true, jsonSchema: true });
    expect(verdicts('smtpSettings', { host: 'smtp.contoso.com' })).toEqual({ zod: false, jsonSchema: false });
  });
});

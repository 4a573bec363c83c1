import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { effectivePerMinuteLimit, effectiveRetentionDays } from '../../src/parameters/email-parameters.js';
import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';
import { EMAIL_PARAMETERS_KEY, ParametersService } from '../../src/parameters/parameters-service.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { emlProvider } from '../../src/providers/eml/eml-provider.js';
import { smtpProvider } from '../../src/providers/smtp/smtp-provider.js';

const providers = [
  smtpProvider({ id: 'smtp', settings: { host: 'mail.contoso.com', requireAuth: false } }),
  smtpProvider({ id: 'o365', settings: { host: 'smtp.office365.com', requireAuth: false } }),
  emlProvider({ id: 'eml', write: false }),
];

describe('email parameters', () => {
  let store: Store;
  let service: ParametersService;

  beforeEach(async () => {
    store = createSqliteStore({ filename: ':memory:' });
    await store.migrate();
    service = new ParametersService({ store, providers: () => providers });
  });
  afterEach(() => store.close());

  it('has the documented defaults', async () => {
    expect(await service.get()).toEqual({
      batchProviderId: null,
      attachmentSizeLimitBytes: 26_214_400,
      historyRetentionDays: 30,
      perMinuteLimits: {},
      maxDeferrals: 10,
      maxAttempts: 5,
    });
  });

  it('retention 0 means the default 30 days, never "keep nothing"', async () => {
    const params = await service.update({ historyRetentionDays: 0 });
    expect(params.historyRetentionDays).toBe(0);
    expect(effectiveRetentionDays(params)).toBe(30);
    expect(effectiveRetentionDays(await service.update({ historyRetentionDays: 90 }))).toBe(90);
  });

  it('Microsoft 365 providers get 30/minute unless set by hand (0 included)', async () => {
    let params = await service.get();
    expect(effectivePerMinuteLimit(params, providers[1]!)).toBe(30);
    expect(effectivePerMinuteLimit(params, providers[0]!)).toBe(0);
    params = await service.update({ perMinuteLimits: { o365: 0, smtp: 45 } });
    expect(effectivePerMinuteLimit(params, providers[1]!)).toBe(0);
    expect(effectivePerMinuteLimit(params, providers[0]!)).toBe(45);
    expect(await service.effective()).toEqual({ historyRetentionDays: 30, perMinuteLimits: { smtp: 45, o365: 0, eml: 0 } });
  });

  it('stored parameters changed outside mailwright: an unknown one is ignored, a bad value is a typed error that update() can correct', async () => {
    await store.putSetting(EMAIL_PARAMETERS_KEY, { maxAttempts: 7, fromANewerVersion: true });
    expect(await service.get()).toMatchObject({ maxAttempts: 7 });
    await store.putSetting(EMAIL_PARAMETERS_KEY, { maxAttempts: 'many', historyRetentionDays: 60 });
    const error = (await service.get().catch((e: unknown) => e)) as MailwrightError;
    expect(error).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, message: expect.stringContaining('The stored email parameters are not valid: maxAttempts:') });
    expect(error.fix).toContain('parameters.update');
    expect(await service.update({ maxAttempts: 4 })).toMatchObject({ maxAttempts: 4, historyRetentionDays: 60 });
    await expect(service.update({ maxAtempts: 4 } as never)).rejects.toMatchObject({ code: ErrorCodes.INVALID_SETTINGS });
  });

  it('persists updates in the store', async () => {
    await service.update({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 1000 });
    const again = new ParametersService({ store, providers: () => providers });
    expect(await again.get()).toMatchObject({ batchProviderId: 'smtp', attachmentSizeLimitBytes: 1000 });
    expect(await store.getSetting(EMAIL_PARAMETERS_KEY)).toMatchObject({ batchProviderId: 'smtp' });
  });

  it('reports every bad field in one typed error and changes nothing', async () => {
    await service.update({ historyRetentionDays: 60 });
    const error = (await service
      .update({
        historyRetentionDays: -1,
        attachmentSizeLimitBytes: 0,
        batchProviderId: 'eml',
        perMinuteLimits: { ghost: 5 },
        maxDeferrals: 1.5,
      } as never)
      .catch((e: unknown) => e)) as MailwrightError;
    expect(error.code).toBe(ErrorCodes.INVALID_SETTINGS);
    const fields = (error.details.issues as { field: string }[]).map((i) => i.field).sort();
    expect(fields).toEqual(['attachmentSizeLimitBytes', 'batchProviderId', 'historyRetentionDays', 'maxDeferrals', 'perMinuteLimits.ghost']);
    for (const field of fields) expect(error.message).toContain(field);
    expect(await service.get()).toMatchObject({ historyRetentionDays: 60, attachmentSizeLimitBytes: 26_214_400, batchProviderId: null });
  });

  it('rejects unknown keys and unknown batch providers', async () => {
    await expect(service.update({ retention: 5 } as never)).rejects.toMatchObject({ code: ErrorCodes.INVALID_SETTINGS });
    await expect(service.update({ batchProviderId: 'nope' })).rejects.toThrow(/No provider "nope"; registered: smtp, o365, eml/);
  });
});

describe('settings JSON Schemas', () => {
  it('describe every settings object, with defaults and write-only passwords', () => {
    const schemas = settingsJsonSchemas();
    expect(Object.keys(schemas)).toEqual(['emailParameters', 'smtpSettings', 'exchangeSettings', 'userEmailOptions']);
    const params = schemas.emailParameters as { properties: Record<string, { default?: unknown }> };
    expect(params.properties.historyRetentionDays?.default).toBe(30);
    expect(params.properties.maxDeferrals?.default).toBe(10);
    const smtp = schemas.smtpSettings as { properties: Record<string, { default?: unknown; writeOnly?: boolean }> };
    expect(smtp.properties.port?.default).toBe(587);
    expect(smtp.properties.password?.writeOnly).toBe(true);
    expect((schemas.userEmailOptions as { properties: Record<string, unknown> }).properties).toHaveProperty('senderEmail');
  });
});

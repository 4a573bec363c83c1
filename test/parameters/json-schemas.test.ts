import { exchangeSettingsSchema } from '../../src/parameters/exchange-settings.js';
import { settingsJsonSchemas } from '../../src/parameters/json-schemas.js';

type Schema = { properties?: Record<string, Schema>; writeOnly?: boolean };

describe('settingsJsonSchemas marks secret fields writeOnly at any depth', () => {
  const schemas = settingsJsonSchemas({ exchangeSettings: exchangeSettingsSchema });
  const exchange = schemas.exchangeSettings as Schema;

  it("the Exchange settings' certificate.privateKey is writeOnly (nested), like clientSecret (top level)", () => {
    expect(exchange.properties?.certificate?.properties?.privateKey?.writeOnly).toBe(true);
    expect(exchange.properties?.clientSecret?.writeOnly).toBe(true);
  });

  it('fields that are not secret are not writeOnly', () => {
    expect(exchange.properties?.certificate?.properties?.thumbprintSha256?.writeOnly).toBeUndefined();
    expect(exchange.properties?.tenantId?.writeOnly).toBeUndefined();
    expect((schemas.smtpSettings as Schema).properties?.username?.writeOnly).toBeUndefined();
    expect((schemas.smtpSettings as Schema).properties?.password?.writeOnly).toBe(true);
  });
});

import type { ExchangeSettingsInput, StoredExchangeSettings } from '../../parameters/exchange-settings.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { Store } from '../../store/store.js';
import { SealedSettingsService } from '../sealed-settings-service.js';
import { describeExchangeSettings, sealExchangeSettings, type ExchangeSettingsView } from './exchange-settings-store.js';

/** Saves and reads stored Exchange settings (`exchangeProvider({ id })`); the credential is stored encrypted. */
export type ExchangeSettingsService = SealedSettingsService<ExchangeSettingsInput, StoredExchangeSettings, ExchangeSettingsView>;

/** Creates the {@link ExchangeSettingsService}. */
export const exchangeSettingsService = (store: Pick<Store, 'getSetting' | 'putSetting'>, secrets: SecretBox): ExchangeSettingsService =>
  new SealedSettingsService(store, secrets, { seal: sealExchangeSettings, describe: describeExchangeSettings });

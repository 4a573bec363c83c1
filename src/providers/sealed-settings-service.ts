import type { SecretBox } from '../secrets/secret-box.js';
import type { Store } from '../store/store.js';

/** Key under which a provider's stored settings live. */
export const providerSettingsKey = (providerId: string): string => `provider:${providerId}`;

/**
 * What a sealed secret of a provider's settings is bound to (its AES-GCM associated data):
 * the settings key and the field, e.g. `provider:smtp#password`.
 */
export const secretBinding = (providerId: string, field: string): string => `${providerSettingsKey(providerId)}#${field}`;

/** How one kind of provider settings is validated, sealed (secrets encrypted) and shown. */
export interface SettingsCodec<Input, Stored, View> {
  /**
   * Validates the input (MW_INVALID_SETTINGS) and encrypts its secrets for storage, bound to
   * the provider's settings. A secret the input leaves out is kept from `previous` (the
   * settings stored before); `null` clears it.
   */
  seal(input: Input, secrets: SecretBox, providerId: string, previous?: Stored): Stored;
  /** The stored settings as shown to people: without their secrets. */
  describe(stored: Stored): View;
}

/**
 * Saves and reads the settings of providers created without inline settings
 * (e.g. `smtpProvider({ id })`, `exchangeProvider({ id })`). Secrets are
 * stored encrypted and never returned.
 */
export class SealedSettingsService<Input, Stored, View> {
  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'putSetting'>,
    private readonly secrets: SecretBox,
    private readonly codec: SettingsCodec<Input, Stored, View>,
  ) {}

  /**
   * Validates (MW_INVALID_SETTINGS listing every bad field), encrypts the secrets and saves,
   * replacing the settings stored before. A secret left out (a password field left blank on
   * a settings screen) keeps the stored one; a secret given as `null` is cleared.
   */
  async save(providerId: string, input: Input): Promise<View> {
    const previous = await this.store.getSetting<Stored>(providerSettingsKey(providerId));
    const sealed = this.codec.seal(input, this.secrets, providerId, previous);
    await this.store.putSetting(providerSettingsKey(providerId), sealed);
    return this.codec.describe(sealed);
  }

  /** The saved settings without their secrets, or undefined. */
  async get(providerId: string): Promise<View | undefined> {
    const stored = await this.store.getSetting<Stored>(providerSettingsKey(providerId));
    return stored === undefined ? undefined : this.codec.describe(stored);
  }
}

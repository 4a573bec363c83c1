import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Provider, ProviderInfo, ProviderRuntime } from './provider.js';
import type { ProviderChoice } from './provider-selection-required.js';

/** The providers registered with one mailwright instance, by id. */
export class ProviderRegistry {
  private readonly byId = new Map<string, Provider>();

  constructor(providers: readonly Provider[], runtime: ProviderRuntime) {
    for (const provider of providers) {
      if (this.byId.has(provider.id)) {
        throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Two providers have the id "${provider.id}": give each provider a unique id.`, {
          details: { issues: [{ field: 'providers', message: `duplicate id ${provider.id}` }] },
        });
      }
      this.byId.set(provider.id, provider);
    }
    for (const provider of providers) provider.init?.(runtime);
  }

  /** The provider with this id; throws MW_PROVIDER_NOT_FOUND naming the registered ids. */
  get(id: string): Provider {
    const provider = this.byId.get(id);
    if (provider === undefined) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_FOUND, `No email provider "${id}". Registered providers: ${[...this.byId.keys()].join(', ') || 'none'}.`, {
        fix: 'Use one of the registered provider ids, or register the provider in createMailwright({ providers }).',
        details: { providerId: id, registered: [...this.byId.keys()] },
      });
    }
    return provider;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every registered provider. */
  all(): readonly Provider[] {
    return [...this.byId.values()];
  }

  /** Static facts of every provider. */
  list(): ProviderInfo[] {
    return [...this.byId.values()].map(({ id, kind, displayName, interactive, batch, microsoft365 }) => ({
      id,
      kind,
      displayName,
      interactive,
      batch,
      microsoft365,
    }));
  }

  /** Providers a user may choose for interactive sending (Exchange hidden from external users). */
  interactiveChoices(external: boolean): ProviderChoice[] {
    return this.list()
      .filter((p) => p.interactive && !(external && p.kind === 'exchange'))
      .map(({ id, kind, displayName }) => ({ id, kind, displayName }));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byId.values()].map((p) => p.close?.()));
  }
}

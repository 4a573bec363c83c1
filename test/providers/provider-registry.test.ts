import { systemClock } from '../../src/clock/clock.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { isMailwrightError } from '../../src/errors/mailwright-error.js';
import { silentLogger } from '../../src/logger.js';
import type { Provider, ProviderRuntime } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/provider-registry.js';

const runtime: ProviderRuntime = {
  clock: systemClock,
  logger: silentLogger,
  secrets: { hasKey: false, encrypt: () => { throw new Error('unused'); }, decrypt: () => { throw new Error('unused'); } },
  settings: { get: async () => undefined },
};

const make = (id: string, kind: string, interactive: boolean, init?: () => void): Provider => ({
  id,
  kind,
  displayName: `Use ${id}`,
  interactive,
  batch: !interactive,
  microsoft365: kind === 'exchange',
  ...(init ? { init } : {}),
  send: async () => {
    throw new Error('unused');
  },
});

describe('ProviderRegistry', () => {
  it('initializes every provider once and lists them', () => {
    let inits = 0;
    const registry = new ProviderRegistry([make('smtp', 'smtp', true, () => (inits += 1)), make('batch', 'smtp', false)], runtime);
    expect(inits).toBe(1);
    expect(registry.list().map((p) => p.id)).toEqual(['smtp', 'batch']);
  });

  it('refuses duplicate ids', () => {
    expect(() => new ProviderRegistry([make('a', 'smtp', true), make('a', 'eml', true)], runtime)).toThrow(/unique id/);
  });

  it('names the registered ids when a provider is unknown', () => {
    const registry = new ProviderRegistry([make('smtp', 'smtp', true)], runtime);
    try {
      registry.get('graph');
      throw new Error('expected an error');
    } catch (error) {
      expect(isMailwrightError(error, ErrorCodes.PROVIDER_NOT_FOUND)).toBe(true);
      expect((error as Error).message).toContain('Registered providers: smtp');
    }
  });

  it('offers interactive choices, without Exchange for external users', () => {
    const registry = new ProviderRegistry([make('eml', 'eml', true), make('exchange', 'exchange', true), make('batch', 'smtp', false)], runtime);
    expect(registry.interactiveChoices(false).map((c) => c.id)).toEqual(['eml', 'exchange']);
    expect(registry.interactiveChoices(true).map((c) => c.id)).toEqual(['eml']);
  });
});

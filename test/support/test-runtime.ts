import { ManualClock } from '../../src/clock/manual-clock.js';
import { silentLogger } from '../../src/logger.js';
import type { ProviderRuntime } from '../../src/providers/provider.js';
import { createSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';

/** A provider runtime with an in-memory settings map, for provider tests. */
export function testRuntime(settings: Map<string, unknown> = new Map(), key = Buffer.alloc(32, 3)): ProviderRuntime {
  return {
    clock: new ManualClock(),
    logger: silentLogger,
    secrets: createSecretBox({ key }),
    settings: { get: async <T>(k: string) => settings.get(k) as T | undefined },
  };
}

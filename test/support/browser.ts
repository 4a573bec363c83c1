import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The Chromium the browser tests drive: Debian's package, or MAILWRIGHT_CHROMIUM. */
export const CHROMIUM = process.env.MAILWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export const browserSkipReason = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;

/** `describe` when Chromium is installed, else `describe.skip` with a console warning naming the missing executable. */
export function describeBrowser(name: string, body: () => void): void {
  if (browserSkipReason !== undefined) {
    console.warn(`${name}: browser tests SKIPPED: ${browserSkipReason}. Install the Debian package chromium, or set MAILWRIGHT_CHROMIUM to a Chromium executable.`);
  }
  (browserSkipReason === undefined ? describe : describe.skip)(name, body);
}

/** A headless Chromium with a fresh profile; `close()` ends the browser and removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'mw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  // A missing element fails the test with what was awaited, well before Jest's own timeout.
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

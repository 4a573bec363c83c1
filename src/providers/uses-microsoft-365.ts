import type { Provider } from './provider.js';

/** Whether a provider sends through Microsoft 365 now: its own answer from current settings, else its static flag. */
export async function usesMicrosoft365(provider: Provider): Promise<boolean> {
  return provider.usesMicrosoft365 === undefined ? provider.microsoft365 : provider.usesMicrosoft365();
}

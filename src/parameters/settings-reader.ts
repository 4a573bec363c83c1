/** Read access to persisted settings, given to providers (e.g. stored SMTP settings). */
export interface SettingsReader {
  /** The setting stored under `key`, or undefined. */
  get<T = unknown>(key: string): Promise<T | undefined>;
}

/** Read access to persisted settings, given to providers (e.g. stored SMTP settings). */
export interface SettingsReader {
  get<T = unknown>(key: string): Promise<T | undefined>;
}

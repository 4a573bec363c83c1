import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Provider } from '../providers/provider.js';
import { usesMicrosoft365 } from '../providers/uses-microsoft-365.js';
import type { Store } from '../store/store.js';
import { effectivePerMinuteLimit, effectiveRetentionDays, emailParametersSchema, emailParametersSchemaFor, type EmailParameters, type EmailParametersInput } from './email-parameters.js';
import { parseSettings, settingsIssues } from './parse-settings.js';

/** Settings key of the email parameters. */
export const EMAIL_PARAMETERS_KEY = 'email-parameters';

/** Dependencies of {@link ParametersService}. */
export interface ParametersServiceDeps {
  store: Pick<Store, 'getSetting' | 'putSetting'>;
  /** The registered providers, to check provider ids and find their limits. */
  providers: () => readonly Provider[];
}

/** The email parameters' values in force, defaults applied (see {@link ParametersService.effective}). */
export interface EffectiveParameters {
  /** Retention in days: `historyRetentionDays`, 0 meaning 30. */
  historyRetentionDays: number;
  /** Each registered provider's per-minute limit: set by hand, else 30 for Microsoft 365, else 0 (none). */
  perMinuteLimits: Record<string, number>;
}

/** Reads and changes the email parameters, persisted in the store. */
export class ParametersService {
  constructor(private readonly deps: ParametersServiceDeps) {}

  /**
   * The current parameters (defaults when none were saved). A parameter this version does not
   * know (saved by a newer one sharing the store) is ignored; a stored value that is not valid
   * (changed by hand) is MW_INVALID_SETTINGS naming it, which `update()` can then correct.
   */
  async get(): Promise<EmailParameters> {
    const parsed = emailParametersSchema.safeParse(await this.stored());
    if (!parsed.success) {
      const issues = settingsIssues(parsed.error, emailParametersSchema);
      throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The stored email parameters are not valid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}.`, {
        fix: `Correct ${issues.map((i) => i.field).join(', ')} with parameters.update({ … }) (or \`mailwright params set KEY VALUE\`).`,
        details: { issues },
      });
    }
    return parsed.data;
  }

  /** The stored parameters, unchecked, without those this version does not know (saved by a newer one). */
  private async stored(): Promise<Partial<EmailParametersInput>> {
    const stored = (await this.deps.store.getSetting<Partial<EmailParametersInput>>(EMAIL_PARAMETERS_KEY)) ?? {};
    return Object.fromEntries(Object.entries(stored).filter(([key]) => key in emailParametersSchema.shape));
  }

  /**
   * The values in force: the retention, and each provider's per-minute limit, with
   * Microsoft 365 told from the settings in force (an SMTP provider's stored host too).
   */
  async effective(): Promise<EffectiveParameters> {
    const params = await this.get();
    const limits = await Promise.all(
      this.deps.providers().map(async (provider) => [provider.id, effectivePerMinuteLimit(params, { id: provider.id, microsoft365: await usesMicrosoft365(provider) })] as const),
    );
    return { historyRetentionDays: effectiveRetentionDays(params), perMinuteLimits: Object.fromEntries(limits) };
  }

  /**
   * Changes some parameters. Every bad field is reported in ONE MW_INVALID_SETTINGS
   * error (`details.issues`: each field's message, keyed by its dotted path), and then
   * nothing is changed. Provider ids are checked against the registered providers.
   */
  async update(patch: Partial<EmailParametersInput>): Promise<EmailParameters> {
    // From what is stored, not from get(): a patch may correct a stored value get() refuses.
    // An unknown parameter in the patch is refused (a typo).
    const merged = { ...(await this.stored()), ...patch };
    const params = parseSettings(emailParametersSchemaFor(this.deps.providers()), merged, 'email parameters');
    await this.deps.store.putSetting(EMAIL_PARAMETERS_KEY, params);
    return params;
  }
}

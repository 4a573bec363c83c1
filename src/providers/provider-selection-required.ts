import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** One provider a user may choose for interactive sending. */
export interface ProviderChoice {
  /** Provider id, to pass back to `send()` as `provider`. */
  id: string;
  /** Implementation family, e.g. "smtp", "exchange", "eml". */
  kind: string;
  /** Label for the choice list. */
  displayName: string;
}

/**
 * Thrown by an interactive `send()` when the user has no provider set
 * ("Email provider ID" blank). Show `choices`; call `send()` again with
 * `provider` (and `rememberChoice: true` for "do not ask again").
 */
export class ProviderSelectionRequired extends MailwrightError {
  /** The providers the user may choose from. */
  readonly choices: ProviderChoice[];

  constructor(userId: string, choices: ProviderChoice[]) {
    super(
      ErrorCodes.PROVIDER_SELECTION_REQUIRED,
      `Choose how to send this email (${choices.map((c) => `"${c.displayName}"`).join(', ')}): user "${userId}" has no email provider set.`,
      {
        permanent: false,
        fix: 'Ask the user to pick one of the choices and send again with { provider }, optionally with rememberChoice: true ("do not ask again").',
        details: { userId, choices },
      },
    );
    this.name = 'ProviderSelectionRequired';
    this.choices = choices;
  }
}

import type { Command } from 'commander';
import { emailParametersSchema, type EmailParametersInput } from '../../parameters/email-parameters.js';
import { invalidSettings } from '../../parameters/parse-settings.js';
import type { CliContext } from '../cli-context.js';

/** Parses a command-line value: JSON when it parses (numbers, null, booleans), else the text. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The keys `params set` takes, from the parameters schema. */
const PARAMETER_KEYS = [...Object.keys(emailParametersSchema.shape).filter((k) => k !== 'perMinuteLimits'), 'perMinuteLimits.<providerId>'].join(' | ');

/** Turns `perMinuteLimits.smtp 45` into a parameters patch; an unknown key is MW_INVALID_SETTINGS listing the known ones. */
export function parameterPatch(key: string, value: string, current: { perMinuteLimits: Record<string, number> }): Partial<EmailParametersInput> {
  const [head, ...rest] = key.split('.');
  if (head === 'perMinuteLimits' && rest.length === 1 && rest[0]) {
    const limits = { ...current.perMinuteLimits };
    if (value === 'auto') delete limits[rest[0]];
    else limits[rest[0]] = parseValue(value) as number;
    return { perMinuteLimits: limits };
  }
  if (rest.length > 0 || head === 'perMinuteLimits' || !Object.hasOwn(emailParametersSchema.shape, key)) {
    throw invalidSettings('email parameters', [{ field: key, message: `not a parameter; use ${PARAMETER_KEYS}` }]);
  }
  return { [key]: parseValue(value) } as Partial<EmailParametersInput>;
}

/** `mailwright params show|set`: read and change the email parameters. */
export function registerParamsCommand(program: Command, ctx: CliContext): void {
  const params = program.command('params').description('Show or change the email parameters');
  params
    .command('show')
    .description('Print the email parameters and the effective values')
    .action(async () => {
      const mailwright = await ctx.open();
      const [current, effective] = await Promise.all([mailwright.parameters.get(), mailwright.parameters.effective()]);
      ctx.io.out(JSON.stringify({ ...current, effective }, null, 2));
    });
  params
    .command('set')
    .description('Change one parameter, e.g. `params set historyRetentionDays 60` or `params set perMinuteLimits.smtp 30` (`auto` restores the default)')
    .argument('<key>', PARAMETER_KEYS)
    .argument('<value>', 'the new value (JSON: numbers, null, strings)')
    .action(async (key: string, value: string) => {
      const mailwright = await ctx.open({ create: true });
      const updated = await mailwright.parameters.update(parameterPatch(key, value, await mailwright.parameters.get()));
      ctx.io.out(JSON.stringify(updated, null, 2));
    });
}

import type { Command } from 'commander';
import type { HistoryQuery } from '../../store/history-query.js';

/** The history filters `history` and `retry --failed` share. */
export interface HistoryFilterFlags {
  sender?: string;
  provider?: string;
  since?: string;
  until?: string;
}

/** Adds `--sender`, `--provider`, `--since` and `--until` to a command. */
export function withHistoryFilters(command: Command): Command {
  return command
    .option('--sender <address>', 'only email from this address (case-insensitive)')
    .option('--provider <id>', 'only email sent with this provider')
    .option('--since <date>', 'created at or after this ISO date/time')
    .option('--until <date>', 'created before this ISO date/time');
}

/** The history query those flags ask for. */
export function historyFilterQuery(flags: HistoryFilterFlags): HistoryQuery {
  return {
    ...(flags.sender ? { sender: flags.sender } : {}),
    ...(flags.provider ? { providerId: flags.provider } : {}),
    ...(flags.since ? { since: flags.since } : {}),
    ...(flags.until ? { until: flags.until } : {}),
  };
}

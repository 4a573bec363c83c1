import { InvalidArgumentError, type Command } from 'commander';
import type { ErrorCode } from '../../errors/error-codes.js';
import type { Mailwright } from '../../mailwright.js';
import type { EmailStatus } from '../../store/email-record.js';
import type { HistoryQuery } from '../../store/history-query.js';
import { ExitCodes } from '../exit-codes.js';

/** The history filters `history`, `retry --failed` and `cancel --waiting` share. */
export interface HistoryFilterFlags {
  sender?: string;
  provider?: string;
  code?: string;
  recipient?: string;
  user?: string;
  subject?: string;
  meta?: Record<string, string>;
  since?: string;
  until?: string;
}

/** `--meta KEY=VALUE`, repeatable: each pair is added; one without `=` is a usage error. */
function collectMeta(pair: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('--meta takes KEY=VALUE, e.g. --meta recordId=CASE-42.');
  return { ...previous, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/** Adds `--sender`, `--provider`, `--code`, `--recipient`, `--user`, `--subject`, `--meta`, `--since` and `--until` to a command. */
export function withHistoryFilters(command: Command): Command {
  return command
    .option('--sender <address>', 'only email from this address (case-insensitive)')
    .option('--provider <id>', 'only email sent with this provider')
    .option('--code <codes>', 'only email whose failure has this code (e.g. MW_SEND_AS_DENIED); comma-separated for several')
    .option('--recipient <text>', 'only email with a recipient whose address contains this text (case-insensitive)')
    .option('--user <id>', 'only email sent for this user id')
    .option('--subject <text>', 'only email whose subject contains this text (case-insensitive)')
    .option('--meta <key=value>', 'only email whose meta has this text value; repeat for several', collectMeta)
    .option('--since <date>', 'created at or after this ISO date/time')
    .option('--until <date>', 'created before this ISO date/time');
}

/** The history query those flags ask for. */
export function historyFilterQuery(flags: HistoryFilterFlags): HistoryQuery {
  return {
    ...(flags.sender ? { sender: flags.sender } : {}),
    ...(flags.provider ? { providerId: flags.provider } : {}),
    ...(flags.code ? { failureCode: flags.code.split(',').map((c) => c.trim()) as ErrorCode[] } : {}),
    ...(flags.recipient ? { recipient: flags.recipient } : {}),
    ...(flags.user ? { userId: flags.user } : {}),
    ...(flags.subject ? { subject: flags.subject } : {}),
    ...(flags.meta !== undefined ? { meta: flags.meta } : {}),
    ...(flags.since ? { since: flags.since } : {}),
    ...(flags.until ? { until: flags.until } : {}),
  };
}

/** How a command that acts on emails (`retry`, `cancel`) is told which. */
export interface EmailSelection {
  /** The ids named on the command line. */
  ids: string[];
  flags: HistoryFilterFlags;
  /** The selection flag (`--failed`, `--waiting`) was given. */
  all: boolean;
  /** Its name, for the usage error. */
  allFlag: string;
  /** What the command does to an email, for the usage error: "queue again", "cancel". */
  verb: string;
  /** The emails the selection flag takes, for the usage error: "failed", "waiting". */
  kind: string;
  /** The statuses it selects. */
  statuses: EmailStatus[];
}

const FILTER_FLAGS = '--sender, --provider, --code, --since and --until';

/** What is wrong with how the emails were named, if anything: a usage error that says what to pass. */
function selectionProblem({ ids, flags, all, allFlag, verb, kind, statuses }: EmailSelection): string | undefined {
  const filtered = Object.keys(historyFilterQuery(flags)).length > 0;
  if (ids.length > 0 && all) return `Name the emails, or pass ${allFlag}, not both.`;
  if (filtered && !all) return `${FILTER_FLAGS} select emails only with ${allFlag}: add ${allFlag}, or name the emails without filters.`;
  if (ids.length === 0 && !all) {
    return `Name the emails to ${verb} (their history ids: \`mailwright history --status ${statuses.join(',')}\`), or pass ${allFlag} for every ${kind} email; ${FILTER_FLAGS} narrow ${allFlag}.`;
  }
  return undefined;
}

/**
 * The ids a command acts on: those named, or, with its selection flag, every email in its
 * statuses that the filters select (read page by page). Either, not both: a usage error.
 */
export async function selectedIds(command: Command, open: () => Promise<Mailwright>, selection: EmailSelection): Promise<string[]> {
  const { ids, flags, all, statuses } = selection;
  const problem = selectionProblem(selection);
  if (problem !== undefined) command.error(problem, { exitCode: ExitCodes.USAGE });
  if (!all) return ids;
  const mailwright = await open();
  const selected: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await mailwright.history.list({ ...historyFilterQuery(flags), status: statuses, limit: 1000, cursor });
    selected.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return selected;
}

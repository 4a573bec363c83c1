import type { FailureDetail } from '../errors/failure-detail.js';

/** A note added to a record: the forwarded body, as sent. */
export interface JournalNote {
  kind: 'note';
  recordId: string;
  /** The history id of the forwarded email. */
  emailId: string;
  text: string;
  /** Forward theme (template) id. */
  themeId: string;
  /** Always false: a forward triggers none of the host's automation rules. */
  triggersAutomation: false;
  at: string;
}

/** A recipient shown in the record's timeline. */
export interface JournalTimelineEntry {
  kind: 'timeline';
  recordId: string;
  emailId: string;
  /** "forwarded to" a recipient, with its role. */
  recipient: { address: string; name?: string; role: 'to' | 'cc' };
  triggersAutomation: false;
  at: string;
}

/** A forward that failed: what went wrong, whether it is retried, and the fix. */
export interface JournalError {
  kind: 'error';
  recordId: string;
  emailId: string;
  themeId: string;
  failure: FailureDetail;
  /** The email's main headers as composed (From, To, Cc, Subject and the anti-loop headers). */
  headers: Record<string, string>;
  /** "will not be retried" (permanent) or "temporary: forward again later". */
  retry: string;
  triggersAutomation: false;
  at: string;
}

/** One entry of a record's journal. */
export type JournalEntry = JournalNote | JournalTimelineEntry | JournalError;

/**
 * Where forwarding writes to the record: the host implements it over its notes
 * and timeline. mailwright never runs the host's automation rules for these
 * entries (every entry says `triggersAutomation: false`).
 */
export interface RecordJournal {
  append(entry: JournalEntry): Promise<void>;
}

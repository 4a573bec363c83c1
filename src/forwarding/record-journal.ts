import type { FailureDetail } from '../errors/failure-detail.js';

/** A note added to a record: the forwarded body, as sent. */
export interface JournalNote {
  /** Discriminant: a note. */
  kind: 'note';
  /** The id of the record the note is added to. */
  recordId: string;
  /** The history id of the forwarded email. */
  emailId: string;
  /** The forwarded body as sent (its text, else its HTML). */
  text: string;
  /** Forward theme (template) id. */
  themeId: string;
  /** Always false: a forward triggers none of the host's automation rules. */
  triggersAutomation: false;
  /** When it was written, ISO 8601 UTC. */
  at: string;
}

/** A recipient shown in the record's timeline. */
export interface JournalTimelineEntry {
  /** Discriminant: a timeline entry. */
  kind: 'timeline';
  /** The id of the record whose timeline it is. */
  recordId: string;
  /** The history id of the forwarded email. */
  emailId: string;
  /** "forwarded to" a recipient, with its role. */
  recipient: { address: string; name?: string; role: 'to' | 'cc' };
  /** Always false: a forward triggers none of the host's automation rules. */
  triggersAutomation: false;
  /** When it was written, ISO 8601 UTC. */
  at: string;
}

/** A forward that failed: what went wrong, whether it is retried, and the fix. */
export interface JournalError {
  /** Discriminant: a failed forward. */
  kind: 'error';
  /** The id of the record that was forwarded. */
  recordId: string;
  /** The history id of the failed email. */
  emailId: string;
  /** Forward theme (template) id. */
  themeId: string;
  /** The classified failure: explanation, fix and protocol evidence. */
  failure: FailureDetail;
  /** The email's main headers as composed (From, To, Cc, Subject and the anti-loop headers). */
  headers: Record<string, string>;
  /** Which attempt failed: 1 is the forward itself, the next ones the queue's. */
  attempt: number;
  /**
   * What happens next: "will not be retried" (permanent), "temporary failure: tried again
   * through the queue …", or why a temporary failure is not tried again.
   */
  retry: string;
  /** The queued email that makes the next attempts, when the first one is tried again through the queue. */
  retryEmailId?: string;
  /** Always false: a forward triggers none of the host's automation rules. */
  triggersAutomation: false;
  /** When it was written, ISO 8601 UTC. */
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
  /** Writes one entry (note, timeline entry or error) to its record. */
  append(entry: JournalEntry): Promise<void>;
}

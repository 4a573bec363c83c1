import type { ColumnType } from 'kysely';

/**
 * An epoch-millisecond column (SQLite INTEGER, PostgreSQL BIGINT). node-postgres
 * returns BIGINT as a string, so reads are `number | string` and go through `Number()`.
 */
export type MillisColumn = ColumnType<number | string, number, number>;

/** A nullable epoch-millisecond column. */
export type NullableMillisColumn = ColumnType<number | string | null, number | null, number | null>;

/** Row of the `emails` table: filter/sort columns, the rest as text and JSON text. */
export interface EmailsTable {
  id: string;
  status: string;
  mode: string;
  provider_id: string | null;
  message_id: string;
  /** From as sent, formatted `Name <address>`. */
  from_formatted: string;
  /** Lower-cased From address. */
  sender_address: string;
  sender_formatted: string | null;
  user_id: string | null;
  subject: string;
  size_bytes: number;
  attempts: number;
  deferrals: number;
  /** 0 or 1 (an integer in both databases, so the query code is shared). */
  forced: number;
  priority: number;
  due_at_ms: MillisColumn;
  idempotency_key: string | null;
  created_at_ms: MillisColumn;
  updated_at_ms: MillisColumn;
  sent_at_ms: NullableMillisColumn;
  lease_owner: string | null;
  lease_expires_at_ms: NullableMillisColumn;
  blocked_reason: string | null;
  response: string | null;
  provider_message_id: string | null;
  export_path: string | null;
  recipients_json: string;
  failure_json: string | null;
  meta_json: string;
  /** When the email's last counted throttle deferral began (see throttle.ts), or NULL. */
  deferred_at_ms: NullableMillisColumn;
  /** 0 or 1: an earlier attempt may have delivered the email. */
  possible_duplicate: number;
  /** The email's attempts as JSON Lines, in order (see attempt-log.ts); read only by `listAttempts`. */
  attempt_log: string | null;
}

/**
 * Row of `email_payloads`: the serialized message of an email that is not final yet
 * (read only by the distributor). A table of its own, so that the status updates of
 * an email never rewrite a large message; removed when the email becomes final.
 */
export interface EmailPayloadsTable {
  email_id: string;
  payload: string;
}

/** Row of `settings`: a JSON value per key. */
export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at_ms: MillisColumn;
}

/** The store's tables, as Kysely sees them. */
export interface StoreDatabase {
  emails: EmailsTable;
  email_payloads: EmailPayloadsTable;
  settings: SettingsTable;
}

/** The `emails` columns a record is made of: every column but the attempt log and the throttle's `deferred_at_ms`. */
export const EMAIL_COLUMNS = [
  'id', 'status', 'mode', 'provider_id', 'message_id', 'from_formatted', 'sender_address', 'sender_formatted', 'user_id',
  'subject', 'size_bytes', 'attempts', 'deferrals', 'forced', 'priority', 'due_at_ms', 'idempotency_key', 'created_at_ms',
  'updated_at_ms', 'sent_at_ms', 'lease_owner', 'lease_expires_at_ms', 'blocked_reason', 'response', 'provider_message_id',
  'export_path', 'recipients_json', 'failure_json', 'meta_json', 'possible_duplicate',
] as const satisfies readonly Exclude<keyof EmailsTable, 'attempt_log'>[];

/** A selected `emails` row (the {@link EMAIL_COLUMNS}). */
export type EmailRow = {
  [K in (typeof EMAIL_COLUMNS)[number]]: EmailsTable[K] extends ColumnType<infer S, unknown, unknown> ? S : EmailsTable[K];
};

/** An `emails` row as written (every column, times as numbers). */
export type NewEmailRow = {
  [K in keyof EmailsTable]: EmailsTable[K] extends ColumnType<unknown, infer I, unknown> ? I : EmailsTable[K];
};

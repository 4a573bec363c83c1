import type { ColumnType, Generated } from 'kysely';

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
}

/** Row of `email_payloads`: the serialized message, deleted with its email. */
export interface EmailPayloadsTable {
  email_id: string;
  payload: string;
}

/** Row of `attempts`: one delivery attempt; `seq` keeps append order. */
export interface AttemptsTable {
  seq: Generated<number | string>;
  email_id: string;
  attempt: number;
  provider_id: string;
  started_at_ms: MillisColumn;
  finished_at_ms: MillisColumn;
  outcome: string;
  failure_json: string | null;
  transcript: string | null;
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
  attempts: AttemptsTable;
  settings: SettingsTable;
}

/** A selected `emails` row. */
export type EmailRow = {
  [K in keyof EmailsTable]: EmailsTable[K] extends ColumnType<infer S, unknown, unknown> ? S : EmailsTable[K];
};

/** An `emails` row as written (every column, times as numbers). */
export type NewEmailRow = {
  [K in keyof EmailsTable]: EmailsTable[K] extends ColumnType<unknown, infer I, unknown> ? I : EmailsTable[K];
};

import { MAX_UNFOLDABLE_RUN } from '../../message/unfoldable-run.js';
import { MESSAGE_ID } from '../../message/message-id.js';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is cleaned out
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;
/** A run of printable ASCII too long for a folded header line is broken every this many characters. */
const BREAK_AT = 800;
/** Longest Message-ID kept from a received message (RFC 5322 lines end by 998 characters). */
const MAX_MESSAGE_ID = 250;
/** Most Message-IDs kept in References: the latest, as RFC 5322 advises when trimming. */
const MAX_REFERENCES = 50;
/** Longest attachment file name kept, extension included. */
const MAX_FILENAME = 200;

/**
 * Received header text (a subject, a display name) as mailwright can write it again:
 * each run of control characters (CR, LF, NUL, DEL, C1…) becomes one space, and a run of
 * printable ASCII too long to fold gets a space every 800 characters. A hostile value is
 * cleaned, not a reason to fail the forward.
 */
export function cleanHeaderText(value: string): string {
  const spaced = value.replace(CONTROLS, ' ');
  return spaced.replace(new RegExp(`[\\x21-\\x7e]{${MAX_UNFOLDABLE_RUN + 1},}`, 'g'), (run) => run.match(new RegExp(`.{1,${BREAK_AT}}`, 'g'))!.join(' '));
}

/** A received Message-ID mailwright writes again: `<id@domain>`, at most 250 characters. */
export const writableMessageId = (value: string | undefined): string | undefined =>
  value !== undefined && value.length <= MAX_MESSAGE_ID && MESSAGE_ID.test(value) ? value : undefined;

/** The writable Message-IDs of In-Reply-To or References text; other tokens are left out. */
export function messageIds(text: string): string[] {
  return (text.match(/<[^<>]*>/g) ?? []).filter((id) => writableMessageId(id) !== undefined);
}

/** `In-Reply-To` (its first Message-ID) and `References` (its last 50), from their received text; empty when none is writable. */
export function threadHeaders(inReplyTo: string, references: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const [parent] = messageIds(inReplyTo);
  if (parent !== undefined) headers['In-Reply-To'] = parent;
  const ids = messageIds(references).slice(-MAX_REFERENCES);
  if (ids.length > 0) headers.References = ids.join(' ');
  return headers;
}

/** A received attachment's file name as mailwright writes it: no path, no control characters, at most 200 characters (extension kept). */
export function cleanFilename(name: string | undefined, fallback: string): string {
  const clean = cleanHeaderText(name ?? '').replace(/[\\/]+/g, '_').trim();
  if (clean === '') return fallback;
  if (clean.length <= MAX_FILENAME) return clean;
  const extension = /\.[A-Za-z0-9]{1,10}$/.exec(clean)?.[0] ?? '';
  return clean.slice(0, MAX_FILENAME - extension.length) + extension;
}

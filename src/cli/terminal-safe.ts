import type { CliIo } from './cli-io.js';

/**
 * Characters a terminal acts on instead of showing: C0 controls but tab and line feed (ESC
 * starts CSI and OSC sequences: colours, a cleared screen, a window title, a hyperlink hiding
 * its target; a CR not followed by LF overwrites the line, while CRLF, the line ending of a
 * CSV export, is kept), DEL, C1 controls (8-bit CSI and OSC), and the Unicode
 * bidirectional marks, embeddings, overrides and isolates that reorder text on screen.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

/**
 * The text with every terminal control character written as a visible `\uXXXX` escape:
 * stored text (an inbound subject, a sender's name, a server's reply) cannot drive the
 * terminal, and an administrator sees what it held. In JSON output the escape is the
 * JSON escape of the same character, so the JSON still reads back exactly.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The CLI's output with {@link terminalSafe} applied to everything written (the progress line's own control codes are added after). */
export function terminalSafeIo(io: CliIo): CliIo {
  return { ...io, out: (text) => io.out(terminalSafe(text)), err: (text) => io.err(terminalSafe(text)), progress: (text) => io.progress(terminalSafe(text)) };
}

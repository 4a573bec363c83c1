import { format } from 'node:util';
import { redactTranscript } from '../../errors/redact.js';

type Entry = { tnx?: string } | undefined;

/** Collects an SMTP session's protocol lines through nodemailer's logger interface. */
export class SmtpTranscript {
  private lines: string[] = [];

  /** A bunyan-compatible logger for SMTPConnection (`debug: true`). */
  readonly logger = {
    level: (): void => undefined,
    trace: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
    debug: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
    info: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
    warn: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
    error: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
    fatal: (entry: Entry, ...args: unknown[]): void => this.add(entry, args),
  };

  private add(entry: Entry, args: unknown[]): void {
    const text = format(...(args as [unknown, ...unknown[]]));
    const prefix = entry?.tnx === 'client' ? 'C: ' : entry?.tnx === 'server' ? 'S: ' : '* ';
    for (const line of text.split(/\r?\n/)) if (line !== '') this.lines.push(prefix + line);
    if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
  }

  /** Adds a note of our own. */
  note(text: string): void {
    this.lines.push(`* ${text}`);
  }

  /** Starts a new message on a reused connection. */
  restart(note: string): void {
    this.lines = [];
    this.note(note);
  }

  /** The transcript with every credential removed. */
  text(secrets: readonly (string | undefined)[]): string {
    return redactTranscript(this.lines.join('\n'), secrets);
  }
}

import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { IssuedToken } from './token-endpoint.js';

/** A file attachment as Exchange ends up holding it. */
export interface ReceivedAttachment {
  name: string;
  contentType?: string;
  bytes: Buffer;
  contentId?: string;
  isInline?: boolean;
}

/** How the From address was allowed: the mailbox itself, Send As, or Send on Behalf (Sender = the mailbox or user). */
export type SentAs = 'self' | 'sendAs' | 'sendOnBehalf';

/** One email Exchange accepted for sending (202). */
export interface SentMail {
  mailbox: string;
  route: 'sendMail' | 'mime' | 'draft';
  token: IssuedToken;
  /** The Graph message JSON (JSON and draft routes). */
  message?: Record<string, unknown>;
  saveToSentItems: boolean;
  attachments: ReceivedAttachment[];
  /** The parsed MIME (MIME route). */
  mime?: ParsedMail;
  internetMessageId: string;
  sentAs: SentAs;
}

/** A draft created with POST /messages and not sent. */
export interface Draft {
  mailbox: string;
  message: Record<string, unknown>;
  attachments: ReceivedAttachment[];
  createdAt: number;
}

/** A message as Outlook lists it: where it is and what it is. */
interface MailboxItem {
  id: string;
  mailbox: string;
  internetMessageId: string;
  createdAt: number;
}

interface InTransit extends MailboxItem {
  submittedAt: number;
  saveToSentItems: boolean;
}

const itemId = (): string => `AAMkAD${randomBytes(24).toString('base64url')}=`;

/**
 * The Drafts and Sent Items folders of every mailbox, as Exchange Online keeps them when it
 * sends ("Outlook things to know about send mail"): an accepted message (202) is saved in
 * Drafts, and moved to Sent Items by transport after a delay (or deleted, without
 * saveToSentItems). Time is the `now` the stand-in is given (the tests' clock).
 */
export class MailboxStore {
  readonly drafts = new Map<string, Draft>();
  readonly deletedDrafts: string[] = [];
  private readonly inTransit = new Map<string, InTransit>();
  private readonly sentItems = new Map<string, MailboxItem>();

  constructor(
    private readonly now: () => number,
    /** Milliseconds between acceptance and the move to Sent Items. */
    public transitDelayMs: number,
  ) {}

  /** The opaque id of a well-known folder of a mailbox. */
  folderId(mailbox: string, folder: 'drafts' | 'sentitems'): string {
    return `AQMk${Buffer.from(`${mailbox.toLowerCase()}/${folder}`).toString('base64url')}AAA=`;
  }

  createDraft(mailbox: string, message: Record<string, unknown>, attachments: ReceivedAttachment[]): string {
    const id = itemId();
    this.drafts.set(id, { mailbox: mailbox.toLowerCase(), message, attachments, createdAt: this.now() });
    return id;
  }

  deleteDraft(id: string): void {
    this.drafts.delete(id);
    this.deletedDrafts.push(id);
  }

  /** A message accepted for sending: in Drafts until transport takes it. */
  submit(mailbox: string, internetMessageId: string, saveToSentItems: boolean, createdAt = this.now()): void {
    const id = itemId();
    this.inTransit.set(id, { id, mailbox: mailbox.toLowerCase(), internetMessageId, createdAt, submittedAt: this.now(), saveToSentItems });
  }

  /** Messages of a mailbox as Graph lists them (Drafts: drafts and messages in transit; Sent Items). */
  list(mailbox: string): Record<string, unknown>[] {
    this.settle();
    const key = mailbox.toLowerCase();
    const view = (item: MailboxItem, folder: 'drafts' | 'sentitems'): Record<string, unknown> => ({
      id: item.id,
      internetMessageId: item.internetMessageId,
      isDraft: folder === 'drafts',
      parentFolderId: this.folderId(key, folder),
      createdDateTime: new Date(item.createdAt).toISOString(),
    });
    const drafts = [...this.drafts].filter(([, d]) => d.mailbox === key).map(([id, d]) => view({ id, mailbox: key, internetMessageId: String(d.message.internetMessageId ?? ''), createdAt: d.createdAt }, 'drafts'));
    const transit = [...this.inTransit.values()].filter((i) => i.mailbox === key).map((i) => view(i, 'drafts'));
    const sent = [...this.sentItems.values()].filter((i) => i.mailbox === key).map((i) => view(i, 'sentitems'));
    return [...drafts, ...transit, ...sent];
  }

  /** Transport takes the messages whose delay has passed: to Sent Items, or deleted. */
  private settle(): void {
    const now = this.now();
    for (const [id, item] of this.inTransit) {
      if (now < item.submittedAt + this.transitDelayMs) continue;
      this.inTransit.delete(id);
      if (item.saveToSentItems) this.sentItems.set(id, item);
    }
  }
}

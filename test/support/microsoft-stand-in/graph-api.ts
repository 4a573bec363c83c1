import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { IssuedToken } from './token-endpoint.js';
import { graphErrorBody, sendEmpty, sendJson, type RecordedRequest } from './wire.js';

const MAX_BODY = 4 * 1024 * 1024;
/** Outlook's MailboxConcurrency limit: concurrent Graph requests one app may have on one mailbox. */
const MAILBOX_CONCURRENCY = 4;
const CHUNK_UNIT = 320 * 1024;

/** A file attachment as Exchange ends up holding it. */
export interface ReceivedAttachment {
  name: string;
  contentType?: string;
  bytes: Buffer;
  contentId?: string;
  isInline?: boolean;
}

/** One email Exchange accepted for sending. */
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
}

/** One `GET …/mailFolders/inbox/messageRules` request, as received. */
export interface InboxRulesRead {
  mailbox: string;
  token: IssuedToken;
  /** The `$skiptoken` of a next page, absent for the first page. */
  skipToken?: string;
}

/** One chunk PUT to an upload session, as received. */
export interface ReceivedChunk {
  start: number;
  end: number;
  total: number;
  length: number;
  authorization: boolean;
}

interface UploadSession {
  mailbox: string;
  draftId: string;
  name: string;
  contentType?: string;
  size: number;
  next: number;
  parts: Buffer[];
  token: string;
  chunks: ReceivedChunk[];
}

interface Draft {
  mailbox: string;
  message: Record<string, unknown>;
  attachments: ReceivedAttachment[];
}

type GraphAttachmentJson = { '@odata.type'?: string; name: string; contentType?: string; contentBytes: string; contentId?: string; isInline?: boolean };

const decodeAttachment = (a: GraphAttachmentJson): ReceivedAttachment => ({
  name: a.name,
  ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
  bytes: Buffer.from(a.contentBytes, 'base64'),
  ...(a.contentId !== undefined ? { contentId: a.contentId, isInline: a.isInline === true } : {}),
});

/**
 * Microsoft Graph's mail endpoints (sendMail with JSON or MIME, drafts,
 * attachments, upload sessions on the Outlook host, send, Sent Items search,
 * Inbox message rules) with Graph's status codes and JSON error bodies. Checks every request the
 * way Exchange Online does: bearer token, mailbox access, body size, chunk
 * ranges.
 */
export class GraphApi {
  readonly sent: SentMail[] = [];
  readonly drafts = new Map<string, Draft>();
  readonly deletedDrafts: string[] = [];
  readonly uploadSessions: UploadSession[] = [];
  /** Largest request body received (bytes). */
  largestBody = 0;
  /** Most requests in progress at once, per mailbox (lower-cased). */
  readonly peakConcurrency = new Map<string, number>();
  /** Requests answered 429 for going over the MailboxConcurrency limit. */
  throttled = 0;
  /** Inbox rules by mailbox (lower-cased), as Graph `messageRule` JSON: see {@link seedInboxRules}. */
  readonly inboxRules = new Map<string, Record<string, unknown>[]>();
  /** Rules per page of messageRules; more are paged with `@odata.nextLink` (`$skiptoken`). */
  inboxRulesPageSize = 100;
  /**
   * The app holds MailboxSettings.Read (Application, admin consent). Without it an
   * app-only token gets 403 ErrorAccessDenied on messageRules, as from Graph; a
   * delegated token (scope Mail.Send only) always does.
   */
  mailboxSettingsReadGranted = true;
  /** Every messageRules request that reached the rules (after token and mailbox checks). */
  readonly inboxRulesReads: InboxRulesRead[] = [];
  private readonly inFlight = new Map<string, number>();
  private gate: Promise<void> | undefined;

  constructor(
    private readonly tokens: Map<string, IssuedToken>,
    private readonly mailboxes: Set<string>,
  ) {}

  /**
   * Holds every mailbox request that arrives from now on (counted as in progress)
   * until the returned function is called, so that a test controls how sends overlap.
   */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  /** Mailbox requests in progress now for a mailbox. */
  inProgress(mailbox: string): number {
    return this.inFlight.get(mailbox.toLowerCase()) ?? 0;
  }

  /** Gives a mailbox these inbox rules (Graph `messageRule` JSON, in sequence order), replacing any before. */
  seedInboxRules(mailbox: string, rules: Record<string, unknown>[]): void {
    this.inboxRules.set(mailbox.toLowerCase(), rules);
  }

  async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    this.largestBody = Math.max(this.largestBody, req.body.length);
    if (req.host === 'outlook.office.com') return this.upload(req, res);
    if (req.body.length > MAX_BODY) {
      sendJson(res, 413, graphErrorBody('RequestEntityTooLarge', 'The maximum request length supported is 4MB.'));
      return;
    }
    const token = this.authenticate(req, res);
    if (token === undefined) return;
    const match = /^\/v1\.0\/users\/([^/]+)(\/.*)$/.exec(req.path);
    if (match === null) {
      sendJson(res, 400, graphErrorBody('BadRequest', `Resource not found for the segment '${req.path}'.`));
      return;
    }
    const mailbox = decodeURIComponent(match[1] as string);
    const rest = match[2] as string;
    if (!this.mailboxAllowed(mailbox, token, res)) return;
    // Like Outlook: a fifth concurrent request on one mailbox is throttled.
    const key = mailbox.toLowerCase();
    const inFlight = this.inFlight.get(key) ?? 0;
    if (inFlight >= MAILBOX_CONCURRENCY) {
      this.throttled += 1;
      sendJson(res, 429, graphErrorBody('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'), { 'Retry-After': '1' });
      return;
    }
    this.inFlight.set(key, inFlight + 1);
    this.peakConcurrency.set(key, Math.max(this.peakConcurrency.get(key) ?? 0, inFlight + 1));
    try {
      await this.gate;
      await this.mailboxRequest(mailbox, rest, token, req, res);
    } finally {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    }
  }

  private async mailboxRequest(mailbox: string, rest: string, token: IssuedToken, req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (req.method === 'POST' && rest === '/sendMail') return this.sendMail(mailbox, token, req, res);
    if (req.method === 'POST' && rest === '/messages') return this.createDraft(mailbox, req, res);
    if (req.method === 'GET' && rest === '/mailFolders/sentitems/messages') return this.searchSent(mailbox, req, res);
    if (req.method === 'GET' && rest.toLowerCase() === '/mailfolders/inbox/messagerules') return this.messageRules(mailbox, token, req, res);
    const draftMatch = /^\/messages\/([^/]+)(\/.*)?$/.exec(rest);
    const draftId = draftMatch === null ? undefined : decodeURIComponent(draftMatch[1] as string);
    const draft = draftId === undefined ? undefined : this.drafts.get(draftId);
    if (draftId === undefined || draft === undefined || draft.mailbox !== mailbox.toLowerCase()) {
      sendJson(res, 404, graphErrorBody('ErrorItemNotFound', 'The specified object was not found in the store.'));
      return;
    }
    const action = draftMatch?.[2] ?? '';
    if (req.method === 'DELETE' && action === '') {
      this.drafts.delete(draftId);
      this.deletedDrafts.push(draftId);
      sendEmpty(res, 204);
    } else if (req.method === 'POST' && action === '/attachments') {
      draft.attachments.push(decodeAttachment(JSON.parse(req.body.toString('utf8')) as GraphAttachmentJson));
      sendJson(res, 201, { id: `att-${draft.attachments.length}` });
    } else if (req.method === 'POST' && action === '/attachments/createUploadSession') {
      this.createUploadSession(mailbox, draftId, req, res);
    } else if (req.method === 'POST' && action === '/send') {
      this.drafts.delete(draftId);
      this.sent.push({
        mailbox,
        route: 'draft',
        token,
        message: draft.message,
        saveToSentItems: true,
        attachments: draft.attachments,
        internetMessageId: String(draft.message.internetMessageId),
      });
      sendEmpty(res, 202);
    } else {
      sendJson(res, 405, graphErrorBody('ErrorInvalidRequest', `The OData request is not supported: ${req.method} ${rest}`));
    }
  }

  private authenticate(req: RecordedRequest, res: ServerResponse): IssuedToken | undefined {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (token === undefined || token.expiresAt < Date.now()) {
      sendJson(res, 401, graphErrorBody('InvalidAuthenticationToken', bearer === undefined ? 'Access token is empty.' : 'Access token has expired or is not yet valid.'));
      return undefined;
    }
    return token;
  }

  private mailboxAllowed(mailbox: string, token: IssuedToken, res: ServerResponse): boolean {
    if (!this.mailboxes.has(mailbox.toLowerCase())) {
      sendJson(res, 404, graphErrorBody('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`));
      return false;
    }
    if (token.kind === 'delegated' && token.upn?.toLowerCase() !== mailbox.toLowerCase()) {
      sendJson(res, 403, graphErrorBody('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
      return false;
    }
    return true;
  }

  private async sendMail(mailbox: string, token: IssuedToken, req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (String(req.headers['content-type']).startsWith('text/plain')) {
      const mime = await simpleParser(Buffer.from(req.body.toString('ascii'), 'base64'));
      this.sent.push({
        mailbox,
        route: 'mime',
        token,
        mime,
        saveToSentItems: true,
        attachments: mime.attachments.map((a) => ({ name: a.filename ?? '', contentType: a.contentType, bytes: a.content })),
        internetMessageId: mime.messageId ?? '',
      });
      sendEmpty(res, 202);
      return;
    }
    const body = JSON.parse(req.body.toString('utf8')) as { message?: Record<string, unknown>; saveToSentItems?: boolean };
    const message = body.message;
    if (message === undefined || !Array.isArray(message.toRecipients) || typeof message.subject !== 'string') {
      sendJson(res, 400, graphErrorBody('ErrorInvalidRecipients', 'At least one recipient is not valid.'));
      return;
    }
    const attachments = ((message.attachments ?? []) as GraphAttachmentJson[]).map(decodeAttachment);
    this.sent.push({
      mailbox,
      route: 'sendMail',
      token,
      message,
      saveToSentItems: body.saveToSentItems !== false,
      attachments,
      internetMessageId: String(message.internetMessageId),
    });
    sendEmpty(res, 202);
  }

  private createDraft(mailbox: string, req: RecordedRequest, res: ServerResponse): void {
    const message = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    const id = `AAMkAD${randomBytes(24).toString('base64url')}=`;
    this.drafts.set(id, {
      mailbox: mailbox.toLowerCase(),
      message,
      attachments: ((message.attachments ?? []) as GraphAttachmentJson[]).map(decodeAttachment),
    });
    sendJson(res, 201, { ...message, id, isDraft: true });
  }

  private searchSent(mailbox: string, req: RecordedRequest, res: ServerResponse): void {
    const wanted = /internetMessageId eq '(.*)'$/.exec(req.query.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
    const found = this.sent.filter((s) => s.mailbox.toLowerCase() === mailbox.toLowerCase() && s.saveToSentItems && s.internetMessageId === wanted);
    sendJson(res, 200, { value: found.map((s, i) => ({ id: `sent-${i}`, internetMessageId: s.internetMessageId })) });
  }

  private messageRules(mailbox: string, token: IssuedToken, req: RecordedRequest, res: ServerResponse): void {
    if (token.kind !== 'app' || !this.mailboxSettingsReadGranted) {
      sendJson(res, 403, graphErrorBody('ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
      return;
    }
    const skipToken = req.query.get('$skiptoken') ?? undefined;
    this.inboxRulesReads.push({ mailbox, token, ...(skipToken !== undefined ? { skipToken } : {}) });
    const start = skipToken === undefined ? 0 : Number(Buffer.from(skipToken, 'base64url').toString('utf8').replace(/^offset=/, ''));
    if (!Number.isInteger(start) || start < 0) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidUrlQuery', 'The value of $skiptoken is not valid.'));
      return;
    }
    const rules = this.inboxRules.get(mailbox.toLowerCase()) ?? [];
    const end = start + this.inboxRulesPageSize;
    const resource = `https://graph.microsoft.com/v1.0/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messageRules`;
    sendJson(res, 200, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/mailFolders('inbox')/messageRules`,
      value: rules.slice(start, end),
      ...(end < rules.length ? { '@odata.nextLink': `${resource}?$skiptoken=${Buffer.from(`offset=${end}`).toString('base64url')}` } : {}),
    });
  }

  private createUploadSession(mailbox: string, draftId: string, req: RecordedRequest, res: ServerResponse): void {
    const item = (JSON.parse(req.body.toString('utf8')) as { AttachmentItem: { attachmentType: string; name: string; size: number; contentType?: string } }).AttachmentItem;
    if (item?.attachmentType !== 'file' || !(item.size > 0)) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidRequest', 'AttachmentItem with attachmentType file and size is required.'));
      return;
    }
    const session: UploadSession = {
      mailbox,
      draftId,
      name: item.name,
      ...(item.contentType !== undefined ? { contentType: item.contentType } : {}),
      size: item.size,
      next: 0,
      parts: [],
      token: randomBytes(16).toString('hex'),
      chunks: [],
    };
    this.uploadSessions.push(session);
    const index = this.uploadSessions.length - 1;
    sendJson(res, 201, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession',
      uploadUrl: `https://outlook.office.com/api/v2.0/Users('${mailbox}')/Messages('${draftId}')/AttachmentSessions('${index}')?authtoken=${session.token}`,
      expirationDateTime: new Date(Date.now() + 15 * 60_000).toISOString(),
      nextExpectedRanges: ['0-'],
    });
  }

  private upload(req: RecordedRequest, res: ServerResponse): void {
    const index = /AttachmentSessions\('(\d+)'\)$/.exec(req.path)?.[1];
    const session = index === undefined ? undefined : this.uploadSessions[Number(index)];
    if (session === undefined || req.query.get('authtoken') !== session.token) {
      sendJson(res, 401, graphErrorBody('InvalidAuthenticationToken', 'The upload session token is not valid.'));
      return;
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    const [start, end, total] = range === null ? [NaN, NaN, NaN] : [Number(range[1]), Number(range[2]), Number(range[3])];
    const chunk: ReceivedChunk = { start, end, total, length: req.body.length, authorization: req.headers.authorization !== undefined };
    session.chunks.push(chunk);
    const last = end + 1 === session.size;
    const problem =
      range === null
        ? 'Content-Range is missing or malformed'
        : chunk.authorization
          ? 'An Authorization header must not be sent to the upload URL'
          : start !== session.next
            ? `Expected the range to start at ${session.next}`
            : total !== session.size
              ? `The total ${total} does not match the session size ${session.size}`
              : req.body.length !== end - start + 1
                ? 'The body length does not match Content-Range'
                : req.body.length > MAX_BODY
                  ? 'A chunk must be at most 4 MB'
                  : !last && req.body.length % CHUNK_UNIT !== 0
                    ? 'Chunks other than the last must be a multiple of 320 KiB'
                    : undefined;
    if (problem !== undefined) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidRequest', problem));
      return;
    }
    session.parts.push(req.body);
    session.next = end + 1;
    if (!last) {
      sendJson(res, 200, {
        '@odata.context': 'https://outlook.office.com/api/v2.0/$metadata#Microsoft.OutlookServices.UploadSession',
        ExpirationDateTime: new Date(Date.now() + 15 * 60_000).toISOString(),
        NextExpectedRanges: [String(session.next)],
      });
      return;
    }
    this.drafts.get(session.draftId)?.attachments.push({
      name: session.name,
      ...(session.contentType !== undefined ? { contentType: session.contentType } : {}),
      bytes: Buffer.concat(session.parts),
    });
    sendEmpty(res, 201, { location: `https://outlook.office.com/api/v2.0/Users('${session.mailbox}')/Messages('${session.draftId}')/Attachments('${index}')` });
  }
}

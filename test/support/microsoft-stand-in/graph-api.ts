import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import { STAND_IN_CLOUDS, type StandInCloud } from './clouds.js';
import { permitted, type GraphOperation } from './graph-permissions.js';
import { MailboxStore, type ReceivedAttachment, type SentAs, type SentMail } from './mailbox-store.js';
import { parseODataFilter } from './odata-filter.js';
import type { IssuedToken } from './token-endpoint.js';
import { graphErrorBody, sendEmpty, sendJson, type RecordedRequest } from './wire.js';

export type { ReceivedAttachment, SentMail } from './mailbox-store.js';

/** Largest request body Graph takes (4 MB). */
const MAX_BODY = 4 * 1024 * 1024;
/** Outlook's MailboxConcurrency limit: concurrent Graph requests one app may have on one mailbox. */
const MAILBOX_CONCURRENCY = 4;
/** Smallest file an upload session takes (ErrorAttachmentSizeShouldNotBeLessThanMinimumSize below "3 MB"). */
const MIN_UPLOAD_SESSION_BYTES = 3_000_000;
/** Most custom headers one message may carry (InvalidInternetMessageHeaderCollection). */
const MAX_INTERNET_MESSAGE_HEADERS = 5;
const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';
const SEND_AS_DENIED = 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account. Cannot submit message.';

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

/** Options of {@link GraphApi}. */
export interface GraphApiOptions {
  /** Mailboxes that exist in Exchange Online. */
  mailboxes: string[];
  /** The cloud whose Graph this is. @default 'global' */
  cloud?: StandInCloud;
  /** The mailboxes' clock (Drafts → Sent Items, request windows). @default Date.now */
  now?: () => number;
  /** Milliseconds an accepted message stays in Drafts before it is in Sent Items. @default 5000 */
  transitDelayMs?: number;
}

type GraphAttachmentJson = { '@odata.type'?: string; name: string; contentType?: string; contentBytes: string; contentId?: string; isInline?: boolean };

const decodeAttachment = (a: GraphAttachmentJson): ReceivedAttachment => ({
  name: a.name,
  ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
  bytes: Buffer.from(a.contentBytes, 'base64'),
  ...(a.contentId !== undefined ? { contentId: a.contentId, isInline: a.isInline === true } : {}),
});

const lower = (s: string): string => s.toLowerCase();

/**
 * Microsoft Graph's mail endpoints (sendMail with JSON or MIME, drafts, attachments, upload
 * sessions on the Outlook host, send, message search, mail folders, Inbox message rules) with
 * Graph's status codes and JSON error bodies, as strict as Exchange Online: the token's
 * audience, `roles` (app) or `scp` (delegated) per endpoint, an application access policy,
 * Send As / Send on Behalf / Full Access grants, at most 5 custom headers, 4 MB per request,
 * upload ranges as Outlook takes them, 4 concurrent requests and 10,000 requests per 10
 * minutes per mailbox, and accepted messages in Drafts until transport moves them to Sent Items.
 */
export class GraphApi {
  readonly sent: SentMail[] = [];
  readonly store: MailboxStore;
  readonly uploadSessions: UploadSession[] = [];
  /** Largest request body received (bytes). */
  largestBody = 0;
  /** Most requests in progress at once, per mailbox (lower-cased). */
  readonly peakConcurrency = new Map<string, number>();
  /** Requests answered 429 for going over the MailboxConcurrency limit. */
  throttled = 0;
  /** Requests one app may make on one mailbox per window (Outlook: 10,000 per 10 minutes). */
  requestLimit = 10_000;
  requestWindowMs = 10 * 60_000;
  /** Inbox rules by mailbox (lower-cased), as Graph `messageRule` JSON: see {@link seedInboxRules}. */
  readonly inboxRules = new Map<string, Record<string, unknown>[]>();
  /** Rules per page of messageRules; more are paged with `@odata.nextLink` (`$skiptoken`). */
  inboxRulesPageSize = 100;
  /** Every messageRules request that reached the rules (after token and mailbox checks). */
  readonly inboxRulesReads: InboxRulesRead[] = [];
  /**
   * The mailboxes an application access policy (or RBAC for Applications scope) lets app-only
   * tokens reach; `undefined` = no policy, every mailbox.
   */
  appAccessScope: Set<string> | undefined;
  readonly host: string;
  readonly outlookHost: string;
  private readonly mailboxes: Set<string>;
  private readonly sendAs = new Set<string>();
  private readonly sendOnBehalf = new Set<string>();
  private readonly fullAccess = new Set<string>();
  private readonly requestTimes = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly now: () => number;
  private gate: Promise<void> | undefined;

  constructor(
    private readonly tokens: Map<string, IssuedToken>,
    options: GraphApiOptions,
  ) {
    const cloud = STAND_IN_CLOUDS[options.cloud ?? 'global'];
    this.host = cloud.graph;
    this.outlookHost = cloud.outlook;
    this.mailboxes = new Set(options.mailboxes.map(lower));
    this.now = options.now ?? Date.now;
    this.store = new MailboxStore(this.now, options.transitDelayMs ?? 5000);
  }

  /** Unsent drafts by id. */
  get drafts(): MailboxStore['drafts'] {
    return this.store.drafts;
  }

  /** Ids of drafts deleted with DELETE. */
  get deletedDrafts(): string[] {
    return this.store.deletedDrafts;
  }

  /** Grants `trustee` (a mailbox or user) Send As on `address`. */
  grantSendAs(trustee: string, address: string): void {
    this.sendAs.add(`${lower(trustee)}>${lower(address)}`);
  }

  /** Grants `trustee` Send on Behalf of `address`. */
  grantSendOnBehalf(trustee: string, address: string): void {
    this.sendOnBehalf.add(`${lower(trustee)}>${lower(address)}`);
  }

  /** Grants `user` Full Access to `mailbox` (needed to act in another user's mailbox with a delegated token). */
  grantFullAccess(user: string, mailbox: string): void {
    this.fullAccess.add(`${lower(user)}>${lower(mailbox)}`);
  }

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
    return this.inFlight.get(lower(mailbox)) ?? 0;
  }

  /** Gives a mailbox these inbox rules (Graph `messageRule` JSON, in sequence order), replacing any before. */
  seedInboxRules(mailbox: string, rules: Record<string, unknown>[]): void {
    this.inboxRules.set(lower(mailbox), rules);
  }

  async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    this.largestBody = Math.max(this.largestBody, req.body.length);
    if (req.host === this.outlookHost) return this.upload(req, res);
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
    const key = lower(mailbox);
    if (!this.withinRequestLimit(key, res)) return;
    // Like Outlook: a fifth concurrent request on one mailbox is throttled.
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
    const allowed = (operation: GraphOperation): boolean => {
      if (permitted(token, mailbox, operation)) return true;
      sendJson(res, 403, graphErrorBody('ErrorAccessDenied', ACCESS_DENIED));
      return false;
    };
    const lowerRest = lower(rest);
    if (req.method === 'POST' && rest === '/sendMail') return allowed('send') ? this.sendMail(mailbox, token, req, res) : undefined;
    if (req.method === 'POST' && rest === '/messages') return allowed('write') ? this.createDraft(mailbox, req, res) : undefined;
    if (req.method === 'GET' && rest === '/messages') return allowed('read') ? this.listMessages(mailbox, req, res, () => true) : undefined;
    if (req.method === 'GET' && (lowerRest === '/mailfolders/sentitems/messages' || lowerRest === '/mailfolders/drafts/messages')) {
      const folder = this.store.folderId(mailbox, lowerRest.includes('sentitems') ? 'sentitems' : 'drafts');
      return allowed('read') ? this.listMessages(mailbox, req, res, (item) => item.parentFolderId === folder) : undefined;
    }
    const folderMatch = /^\/mailfolders\/(drafts|sentitems)$/.exec(lowerRest);
    if (req.method === 'GET' && folderMatch !== null) {
      if (!allowed('read')) return;
      const name = folderMatch[1] as 'drafts' | 'sentitems';
      sendJson(res, 200, { id: this.store.folderId(mailbox, name), displayName: name === 'drafts' ? 'Drafts' : 'Sent Items' });
      return;
    }
    if (req.method === 'GET' && lowerRest === '/mailfolders/inbox/messagerules') return allowed('rules') ? this.messageRules(mailbox, token, req, res) : undefined;
    const draftMatch = /^\/messages\/([^/]+)(\/.*)?$/.exec(rest);
    const draftId = draftMatch === null ? undefined : decodeURIComponent(draftMatch[1] as string);
    const action = draftMatch?.[2] ?? '';
    if (!allowed(req.method === 'POST' && action === '/send' ? 'send' : 'write')) return;
    const draft = draftId === undefined ? undefined : this.drafts.get(draftId);
    if (draftId === undefined || draft === undefined || draft.mailbox !== lower(mailbox)) {
      sendJson(res, 404, graphErrorBody('ErrorItemNotFound', 'The specified object was not found in the store.'));
      return;
    }
    if (req.method === 'DELETE' && action === '') {
      this.store.deleteDraft(draftId);
      sendEmpty(res, 204);
    } else if (req.method === 'POST' && action === '/attachments') {
      draft.attachments.push(decodeAttachment(JSON.parse(req.body.toString('utf8')) as GraphAttachmentJson));
      sendJson(res, 201, { id: `att-${draft.attachments.length}` });
    } else if (req.method === 'POST' && action === '/attachments/createUploadSession') {
      this.createUploadSession(mailbox, draftId, req, res);
    } else if (req.method === 'POST' && action === '/send') {
      const sentAs = this.sendingRight(mailbox, token, addressOf(draft.message.from), res);
      if (sentAs === undefined) return;
      this.drafts.delete(draftId);
      const internetMessageId = String(draft.message.internetMessageId);
      // A draft's send saves it in Sent Items whatever the mailbox's settings (message-send).
      this.store.submit(mailbox, internetMessageId, true, draft.createdAt);
      this.sent.push({ mailbox, route: 'draft', token, message: draft.message, saveToSentItems: true, attachments: draft.attachments, internetMessageId, sentAs });
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
    if (token.audience !== `https://${this.host}`) {
      sendJson(res, 401, graphErrorBody('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'));
      return undefined;
    }
    return token;
  }

  private mailboxAllowed(mailbox: string, token: IssuedToken, res: ServerResponse): boolean {
    const key = lower(mailbox);
    if (!this.mailboxes.has(key)) {
      sendJson(res, 404, graphErrorBody('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`));
      return false;
    }
    if (token.kind === 'app' && this.appAccessScope !== undefined && !this.appAccessScope.has(key)) {
      sendJson(res, 403, graphErrorBody('ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.'));
      return false;
    }
    if (token.kind === 'delegated' && lower(token.upn ?? '') !== key && !this.fullAccess.has(`${lower(token.upn ?? '')}>${key}`)) {
      sendJson(res, 403, graphErrorBody('ErrorAccessDenied', ACCESS_DENIED));
      return false;
    }
    return true;
  }

  /** Outlook's 10,000 requests per 10 minutes per app and mailbox: beyond, 429 with the seconds until a request leaves the window. */
  private withinRequestLimit(key: string, res: ServerResponse): boolean {
    const now = this.now();
    const times = (this.requestTimes.get(key) ?? []).filter((t) => t > now - this.requestWindowMs);
    this.requestTimes.set(key, times);
    if (times.length >= this.requestLimit) {
      const retryAfter = Math.max(1, Math.ceil(((times[0] as number) + this.requestWindowMs - now) / 1000));
      sendJson(res, 429, graphErrorBody('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'), { 'Retry-After': String(retryAfter) });
      return false;
    }
    times.push(now);
    return true;
  }

  /**
   * Whether the sender may use this From: the mailbox (app-only) or the signed-in user
   * (delegated) itself, or an address it holds Send As or Send on Behalf for; a delegated
   * token also needs Mail.Send.Shared to send as someone else. Otherwise 403 ErrorSendAsDenied.
   */
  private sendingRight(mailbox: string, token: IssuedToken, from: string | undefined, res: ServerResponse): SentAs | undefined {
    const acting = lower(token.kind === 'app' ? mailbox : (token.upn ?? ''));
    if (from === undefined || lower(from) === acting) return 'self';
    const grant = `${acting}>${lower(from)}`;
    const right: SentAs | undefined = this.sendAs.has(grant) ? 'sendAs' : this.sendOnBehalf.has(grant) ? 'sendOnBehalf' : undefined;
    if (right !== undefined && (token.kind === 'app' || token.scopes.includes('Mail.Send.Shared'))) return right;
    sendJson(res, 403, graphErrorBody('ErrorSendAsDenied', SEND_AS_DENIED));
    return undefined;
  }

  /** At most 5 custom headers (InvalidInternetMessageHeaderCollection), each named x-…. */
  private headersRefused(message: Record<string, unknown>, res: ServerResponse): boolean {
    const headers = message.internetMessageHeaders;
    if (headers === undefined) return false;
    if (!Array.isArray(headers) || headers.length > MAX_INTERNET_MESSAGE_HEADERS) {
      sendJson(res, 400, graphErrorBody('InvalidInternetMessageHeaderCollection', 'Maximum number of headers in one message should be less than or equal to 5.'));
      return true;
    }
    if (headers.some((h: { name?: unknown }) => typeof h.name !== 'string' || !/^x-/i.test(h.name))) {
      sendJson(res, 400, graphErrorBody('InvalidInternetMessageHeader', 'The internet message header name should start with \'x-\' or \'X-\'.'));
      return true;
    }
    return false;
  }

  private async sendMail(mailbox: string, token: IssuedToken, req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (String(req.headers['content-type']).startsWith('text/plain')) {
      const mime = await simpleParser(Buffer.from(req.body.toString('ascii'), 'base64'));
      const sentAs = this.sendingRight(mailbox, token, mime.from?.value[0]?.address, res);
      if (sentAs === undefined) return;
      const internetMessageId = mime.messageId ?? '';
      this.store.submit(mailbox, internetMessageId, true);
      this.sent.push({
        mailbox,
        route: 'mime',
        token,
        mime,
        saveToSentItems: true,
        attachments: mime.attachments.map((a) => ({ name: a.filename ?? '', contentType: a.contentType, bytes: a.content })),
        internetMessageId,
        sentAs,
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
    if (this.headersRefused(message, res)) return;
    const sentAs = this.sendingRight(mailbox, token, addressOf(message.from), res);
    if (sentAs === undefined) return;
    const attachments = ((message.attachments ?? []) as GraphAttachmentJson[]).map(decodeAttachment);
    const internetMessageId = String(message.internetMessageId);
    const saveToSentItems = body.saveToSentItems !== false;
    this.store.submit(mailbox, internetMessageId, saveToSentItems);
    this.sent.push({ mailbox, route: 'sendMail', token, message, saveToSentItems, attachments, internetMessageId, sentAs });
    sendEmpty(res, 202);
  }

  private createDraft(mailbox: string, req: RecordedRequest, res: ServerResponse): void {
    const message = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    if (this.headersRefused(message, res)) return;
    const id = this.store.createDraft(mailbox, message, ((message.attachments ?? []) as GraphAttachmentJson[]).map(decodeAttachment));
    sendJson(res, 201, { ...message, id, isDraft: true });
  }

  /** `GET …/messages` with `$filter` (eq / ne on internetMessageId, and / or), `$select` and `$top`. */
  private listMessages(mailbox: string, req: RecordedRequest, res: ServerResponse, inScope: (item: Record<string, unknown>) => boolean): void {
    const filterText = req.query.get('$filter');
    let filter: (item: Record<string, unknown>) => boolean = () => true;
    if (filterText !== null) {
      try {
        filter = parseODataFilter(filterText);
      } catch (error) {
        sendJson(res, 400, graphErrorBody('BadRequest', (error as Error).message));
        return;
      }
    }
    const top = Number(req.query.get('$top') ?? 10);
    const select = req.query.get('$select')?.split(',');
    const items = this.store
      .list(mailbox)
      .filter((item) => inScope(item) && filter(item))
      .slice(0, top)
      .map((item) => (select === undefined ? item : Object.fromEntries(Object.entries(item).filter(([k]) => k === 'id' || select.includes(k)))));
    sendJson(res, 200, { '@odata.context': `https://${this.host}/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/messages`, value: items });
  }

  private messageRules(mailbox: string, token: IssuedToken, req: RecordedRequest, res: ServerResponse): void {
    const skipToken = req.query.get('$skiptoken') ?? undefined;
    this.inboxRulesReads.push({ mailbox, token, ...(skipToken !== undefined ? { skipToken } : {}) });
    const start = skipToken === undefined ? 0 : Number(Buffer.from(skipToken, 'base64url').toString('utf8').replace(/^offset=/, ''));
    if (!Number.isInteger(start) || start < 0) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidUrlQuery', 'The value of $skiptoken is not valid.'));
      return;
    }
    const rules = this.inboxRules.get(lower(mailbox)) ?? [];
    const end = start + this.inboxRulesPageSize;
    const resource = `https://${this.host}/v1.0/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messageRules`;
    sendJson(res, 200, {
      '@odata.context': `https://${this.host}/v1.0/$metadata#users('${encodeURIComponent(mailbox)}')/mailFolders('inbox')/messageRules`,
      value: rules.slice(start, end),
      ...(end < rules.length ? { '@odata.nextLink': `${resource}?$skiptoken=${Buffer.from(`offset=${end}`).toString('base64url')}` } : {}),
    });
  }

  private createUploadSession(mailbox: string, draftId: string, req: RecordedRequest, res: ServerResponse): void {
    const item = (JSON.parse(req.body.toString('utf8')) as { AttachmentItem?: { attachmentType: string; name: string; size: number; contentType?: string } }).AttachmentItem;
    if (item?.attachmentType !== 'file' || !(item.size > 0)) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidRequest', 'AttachmentItem with attachmentType file and size is required.'));
      return;
    }
    if (item.size < MIN_UPLOAD_SESSION_BYTES) {
      sendJson(res, 400, graphErrorBody('ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size should not be less than the minimum size (3 MB); add it with POST …/attachments.'));
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
      '@odata.context': `https://${this.host}/v1.0/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `https://${this.outlookHost}/api/v2.0/Users('${mailbox}')/Messages('${draftId}')/AttachmentSessions('${index}')?authtoken=${session.token}`,
      expirationDateTime: new Date(this.now() + 15 * 60_000).toISOString(),
      nextExpectedRanges: ['0-'],
    });
  }

  /** A PUT of bytes to an upload URL, with the rules of Outlook attachments (in order, at most 4 MB each, no Authorization). */
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
          : req.method !== 'PUT'
            ? `Use PUT, not ${req.method}`
            : String(req.headers['content-type']) !== 'application/octet-stream'
              ? 'Content-Type must be application/octet-stream'
              : start !== session.next
                ? `Expected the range to start at ${session.next}`
                : total !== session.size
                  ? `The total ${total} does not match the session size ${session.size}`
                  : req.body.length !== end - start + 1
                    ? 'The body length does not match Content-Range'
                    : req.body.length > MAX_BODY
                      ? 'A range must be at most 4 MB'
                      : undefined;
    if (problem !== undefined) {
      sendJson(res, 400, graphErrorBody('ErrorInvalidRequest', problem));
      return;
    }
    session.parts.push(req.body);
    session.next = end + 1;
    if (!last) {
      sendJson(res, 200, {
        '@odata.context': `https://${this.outlookHost}/api/v2.0/$metadata#Users('${encodeURIComponent(session.mailbox)}')/Messages('${encodeURIComponent(session.draftId)}')/AttachmentSessions/$entity`,
        ExpirationDateTime: new Date(this.now() + 15 * 60_000).toISOString(),
        nextExpectedRanges: [String(session.next)],
      });
      return;
    }
    this.drafts.get(session.draftId)?.attachments.push({
      name: session.name,
      ...(session.contentType !== undefined ? { contentType: session.contentType } : {}),
      bytes: Buffer.concat(session.parts),
    });
    sendEmpty(res, 201, { location: `https://${this.outlookHost}/api/v2.0/Users('${session.mailbox}')/Messages('${session.draftId}')/Attachments('${index}')` });
  }
}

/** The address of a Graph `recipient` JSON, if any. */
function addressOf(recipient: unknown): string | undefined {
  const address = (recipient as { emailAddress?: { address?: unknown } } | undefined)?.emailAddress?.address;
  return typeof address === 'string' ? address : undefined;
}

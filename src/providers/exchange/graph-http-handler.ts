import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { HttpRequest, HttpTransport } from './https-transport.js';

/** Redacted request/response lines of one send, for the history. */
export class GraphTranscript {
  private readonly lines: string[] = [];
  /** The transport error of the last request that got no HTTP answer (the Graph client keeps only its message). */
  networkError: Error | undefined;

  request(method: string, url: string, bytes: number): void {
    const { host, pathname } = new URL(url);
    // Upload URLs carry a pre-authenticated token in their query string: never recorded.
    let path = pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      // Keep the encoded form.
    }
    this.lines.push(`> ${method} https://${host}${path}${bytes > 0 ? ` (${bytes} bytes)` : ''}`);
  }

  response(status: number, headers: Record<string, string>, body: string): void {
    const requestId = headers['request-id'] ?? headers['client-request-id'];
    const retryAfter = headers['retry-after'];
    const detail = status >= 400 ? ` ${body.slice(0, 500)}` : '';
    this.lines.push(`< ${status}${requestId ? ` request-id=${requestId}` : ''}${retryAfter ? ` retry-after=${retryAfter}` : ''}${detail}`);
  }

  failure(message: string): void {
    this.lines.push(`! ${message}`);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function headerRecord(headers: unknown): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    const out: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => (out[name] = value));
    return out;
  }
  return Object.fromEntries(Object.entries(headers as Record<string, string>).map(([k, v]) => [k, String(v)]));
}

function bodyBuffer(body: unknown): Buffer | string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('Unsupported Graph request body type');
}

/**
 * The last handler of the Graph client's middleware chain: sends the request
 * with mailwright's HTTPS transport and records it in the transcript. No retry
 * handler runs before it: a POST that Exchange may have accepted is never
 * repeated here (the distributor decides, after checking Sent Items).
 */
export class GraphHttpHandler implements Middleware {
  constructor(
    private readonly transport: HttpTransport,
    private readonly transcript: GraphTranscript,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const body = bodyBuffer(options.body);
    const request: HttpRequest = {
      method: (options.method ?? 'GET') as HttpRequest['method'],
      url,
      headers: headerRecord(options.headers),
      ...(body !== undefined ? { body } : {}),
    };
    this.transcript.request(request.method, url, body === undefined ? 0 : Buffer.byteLength(body));
    try {
      const response = await this.transport.request(request);
      this.transcript.response(response.status, response.headers, response.body.toString('utf8'));
      context.response = new Response(response.body.length === 0 ? null : response.body, { status: response.status, headers: response.headers });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.transcript.failure(failure.message);
      this.transcript.networkError = failure;
      throw failure;
    }
  }
}

import { Agent, request as httpsRequest } from 'node:https';

/** One HTTP request as the Exchange provider sends it. */
export interface HttpRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute https URL. */
  url: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** Request body, when there is one. */
  body?: Buffer | string;
}

/** One HTTP response: header names lower-cased, body read whole. */
export interface HttpResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers, names lower-cased; repeated ones joined with ", ". */
  headers: Record<string, string>;
  /** The whole response body. */
  body: Buffer;
}

/** Sends HTTPS requests for MSAL (token endpoint) and Microsoft Graph. */
export interface HttpTransport {
  /** Sends one request and resolves with the whole response; rejects on network errors. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Closes kept-alive connections. */
  close(): void;
}

/** Options of {@link createHttpsTransport}. */
export interface HttpsTransportOptions {
  /** Extra CA certificate(s) in PEM to trust (a TLS-inspecting proxy's CA, or a test stand-in's). */
  ca?: string | Buffer;
  /**
   * Connect to another address for a host, like curl's `--connect-to`: the TLS
   * server name and the Host header stay those of the URL. Keys are
   * `host:port`, values `address:port`, e.g. `{ "graph.microsoft.com:443": "10.0.0.5:8443" }`.
   * @default {} (connect to the URL's host)
   */
  connectTo?: Record<string, string>;
  /** Milliseconds without a byte before a request fails with ETIMEDOUT. @default 60000 */
  timeoutMs?: number;
}

/** Network errors after which the server cannot have received the request. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * Whether a network error may have happened after the server received the
 * request (connection reset, timeout): the outcome of a POST is then unknown.
 */
export function requestMayHaveArrived(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return !(typeof code === 'string' && NOT_DELIVERED.has(code));
}

/** An {@link HttpTransport} over node:https with keep-alive connections. */
export function createHttpsTransport(options: HttpsTransportOptions = {}): HttpTransport {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    request: (req) =>
      new Promise<HttpResponse>((resolve, reject) => {
        const url = new URL(req.url);
        const port = url.port === '' ? '443' : url.port;
        const target = options.connectTo?.[`${url.hostname}:${port}`]?.split(':');
        const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
        const outgoing = httpsRequest(
          {
            agent,
            method: req.method,
            host: target?.[0] ?? url.hostname,
            port: Number(target?.[1] ?? port),
            servername: url.hostname,
            path: `${url.pathname}${url.search}`,
            headers: { ...req.headers, host: url.host, ...(body !== undefined ? { 'content-length': String(body.length) } : {}) },
            timeout: timeoutMs,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(response.headers)) {
                if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
              }
              resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
            });
          },
        );
        outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error(`No answer from ${url.host} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
        outgoing.on('error', reject);
        outgoing.end(body);
      }),
    close: () => agent.destroy(),
  };
}

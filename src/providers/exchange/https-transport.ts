import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { HttpsProxyAgent } from 'https-proxy-agent';

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
  /**
   * HTTP(S) proxy for the token endpoint and Graph, e.g. `http://proxy.contoso.com:8080`
   * (credentials in the URL are sent as Proxy-Authorization); requests go through a CONNECT
   * tunnel, TLS stays end to end. `false`: never a proxy. A managed identity endpoint (local,
   * plain HTTP) never goes through a proxy.
   * @default from the environment: HTTPS_PROXY (or ALL_PROXY) unless NO_PROXY names the host
   */
  proxy?: string | false;
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

/** The proxy for a URL: the explicit one, none, or the environment's (HTTPS_PROXY / NO_PROXY, read with proxy-from-env, loaded on first use). */
async function proxyFor(url: URL, option: HttpsTransportOptions['proxy']): Promise<string | undefined> {
  if (url.protocol === 'http:' || option === false) return undefined;
  const proxy = option ?? (await import('proxy-from-env')).getProxyForUrl(url.href);
  return proxy === '' ? undefined : proxy;
}

/**
 * An {@link HttpTransport} over node:https with keep-alive connections, through an HTTP(S)
 * proxy when one applies (explicit, or HTTPS_PROXY / NO_PROXY), with https-proxy-agent.
 * Plain http: is used only for a managed identity endpoint, never proxied.
 */
export function createHttpsTransport(options: HttpsTransportOptions = {}): HttpTransport {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const proxyAgents = new Map<string, HttpsProxyAgent<string>>();
  /** The agent tunnelling through `proxy`; https-proxy-agent is loaded only when a proxy is used. */
  const proxyAgent = async (proxy: string): Promise<HttpsProxyAgent<string>> => {
    let made = proxyAgents.get(proxy);
    if (made === undefined) {
      const { HttpsProxyAgent } = await import('https-proxy-agent');
      made = proxyAgents.get(proxy) ?? new HttpsProxyAgent(proxy, { keepAlive: true, maxSockets: 8 });
      proxyAgents.set(proxy, made);
    }
    return made;
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    request: async (req) => {
      const url = new URL(req.url);
      const proxy = await proxyFor(url, options.proxy);
      const tunnel = proxy === undefined ? undefined : await proxyAgent(proxy);
      return new Promise<HttpResponse>((resolve, reject) => {
        const plain = url.protocol === 'http:';
        const port = url.port === '' ? (plain ? '80' : '443') : url.port;
        // Through a proxy, the proxy resolves the host (connectTo is for direct connections).
        const target = proxy === undefined ? options.connectTo?.[`${url.hostname}:${port}`]?.split(':') : undefined;
        const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
        const send = plain ? httpRequest : httpsRequest;
        const outgoing = send(
          {
            ...(plain ? {} : { agent: tunnel ?? agent, servername: url.hostname, ...(options.ca !== undefined ? { ca: options.ca } : {}) }),
            method: req.method,
            host: target?.[0] ?? url.hostname,
            port: Number(target?.[1] ?? port),
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
        // A proxy that refuses the tunnel: the request never reached the host.
        outgoing.on('proxyConnect', (connect: { statusCode?: number; statusText?: string }) => {
          if (connect.statusCode === 200) return;
          const where = new URL(proxy as string);
          const why = connect.statusCode === 407 ? ' (it refused the proxy credentials, or none were given)' : '';
          outgoing.destroy(Object.assign(new Error(`The proxy ${where.protocol}//${where.host} refused the tunnel to ${url.host}: ${connect.statusCode}${why}`), { code: 'ECONNREFUSED' }));
        });
        outgoing.end(body);
      });
    },
    close: () => {
      agent.destroy();
      for (const made of proxyAgents.values()) made.destroy();
    },
  };
}

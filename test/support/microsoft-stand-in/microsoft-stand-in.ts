import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../self-signed-cert.js';
import { STAND_IN_CLOUDS } from './clouds.js';
import { GraphApi, type GraphApiOptions } from './graph-api.js';
import { TokenEndpoint, type TokenEndpointConfig } from './token-endpoint.js';
import { graphErrorBody, readBody, sendJson, type RecordedRequest } from './wire.js';

/** The public hosts the stand-in can answer for, in every cloud (its certificate names them). */
export const MICROSOFT_HOSTS = [...new Set(Object.values(STAND_IN_CLOUDS).flatMap((c) => [c.login, c.graph, c.outlook]))];

/** A scripted Graph failure for the next request that matches. */
export interface ScriptedGraphFailure {
  method?: string;
  /** Matches when the decoded path ends with this. */
  pathEndsWith: string;
  status: number;
  code?: string;
  /**
   * The error message; `{authorization}` is replaced by the request's Authorization header and
   * `{token}` by its bearer token (a server that echoes credentials).
   */
  message?: string;
  headers?: Record<string, string>;
  /** Let Exchange accept the request first, then answer with the failure (outcome unknown to the client). */
  afterAccepting?: boolean;
  /** Close the connection instead of answering. */
  dropConnection?: boolean;
}

/** Options of {@link startMicrosoftStandIn}. */
export interface MicrosoftStandInOptions extends TokenEndpointConfig, GraphApiOptions {}

/** A running HTTPS stand-in for the Entra ID token endpoint and Microsoft Graph. */
export interface MicrosoftStandIn {
  port: number;
  /** PEM certificate to trust. */
  certificate: string;
  /** `connectTo` for the provider's network options. */
  connectTo: Record<string, string>;
  token: TokenEndpoint;
  graph: GraphApi;
  /** Every request in order. */
  requests: RecordedRequest[];
  failures: ScriptedGraphFailure[];
  close(): Promise<void>;
}

/**
 * Starts one local HTTPS server that answers for the cloud's Entra ID, Microsoft
 * Graph and Outlook upload hosts (login.microsoftonline.com, graph.microsoft.com
 * and outlook.office.com in the global cloud), by Host header and TLS server name,
 * speaking their real wire format. Another host is not found. Its certificate is
 * made in the test.
 */
export async function startMicrosoftStandIn(options: MicrosoftStandInOptions): Promise<MicrosoftStandIn> {
  const { key, cert } = await selfSignedCertificate(MICROSOFT_HOSTS);
  const token = new TokenEndpoint(options);
  const graph = new GraphApi(token.issued, options);
  const hosts = STAND_IN_CLOUDS[options.cloud ?? 'global'];
  const requests: RecordedRequest[] = [];
  const failures: ScriptedGraphFailure[] = [];

  const server = createServer({ key, cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `https://${req.headers.host}`);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        host: url.hostname,
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
      };
      requests.push(recorded);
      if (recorded.host === hosts.login) return token.handle(recorded, res);
      if (recorded.host !== hosts.graph && recorded.host !== hosts.outlook) {
        req.socket.destroy(); // another cloud's host: not this service
        return;
      }
      const index = failures.findIndex((f) => (f.method ?? recorded.method) === recorded.method && recorded.path.endsWith(f.pathEndsWith));
      const failure = index === -1 ? undefined : failures.splice(index, 1)[0];
      if (failure === undefined) return graph.handle(recorded, res);
      if (failure.afterAccepting === true) await graph.handle(recorded, { writeHead: () => undefined, end: () => undefined } as never);
      if (failure.dropConnection === true) {
        req.socket.destroy();
        return;
      }
      const authorization = String(req.headers.authorization ?? '');
      const message = (failure.message ?? 'Scripted failure.').replaceAll('{authorization}', authorization).replaceAll('{token}', authorization.replace(/^Bearer /, ''));
      sendJson(res, failure.status, graphErrorBody(failure.code ?? 'UnknownError', message), failure.headers ?? {});
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, graphErrorBody('InternalServerError', String(error)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    certificate: cert,
    connectTo: Object.fromEntries(MICROSOFT_HOSTS.map((host) => [`${host}:443`, `127.0.0.1:${port}`])),
    token,
    graph,
    requests,
    failures,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

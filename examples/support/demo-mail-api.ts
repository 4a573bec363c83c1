import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the stand-in API accepted. */
export interface AcceptedMessage {
  id: string;
  idempotencyKey: string | undefined;
  envelope: { from: string; to: string[] };
  /** The raw MIME message. */
  mime: Buffer;
}

/** A local stand-in for an HTTP mail API (see examples/mail-api-provider.ts). */
export interface DemoMailApi {
  baseUrl: string;
  accepted: AcceptedMessage[];
  /** While set, every request is answered with this status (e.g. 401 for a revoked key). */
  failWith: number | undefined;
  close(): Promise<void>;
}

async function jsonOf(request: IncomingMessage): Promise<{ envelope?: { from: string; to: string[] }; raw?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { envelope?: { from: string; to: string[] }; raw?: string };
  } catch {
    return {};
  }
}

/**
 * Starts the stand-in on 127.0.0.1: `POST /v1/messages` with the bearer `apiKey` and a JSON
 * body `{ envelope: { from, to }, raw }` (raw: the MIME message in base64) is accepted (202
 * and an id), except mail to `busy@…` (503 with Retry-After, the first time) and to
 * `nobody@…` (400: on the API's suppression list); a wrong key is 401.
 */
export async function startDemoMailApi(apiKey: string): Promise<DemoMailApi> {
  const busyOnce = new Set<string>();
  const api: DemoMailApi = { baseUrl: '', accepted: [], failWith: undefined, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: object, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const { envelope, raw } = await jsonOf(request);
    if (request.method !== 'POST' || request.url !== '/v1/messages') return answer(404, { message: 'Not found' });
    if (api.failWith !== undefined) return answer(api.failWith, { message: 'The API refuses every request now' });
    if (request.headers.authorization !== `Bearer ${apiKey}`) return answer(401, { message: 'Invalid API key' });
    if (envelope === undefined || typeof raw !== 'string' || envelope.to.length === 0) return answer(400, { message: 'envelope and raw are required' });
    const refused = envelope.to.find((to) => to.startsWith('nobody@'));
    if (refused !== undefined) return answer(400, { message: `Recipient address rejected: ${refused} is on the suppression list` });
    const key = request.headers['idempotency-key'] as string | undefined;
    if (envelope.to.some((to) => to.startsWith('busy@')) && !busyOnce.has(key ?? '')) {
      busyOnce.add(key ?? '');
      return answer(503, { message: 'Service temporarily unavailable' }, { 'retry-after': '120' });
    }
    const id = `api-${api.accepted.length + 1}`;
    api.accepted.push({ id, idempotencyKey: key, envelope, mime: Buffer.from(raw, 'base64') });
    answer(202, { id });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}

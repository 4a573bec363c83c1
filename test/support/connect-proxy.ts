import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/** A running CONNECT proxy for tests. */
export interface ConnectProxy {
  /** `http://127.0.0.1:port` (with `user:password@` when it requires credentials). */
  url: string;
  /** Every CONNECT request: its target (`host:port`) and the Proxy-Authorization it carried. */
  connects: { target: string; authorization?: string }[];
  close(): Promise<void>;
}

/**
 * A forward proxy as corporate networks have: it answers only CONNECT, resolves the target
 * host itself (here through `hosts`, host → `address:port`), and, with `credentials`,
 * refuses a tunnel without them (407). It sees only the encrypted bytes of the tunnel.
 */
export async function startConnectProxy(hosts: Record<string, string>, credentials?: { user: string; password: string }): Promise<ConnectProxy> {
  const connects: ConnectProxy['connects'] = [];
  const tunnels = new Set<{ destroy(): void }>();
  const server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  server.on('connect', (req, client, head) => {
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    connects.push({ target, ...(authorization !== undefined ? { authorization } : {}) });
    if (expected !== undefined && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [address, port] = (hosts[target] ?? target).split(':');
    tunnels.add(client);
    const upstream = connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const auth = credentials === undefined ? '' : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    connects,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

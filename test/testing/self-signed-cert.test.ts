import { createServer, connect } from 'node:tls';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../../src/testing/self-signed-cert.js';

it('makes a certificate a TLS client can verify when it trusts it', async () => {
  const { key, cert } = await selfSignedCertificate();
  const server = createServer({ key, cert }, (socket) => socket.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: cert });
  const [data] = (await once(socket, 'data')) as [Buffer];
  expect(data.toString()).toBe('hello');
  socket.destroy();
  server.close();
});

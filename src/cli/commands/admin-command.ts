import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { createAdminHandler } from '../../admin/admin-handler.js';
import { cookie } from '../../admin/csrf.js';
import type { CliContext } from '../cli-context.js';

/** The cookie that holds the console's token once the printed address was opened. */
const TOKEN_COOKIE = 'mw_admin_token';

/** A port number, 0 for any free port. */
function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a port number from 0 (any free port) to 65535');
  return n;
}

const same = (given: string | undefined, token: string): boolean => given !== undefined && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));

/** The token a request carries: its cookie, or `Authorization: Bearer` (scripts). */
const tokenOf = (req: IncomingMessage): string | undefined => cookie(req, TOKEN_COOKIE) ?? /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

/**
 * `mailwright admin`: serves the admin console on 127.0.0.1 over the database, until Ctrl+C
 * or SIGTERM. Access needs a random token made at start and printed with the address:
 * opening `…/?token=…` stores it in an HttpOnly cookie and drops it from the address.
 */
export function registerAdminCommand(program: Command, ctx: CliContext): void {
  program
    .command('admin')
    .description('Serve the admin console on localhost over the database, guarded by a token printed at start')
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', port, 0)
    .action(async (flags: { port: number }) => {
      const mailwright = await ctx.open({ create: true }); // the console is where settings are made
      const token = randomBytes(24).toString('base64url');
      const handler = createAdminHandler({ mailwright, authorize: (req) => same(tokenOf(req), token) });
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.searchParams.has('token')) {
          if (!same(url.searchParams.get('token') ?? undefined, token)) {
            res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Wrong token: open the address `mailwright admin` printed.');
            return;
          }
          url.searchParams.delete('token');
          res.writeHead(303, { 'Set-Cookie': `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`, Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-store' }).end();
          return;
        }
        void handler(req, res);
      });
      server.listen(flags.port, '127.0.0.1');
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
      const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      ctx.io.out(`Admin console for ${mailwright.store.dialect} store: ${address}?token=${token}`);
      ctx.io.out('Open this address on this machine; the token is valid until the command stops (Ctrl+C).');
      await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
}

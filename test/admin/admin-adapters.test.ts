import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { createAdminHandler, type AdminHandler } from '../../src/admin/index.js';
import { startAdminFixture, type AdminFixture } from './admin-fixture.js';

// The adapters of docs/admin.md, run as written: the console mounted under /admin/email in
// each framework, a page read and a change posted with its CSRF token, and a host route next to it.

const BASE = '/admin/email';
const authorize = (req: IncomingMessage): boolean => req.headers['x-test-admin'] === 'yes';

/** Reads the history page (cookie and token), then posts a parameters change; returns the answers. */
async function readThenChange(origin: string, retention: string): Promise<{ page: number; change: number; location: string | null }> {
  const page = await fetch(`${origin}${BASE}/parameters`, { headers: { 'x-test-admin': 'yes' } });
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const change = await fetch(`${origin}${BASE}/parameters`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'x-test-admin': 'yes', cookie, 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ _csrf: token, batchProviderId: 'smtp', historyRetentionDays: retention }).toString(),
  });
  return { page: page.status, change: change.status, location: change.headers.get('location') };
}

async function listen(server: Server): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('adapters: the console mounted in Express, Fastify and Koa', () => {
  let fixture: AdminFixture;
  let handler: AdminHandler;
  beforeAll(async () => {
    fixture = await startAdminFixture();
    handler = createAdminHandler({ mailwright: fixture.mailwright, basePath: BASE, authorize });
  });
  afterAll(() => fixture.close());

  it('Express: app.use(basePath, …), with a body parser mounted before it or not', async () => {
    for (const parsed of [false, true]) {
      const app = express();
      if (parsed) app.use(express.urlencoded({ extended: false }));
      app.use(BASE, (req, res, next) => void handler(req, res, next));
      app.get('/', (_req, res) => void res.send('host home'));
      const server = app.listen(0, '127.0.0.1');
      try {
        const origin = await listen(server);
        const retention = parsed ? '41' : '40';
        expect(await readThenChange(origin, retention)).toEqual({ page: 200, change: 303, location: `${BASE}/parameters?saved=1` });
        expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(Number(retention));
        expect(await (await fetch(`${origin}/`)).text()).toBe('host home');
        expect((await fetch(`${origin}${BASE}/history`)).status).toBe(403);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    }
  });

  it('Fastify: a route that hands the raw request over (reply.hijack()), forms left to the console', async () => {
    const app = Fastify();
    // Fastify answers 415 to a form it has no parser for: this one leaves the body to the console.
    app.addContentTypeParser('application/x-www-form-urlencoded', (_request, _payload, done) => done(null));
    const mount = (request: { raw: IncomingMessage }, reply: { hijack(): void; raw: Parameters<AdminHandler>[1] }) => {
      reply.hijack();
      return handler(request.raw, reply.raw);
    };
    app.all(BASE, mount);
    app.all(`${BASE}/*`, mount);
    app.get('/', () => 'host home');
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      expect(await readThenChange(origin, '42')).toEqual({ page: 200, change: 303, location: `${BASE}/parameters?saved=1` });
      expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(42);
      expect(await (await fetch(`${origin}/`)).text()).toBe('host home');
    } finally {
      await app.close();
    }
  });

  it('Koa: a middleware that sets ctx.respond = false under the base path', async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path !== BASE && !ctx.path.startsWith(`${BASE}/`)) return next();
      ctx.respond = false;
      await handler(ctx.req, ctx.res);
    });
    app.use((ctx) => {
      ctx.body = 'host home';
    });
    const server = app.listen(0, '127.0.0.1');
    try {
      const origin = await listen(server);
      expect(await readThenChange(origin, '43')).toEqual({ page: 200, change: 303, location: `${BASE}/parameters?saved=1` });
      expect((await fixture.mailwright.parameters.get()).historyRetentionDays).toBe(43);
      expect(await (await fetch(`${origin}/`)).text()).toBe('host home');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

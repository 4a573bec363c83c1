import { startFaultSmtpServer } from '../test/support/fault-smtp-server.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { testMessage } from '../test/support/test-message.js';
const server = await startFaultSmtpServer({ brokenTls: true });
const p = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: true, requireAuth: false, connectionTimeoutMs: 2000 } });
try { await p.send(testMessage(), { mode: 'batch', emailId: 'x', attempt: 1 }); } catch (e) { console.log('TLS', (e as any).code, (e as any).message); }
await server.close();
const slow = await startFaultSmtpServer({ fault: () => ({ kind: 'slow-reader', bytesPerSecond: 50 * 1024 }) });
const q = smtpProvider({ settings: { host: '127.0.0.1', port: slow.port, requireTls: false, requireAuth: false, connectionTimeoutMs: 2000 } });
const t = Date.now();
try { const r = await q.send(testMessage({ attachments: [{ filename: 'a.bin', content: Buffer.alloc(524288, 3) }] }), { mode: 'batch', emailId: 'x', attempt: 1 }); console.log('sent', Date.now() - t, r.response); } catch (e) { console.log('SLOW', Date.now() - t, (e as any).code, (e as any).message, (e as any).failure?.transcript?.slice(-500)); }
await q.close?.(); await slow.close();

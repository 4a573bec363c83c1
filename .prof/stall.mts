import { startFaultSmtpServer } from '../test/support/fault-smtp-server.js';
import { smtpProvider } from '../src/providers/smtp/smtp-provider.js';
import { testMessage } from '../test/support/test-message.js';
const server = await startFaultSmtpServer({ fault: () => ({ kind: 'stall-in-data', afterBytes: 65536 }) });
const q = smtpProvider({ settings: { host: '127.0.0.1', port: server.port, requireTls: false, requireAuth: false, connectionTimeoutMs: 1000 } });
const t = Date.now();
const timer = setInterval(() => console.log('still', Date.now() - t), 5000);
try { await q.send(testMessage({ attachments: [{ filename: 'a.bin', content: Buffer.alloc(8 * 1048576, 7) }] }), { mode: 'batch', emailId: 'x', attempt: 1 }); console.log('sent'); } catch (e) { console.log('ERR', Date.now() - t, (e as any).code, (e as any).message, (e as any).failure?.transcript?.slice(-400)); }
clearInterval(timer);
await q.close?.(); await server.close();

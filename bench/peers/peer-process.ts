import { bullmqPeer } from './bullmq-peer.js';
import { mailwrightPeer } from './mailwright-peer.js';
import type { PeerConfig, PeerSender } from './peer-sender.js';
import { pgBossPeer } from './pg-boss-peer.js';
import { rawNodemailerPeer } from './raw-nodemailer-peer.js';

// One sender of the peer benchmark in a process of its own (peer-handle.ts starts it), so that
// its CPU time is its own and a crash test can kill it. Commands arrive over IPC, one at a time;
// each is answered once done.

/** A command from the benchmark. */
export type PeerCommand = { type: 'fill'; prefix: string; count: number } | { type: 'drain' } | { type: 'recover' } | { type: 'close' };

/** The answer to a command: `drain` says how long it took and the CPU time this process spent. */
export type PeerAnswer = { type: 'ready' } | { type: 'done'; ms: number; cpuUs: number } | { type: 'error'; message: string };

async function createPeer(config: PeerConfig): Promise<PeerSender> {
  switch (config.kind) {
    case 'raw-nodemailer':
      return rawNodemailerPeer(config);
    case 'mailwright-sqlite':
    case 'mailwright-postgres':
      return mailwrightPeer(config);
    case 'bullmq':
      return bullmqPeer(config);
    case 'pg-boss':
      return pgBossPeer(config);
  }
}

const answer = (message: PeerAnswer): void => void process.send?.(message);
const sender = await createPeer(JSON.parse(process.argv[2] ?? '{}') as PeerConfig);
answer({ type: 'ready' });

let busy: Promise<void> = Promise.resolve();
process.on('message', (command: PeerCommand) => {
  busy = busy.then(async () => {
    try {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      if (command.type === 'fill') await sender.fill(command.prefix, command.count);
      else if (command.type === 'drain') await sender.drain();
      else if (command.type === 'recover') await sender.recover();
      else await sender.close();
      const used = process.cpuUsage(cpu);
      answer({ type: 'done', ms: Number(process.hrtime.bigint() - start) / 1e6, cpuUs: used.user + used.system });
      if (command.type === 'close') setImmediate(() => process.exit(0));
    } catch (error) {
      answer({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});

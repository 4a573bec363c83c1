import { peerEmail } from './peers/peer-sender.js';

/**
 * The i-th small email of the throughput benchmark, the peers benchmark's. Every sender
 * compared (raw nodemailer, the SMTP provider alone, the distributor) sends exactly these, so
 * the ratios compare like with like.
 */
export const smallEmail = (i: number) => peerEmail('customer', i);

/** A sender measured by the throughput benchmark: the same emails each round, over connections it keeps. */
export interface RateBench {
  /** Sends `count` emails with `concurrency` workers; emails per second. */
  rate(): Promise<number>;
  close(): Promise<void>;
}

/** Runs `send(0 … count-1)` with `concurrency` workers and returns sends per second. */
export async function concurrentRate(count: number, concurrency: number, send: (index: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) await send(index);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

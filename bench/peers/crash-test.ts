import type { RecordingSink } from '../recording-sink.js';
import { startPeer } from './peer-handle.js';
import { pause, type PeerConfig } from './peer-sender.js';

/** What a kill -9 in the middle of a batch did. */
export interface CrashOutcome {
  /** Emails the sink had received when the worker died. */
  deliveredAtKill: number;
  /** Deliveries beyond the first to one recipient, after recovery. */
  sentTwice: number;
  /** Emails never delivered, after recovery. */
  lost: number;
}

/**
 * Queues `count` emails, lets a worker send them, kills it with SIGKILL once the sink has
 * half of them, then lets a fresh worker on the same queue finish (taking over what the dead
 * one held once its lease, lock or expiry ends) and counts, per recipient, what the sink got.
 */
export async function crashTest(config: PeerConfig, sink: RecordingSink, count: number): Promise<CrashOutcome> {
  const prefix = `crash-${config.namespace}-`;
  const doomed = await startPeer(config);
  await doomed.run({ type: 'fill', prefix, count });
  // Before the kill, the drain can only end by sending everything (too few emails) or by failing.
  let ended: string | undefined;
  const draining = doomed.run({ type: 'drain' }).then(
    () => void (ended = `sent all ${count} emails before the kill; queue more (BENCH_CRASH_EMAILS)`),
    (error: unknown) => void (ended ??= String(error)),
  );
  while ((await sink.count(prefix)).delivered < count / 2) {
    if (ended !== undefined) throw new Error(`${config.kind}: ${ended}`);
    await pause(5);
  }
  await doomed.kill();
  await draining;
  const deliveredAtKill = (await sink.count(prefix)).delivered;
  const heir = await startPeer(config);
  await heir.run({ type: 'recover' });
  await heir.run({ type: 'close' });
  await pause(100); // the last answers reach the sink's counters
  const { distinct, duplicates } = await sink.count(prefix);
  return { deliveredAtKill, sentTwice: duplicates, lost: count - distinct };
}

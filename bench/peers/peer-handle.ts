import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { benchScript } from '../recording-sink.js';
import type { PeerAnswer, PeerCommand } from './peer-process.js';
import type { PeerConfig } from './peer-sender.js';

/** A sender's process, seen from the benchmark. */
export interface PeerHandle {
  readonly config: PeerConfig;
  /** Runs a command and waits for its answer: for `drain`, the time taken and the process's CPU time. */
  run(command: PeerCommand): Promise<{ ms: number; cpuUs: number }>;
  /** kill -9. */
  kill(): Promise<void>;
}

/** Starts a sender in its own process and waits until it is set up. */
export async function startPeer(config: PeerConfig): Promise<PeerHandle> {
  const { file, execArgv } = benchScript('peers/peer-process');
  const child: ChildProcess = fork(file, [JSON.stringify(config)], { execArgv });
  const next = async (): Promise<{ ms: number; cpuUs: number }> => {
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(([code]) => [{ type: 'error', message: `${config.kind} exited (${String(code)})` }])])) as [PeerAnswer];
    if (message.type === 'error') throw new Error(`${config.kind}: ${message.message}`);
    return message.type === 'done' ? message : { ms: 0, cpuUs: 0 };
  };
  await next();
  return {
    config,
    run: async (command) => {
      const answered = next();
      const exited = command.type === 'close' ? once(child, 'exit') : undefined;
      child.send(command);
      const result = await answered;
      await exited;
      return result;
    },
    kill: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

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
  // One command at a time: the next message (or the exit) answers the one waiting.
  let answer: ((message: PeerAnswer) => void) | undefined;
  let exitCode: number | null | undefined;
  const settle = (message: PeerAnswer): void => {
    const waiting = answer;
    answer = undefined;
    waiting?.(message);
  };
  child.on('message', settle);
  child.on('exit', (code) => {
    exitCode = code;
    settle({ type: 'error', message: `${config.kind} exited (${String(code)})` });
  });
  const next = async (): Promise<{ ms: number; cpuUs: number }> => {
    const message = await new Promise<PeerAnswer>((resolve) => {
      if (exitCode !== undefined) resolve({ type: 'error', message: `${config.kind} exited (${String(exitCode)})` });
      else answer = resolve;
    });
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
